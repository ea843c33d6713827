"""Who may record and answer a QA letter, and when; what dates a letter may have; and what the
review's QA transitions need (registered with `reviews.workflow` in `apps.py`). Services call
the guards before every write; pages ask the same guards, through `dhr.errors.allowed`, what to
offer."""

from datetime import date

from dhr.errors import NotAllowed, TransitionError
from dhr.jobs import job_table
from dhr.models import Role
from dhr.states import Move, StateTable
from qa_feedback.models import (
    Category,
    PublicationBundle,
    QALetter,
    QAPoint,
)
from reviews.models import Status
from reviews.workflow import may_act_as

# A letter is read into a draft, checked by the coordinator, then recorded (or discarded).
LETTERS = StateTable(
    "state",
    [
        Move(
            "record",
            frozenset({QALetter.State.DRAFT}),
            QALetter.State.RECORDED,
            "This letter has already been recorded.",
        ),
        Move(
            "discard",
            frozenset({QALetter.State.DRAFT}),
            None,
            "A recorded letter cannot be discarded.",
        ),
    ],
)


def being_checked(letter: QALetter) -> bool:
    """A letter read but not yet recorded: the coordinator is still checking it."""
    return LETTERS.allows(letter, "record")


def letter_dates_wrong(
    review,
    *,
    letter_date: date | None,
    received_on: date | None,
    panel_date: date | None,
    today: date,
) -> dict[str, str]:
    """What is wrong with a letter's dates, by field, in the words the form shows ({}: nothing).
    The panel writes about a review after it was notified, and not in the future: a letter
    dated otherwise was misread or mistyped (a wrong year would show the review's revised
    report hundreds of days overdue)."""
    wrong = {}
    if letter_date is None:
        wrong["letter_date"] = "Enter the date of the letter"
    elif letter_date > today:
        wrong["letter_date"] = "The letter's date must be today or in the past"
    elif review.notified_on and letter_date < review.notified_on:
        notified = f"{review.notified_on:%-d %B %Y}"
        wrong["letter_date"] = f"The letter's date must be on or after the notification, {notified}"
    # The other dates are compared with the letter's only once it is right.
    written = None if "letter_date" in wrong else letter_date
    if received_on is None:
        wrong["received_on"] = "Enter the date the letter was received"
    elif received_on > today:
        wrong["received_on"] = "The date the letter was received must be today or in the past"
    elif written and received_on < written:
        wrong["received_on"] = "The date the letter was received must be on or after its date"
    if panel_date and written and panel_date > written:
        wrong["panel_date"] = (
            "The date of the panel meeting must be on or before the date of the letter"
        )
    return wrong


# A bundle is a job like any other the service runs (`dhr.jobs`).
BUNDLES = job_table(PublicationBundle.State)


# A letter arrives while the report is with the panel.
LETTER_ARRIVES_IN = frozenset({Status.SUBMITTED})
# Its points are answered while the report is being revised.
POINTS_OPEN_IN = frozenset({Status.QA_FEEDBACK, Status.REVISING})
# Publication steps are done once a chair has approved the report for publication.
CHECKLIST_OPEN_IN = frozenset({Status.APPROVED})


def _stage(review, allowed, doing: str) -> None:
    if review.status not in allowed:
        raise TransitionError(
            f"This review is at the '{Status(review.status).label}' stage: you cannot {doing} now."
        )


def _coordinator(review, user) -> None:
    if not may_act_as(user, review, Role.COORDINATOR):
        raise NotAllowed("Only a coordinator can do this.")


def guard_letter(review, user) -> None:
    _stage(review, LETTER_ARRIVES_IN, "record a QA letter")
    _coordinator(review, user)


def guard_point(point: QAPoint, user) -> None:
    review = point.letter.review
    _stage(review, POINTS_OPEN_IN, "answer the panel's points")
    if point.letter.is_draft or point.letter != latest_letter(review):
        raise TransitionError("Only the points of the latest recorded letter can be answered.")
    _coordinator(review, user)


def guard_checklist(review, user) -> None:
    _stage(review, CHECKLIST_OPEN_IN, "change the publication checklist")
    _coordinator(review, user)


# Copies of the approved report go out from the chair's approval for publication on; one
# missed before publication can still be recorded afterwards.
COPIES_IN = frozenset({Status.APPROVED, Status.PUBLISHED, Status.MONITORING, Status.CONCLUDED})
# The Commissioner's copy is chased while the report waits to be published: publication
# needs it recorded (the checklist), so a published review without one is a record from before.
COMMISSIONER_COPY_CHASED_IN = frozenset({Status.APPROVED})


def guard_copies(review, user) -> None:
    _stage(review, COPIES_IN, "record copies of the report before a CSP chair approves it")
    _coordinator(review, user)


# A draft bundle needs the QA letter (Annex B); the final one a chair's approval.
DRAFT_BUNDLE_IN = frozenset(
    {
        Status.QA_FEEDBACK,
        Status.REVISING,
        Status.APPROVED,
        Status.PUBLISHED,
        Status.MONITORING,
        Status.CONCLUDED,
    }
)
FINAL_BUNDLE_IN = frozenset(
    {Status.APPROVED, Status.PUBLISHED, Status.MONITORING, Status.CONCLUDED}
)
# The report may still be written in the app while it is drafted and revised.
REPORT_TEXT_IN = frozenset(
    {Status.AGENCY_REPORTS, Status.DRAFTING, Status.QA_FEEDBACK, Status.REVISING}
)


def guard_bundle(review, user, *, final: bool) -> None:
    if final:
        _stage(review, FINAL_BUNDLE_IN, "build the final PDF until the CSP chair has approved it")
    else:
        _stage(review, DRAFT_BUNDLE_IN, "build the PDF before the QA letter is recorded")
    _coordinator(review, user)


def guard_terms(review, user) -> None:
    """The terms the anonymity check looks for: kept up to date until publication."""
    _stage(
        review,
        DRAFT_BUNDLE_IN - {Status.CONCLUDED} | REPORT_TEXT_IN,
        "change what the anonymity check looks for",
    )
    _coordinator(review, user)


def guard_accept(review, user) -> None:
    _stage(review, DRAFT_BUNDLE_IN, "accept an anonymity finding")
    if not may_act_as(user, review, Role.CHAIR):
        raise NotAllowed("Only a CSP chair can accept an anonymity finding.")


def guard_report_text(review, user) -> None:
    _stage(review, REPORT_TEXT_IN, "change the report's text")
    _coordinator(review, user)


def latest_letter(review) -> QALetter | None:
    return (
        QALetter.objects.filter(review=review, state=QALetter.State.RECORDED)
        .order_by("-received_on", "-pk")
        .first()
    )


# The latest letter's outcome decides the way on from revising: a letter asking to see the
# report again ("inadequate", "resubmit") is answered by resubmitting it, any other by a chair's
# approval for publication. The other way is barred: neither offered nor waited for.


def resubmission_barred(review) -> list[str]:
    letter = latest_letter(review)
    if letter is not None and not letter.asks_to_see_again:
        return [
            "The panel did not ask to see the report again: once every point is answered, a "
            "CSP chair approves it for publication"
        ]
    return []


def approval_barred(review) -> list[str]:
    letter = latest_letter(review)
    if letter is not None and letter.asks_to_see_again:
        return ["The panel asked to see the report again: revise it and resubmit it"]
    return []


def points_missing(review) -> list[str]:
    """Before a chair approves publication: the latest letter recorded and every point of it
    addressed or not accepted with a reason (`approval_barred` when it asks to see the report
    again)."""
    letter = latest_letter(review)
    if letter is None:
        return ["Record the Home Office QA letter"]
    open_points = letter.points.filter(status=QAPoint.Status.OPEN).count()
    if open_points:
        plural = "s" if open_points != 1 else ""
        return [
            f"Answer the {open_points} open QA point{plural}: addressed, or not accepted "
            "with a reason"
        ]
    return []


def anonymity_open(review) -> int:
    letter = latest_letter(review)
    if letter is None:
        return 0
    return letter.points.filter(category=Category.ANONYMITY, status=QAPoint.Status.OPEN).count()

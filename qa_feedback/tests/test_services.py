"""Recording a letter, answering its points, the chair's approval, the publication checklist and
publication: each write guarded, atomic and kept in the history."""

from datetime import date
from unittest import mock

import pytest

from dhr.errors import NotAllowed, TransitionError
from qa_feedback import selectors, services, workflow
from qa_feedback.checklist import checklist_missing
from qa_feedback.models import (
    Category,
    ChecklistItem,
    Outcome,
    PublicationStep,
    QALetter,
    QAPoint,
)
from qa_feedback.reading import text_of
from qa_feedback.services import PointInput
from qa_feedback.tests.factories import (
    TICKED,
    DraftLetterFactory,
    QAPointFactory,
    approved_with_steps,
    letter_with_points,
)
from qa_feedback.tests.files import pdf_file
from qa_feedback.tests.test_parser import sample
from reviews import services as review_services
from reviews.models import Status
from reviews.tests.factories import (
    ReviewApprovedFactory,
    ReviewQAFeedbackFactory,
    ReviewRevisingFactory,
    ReviewSubmittedFactory,
)

ON = date(2026, 3, 10)


def _record(letter, by, points=None, **data):
    fields = {
        "received_on": date(2025, 10, 20),
        "letter_date": date(2025, 10, 18),
        "panel_date": date(2025, 9, 6),
        "signatory": "Panel chair",
        "outcome": Outcome.PUBLISH_AFTER_REVISION,
        "good_practice": "",
        **data,
    }
    if points is None:
        points = [
            PointInput(p.text, p.paragraphs, p.recommendation_numbers, p.category, proposed=n)
            for n, p in enumerate(letter.points.all(), start=1)
        ]
    return services.letter_record(letter=letter, by=by, data=fields, points=points)


def test_a_pasted_letter_is_proposed_as_a_draft_and_the_review_waits(people):
    review = ReviewSubmittedFactory(partnership=people.home)
    letter = services.letter_propose(
        review=review, by=people.coordinator, text=sample("qa-letter-2023.txt")
    )
    assert letter.is_draft
    assert letter.points.count() == 9
    assert letter.letter_date == date(2023, 10, 18)
    assert letter.outcome == Outcome.PUBLISH_AFTER_REVISION
    review.refresh_from_db()
    assert review.status == Status.SUBMITTED  # nothing moves until the letter is checked


def test_each_point_read_from_a_letter_is_in_its_history_as_added_by_who_read_it(people):
    review = ReviewSubmittedFactory(partnership=people.home)
    letter = services.letter_propose(
        review=review, by=people.coordinator, text=sample("qa-letter-2023.txt")
    )
    added = QAPoint.history.filter(letter_id=letter.pk, history_type="+").order_by("number")
    assert [(r.number, r.history_change_reason, r.history_user) for r in added] == [
        (n, f"Point {n} read from the letter", people.coordinator) for n in range(1, 10)
    ]


def test_a_point_s_answer_in_the_history_names_the_point(people):
    letter = letter_with_points(ReviewRevisingFactory(partnership=people.home), 3)
    point = letter.points.get(number=3)
    services.point_respond(
        point=point, by=people.coordinator, data={"status": "addressed", "response": "Reworded"}
    )
    assert point.history.latest().history_change_reason == "Point 3 addressed"
    entry = next(e for e in selectors.letter_history(letter) if e.what.endswith("addressed"))
    assert (entry.what, entry.who) == ("Point 3 addressed", str(people.coordinator))


def test_a_point_s_history_saved_before_said_which_point_and_who_read_it_is_completed(people):
    letter = DraftLetterFactory(review__partnership=people.home)
    point = QAPointFactory(letter=letter, number=4)  # read from the letter, with nobody named
    point.status, point.response = QAPoint.Status.ADDRESSED, "Reworded"
    point._history_user, point._change_reason = people.coordinator, "Point addressed"
    point.save()  # as answers were recorded before the number was in the reason
    entries = {e.what: e.who for e in selectors.letter_history(letter) if e.what != "Letter added"}
    assert entries == {
        "Point 4 addressed": str(people.coordinator),
        "Point 4 added": str(letter.created_by),
    }


def test_an_uploaded_letter_keeps_its_file(people):
    review = ReviewSubmittedFactory(partnership=people.home)
    upload = pdf_file(sample("qa-letter-2014.txt"), name="QA letter (final).pdf")
    letter = services.letter_propose(
        review=review, by=people.coordinator, text=text_of(upload), upload=upload
    )
    assert letter.points.count() == 3
    assert letter.original.original_name == "QA_letter_final.pdf"
    assert letter.original.content_type == "application/pdf"
    with letter.original.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"


def test_recording_the_checked_letter_moves_the_review_and_keeps_the_edits(people):
    review = ReviewSubmittedFactory(partnership=people.home, notified_on=date(2013, 1, 8))
    letter = services.letter_propose(
        review=review, by=people.coordinator, text=sample("qa-letter-2014.txt")
    )
    points = [
        PointInput("Reword paragraph 5.12 to stay victim focussed.", ["5.12"], [], "language"),
        PointInput("Name the anonymised family members consistently.", [], [2], "anonymity"),
    ]
    letter = _record(
        letter,
        people.coordinator,
        points=points,
        received_on=date(2014, 2, 10),
        letter_date=date(2014, 2, 6),
        panel_date=None,
        outcome=Outcome.ADEQUATE,
    )
    review.refresh_from_db()
    assert review.status == Status.QA_FEEDBACK
    assert review.qa_feedback_received_on == date(2014, 2, 10)
    assert letter.state == QALetter.State.RECORDED
    assert letter.recorded_by == people.coordinator
    assert [(p.number, p.text) for p in letter.points.all()] == [
        (1, "Reword paragraph 5.12 to stay victim focussed."),
        (2, "Name the anonymised family members consistently."),
    ]
    assert letter.points.get(number=2).recommendation_numbers == [2]
    # An anonymity point adds its step to what the letter asks of publication.
    assert ChecklistItem.ANONYMITY in letter.requirements
    assert review.history.latest().history_change_reason == "Record the Home Office QA letter"


def test_only_one_letter_is_checked_at_a_time(people):
    draft = DraftLetterFactory(review__partnership=people.home)
    with pytest.raises(TransitionError, match="already being checked"):
        services.letter_propose(review=draft.review, by=people.coordinator, text="Dear Chair")


@pytest.mark.parametrize("role", ["chair", "viewer", "other_coordinator"])
def test_only_the_partnerships_coordinator_records_a_letter(people, role):
    review = ReviewSubmittedFactory(partnership=people.home)
    with pytest.raises(NotAllowed):
        services.letter_propose(review=review, by=getattr(people, role), text="Dear Chair")
    assert not QALetter.objects.exists()


@pytest.mark.parametrize("status", [Status.DRAFTING, Status.QA_FEEDBACK, Status.MONITORING])
def test_a_letter_is_recorded_only_while_the_report_is_with_the_panel(people, status):
    from reviews.tests.factories import FACTORY_FOR_STATUS

    review = FACTORY_FOR_STATUS[status](partnership=people.home)
    with pytest.raises(TransitionError, match="you cannot record a QA letter"):
        services.letter_propose(review=review, by=people.coordinator, text="Dear Chair")


def test_recording_is_atomic(people):
    """The review's move fails after the letter and points were written: nothing is kept."""
    letter = DraftLetterFactory(review__partnership=people.home)
    QAPointFactory(letter=letter, number=1)
    with (
        mock.patch.object(services, "review_transition", side_effect=RuntimeError("down")),
        pytest.raises(RuntimeError),
    ):
        _record(letter, people.coordinator)
    letter.refresh_from_db()
    assert letter.is_draft
    assert letter.points.count() == 1
    assert letter.review.status == Status.SUBMITTED


def test_checked_points_are_kept_in_place_even_in_a_new_order(people):
    letter = DraftLetterFactory(review__partnership=people.home)
    first, second, third = (QAPointFactory(letter=letter, number=n) for n in (1, 2, 3))

    def checked(point, **changes):
        fields = {
            "text": point.text,
            "paragraphs": point.paragraphs,
            "recommendations": point.recommendation_numbers,
            "category": point.category,
            **changes,
        }
        return PointInput(**fields)

    # The third first, the second left out, the first as it was, then a new one.
    _record(
        letter,
        people.coordinator,
        points=[
            checked(third, proposed=3),
            checked(first, proposed=1),
            PointInput("A point the app missed.", [], [], Category.OTHER),
        ],
    )
    assert list(letter.points.values_list("pk", "number")) == [
        (third.pk, 1),
        (first.pk, 2),
        (letter.points.get(text="A point the app missed.").pk, 3),
    ]
    assert not QAPoint.objects.filter(pk=second.pk).exists()
    reasons = lambda point: [  # noqa: E731
        (r.history_type, r.history_change_reason, r.history_user)
        for r in QAPoint.history.filter(id=point.pk).order_by("history_id")
    ]
    assert reasons(third) == [("+", None, None), ("~", "Point 1 edited", people.coordinator)]
    assert reasons(second) == [("+", None, None), ("-", "Point 2 removed", people.coordinator)]


def test_a_point_checked_unchanged_gets_no_new_history(people):
    letter = DraftLetterFactory(review__partnership=people.home)
    point = QAPointFactory(letter=letter, number=1)
    _record(letter, people.coordinator)
    assert QAPoint.history.filter(id=point.pk).count() == 1


@pytest.mark.parametrize("places", [[1, 1], [2], [0]])
def test_a_point_checked_from_no_proposed_point_is_refused(people, places):
    letter = DraftLetterFactory(review__partnership=people.home)
    QAPointFactory(letter=letter, number=1)
    points = [PointInput(f"Point {n}", [], [], proposed=n) for n in places]
    with pytest.raises(ValueError, match="proposed points"):
        _record(letter, people.coordinator, points=points)
    letter.refresh_from_db()
    assert letter.is_draft
    assert letter.points.count() == 1


def test_a_draft_can_be_discarded_but_a_recorded_letter_cannot(people):
    draft = DraftLetterFactory(review__partnership=people.home)
    services.letter_discard(letter=draft, by=people.coordinator)
    assert not QALetter.objects.filter(pk=draft.pk).exists()
    recorded = letter_with_points(ReviewQAFeedbackFactory(partnership=people.home), 1)
    with pytest.raises(TransitionError):
        services.letter_discard(letter=recorded, by=people.coordinator)


def test_answering_a_point_needs_a_response_and_is_kept_in_history(people):
    letter = letter_with_points(ReviewRevisingFactory(partnership=people.home), 2)
    point = letter.points.get(number=1)
    with pytest.raises(TransitionError, match="why the point is not accepted"):
        services.point_respond(
            point=point, by=people.coordinator, data={"status": "not_accepted", "response": " "}
        )
    point.refresh_from_db()
    assert point.status == QAPoint.Status.OPEN
    services.point_respond(
        point=point,
        by=people.coordinator,
        data={
            "status": "not_accepted",
            "response": "The family asked for this wording.",
            "owner": "Independent chair",
            "category": Category.FAMILY,
        },
    )
    point.refresh_from_db()
    assert point.status == QAPoint.Status.NOT_ACCEPTED
    assert point.category == Category.FAMILY
    latest = point.history.latest()
    assert latest.history_user == people.coordinator
    assert latest.history_change_reason == f"Point {point.number} not accepted"


def test_points_of_an_older_letter_are_closed(people):
    review = ReviewRevisingFactory(partnership=people.home)
    old = letter_with_points(review, 1, received_on=date(2026, 1, 5))
    letter_with_points(review, 1, received_on=date(2026, 3, 5))
    with pytest.raises(TransitionError, match="latest recorded letter"):
        services.point_respond(
            point=old.points.get(), by=people.coordinator, data={"status": "open"}
        )


def test_the_chair_approves_only_when_every_point_is_answered(people):
    review = ReviewRevisingFactory(partnership=people.home)
    letter = letter_with_points(review, 2)
    with pytest.raises(TransitionError, match="Answer the 2 open QA points"):
        review_services.review_transition(
            review=review, by=people.chair, action="approve_for_publication", on=ON
        )
    for point in letter.points.all():
        services.point_respond(
            point=point, by=people.coordinator, data={"status": "addressed", "response": "Done"}
        )
    review = review_services.review_transition(
        review=review, by=people.chair, action="approve_for_publication", on=ON
    )
    assert review.status == Status.APPROVED
    assert review.approved_for_publication_by == people.chair
    assert review.approved_for_publication_on == ON


def test_a_coordinator_cannot_approve_for_publication(people):
    review = ReviewRevisingFactory(partnership=people.home)
    letter_with_points(review, 0)
    with pytest.raises(NotAllowed):
        review_services.review_transition(
            review=review, by=people.coordinator, action="approve_for_publication", on=ON
        )


@pytest.mark.parametrize("outcome", [Outcome.RESUBMIT, Outcome.INADEQUATE])
def test_a_report_the_panel_must_see_again_is_resubmitted_not_approved(people, outcome):
    review = ReviewRevisingFactory(partnership=people.home)
    letter_with_points(review, 0, outcome=outcome)
    with pytest.raises(TransitionError, match="resubmit"):
        review_services.review_transition(
            review=review, by=people.chair, action="approve_for_publication", on=ON
        )
    review = review_services.review_transition(
        review=review, by=people.coordinator, action="resubmit", on=ON
    )
    assert review.status == Status.SUBMITTED
    # The panel's second letter is recorded like the first.
    draft = services.letter_propose(
        review=review, by=people.coordinator, text=sample("qa-letter-2023.txt")
    )
    _record(draft, people.coordinator, received_on=date(2026, 4, 1))
    review.refresh_from_db()
    assert review.status == Status.QA_FEEDBACK
    assert workflow.latest_letter(review) == draft


def test_publication_steps_are_ticked_with_date_and_who_then_publication_recorded(people):
    review = approved_with_steps(people.home, items=())
    with pytest.raises(TransitionError, match="Tick 'Revised report and web link sent"):
        review_services.review_publish(
            review=review, by=people.coordinator, on=ON, url="https://example.org/dhr"
        )
    for item in TICKED:
        services.step_tick(
            review=review, by=people.coordinator, item=item, done_on=ON, note="Sent by email"
        )
    step = PublicationStep.objects.get(review=review, item=ChecklistItem.HOME_OFFICE)
    assert (step.done_on, step.done_by, step.note) == (ON, people.coordinator, "Sent by email")
    review = review_services.review_publish(
        review=review, by=people.coordinator, on=ON, url="https://example.org/dhr"
    )
    assert review.status == Status.PUBLISHED
    assert (review.published_on, review.published_url) == (ON, "https://example.org/dhr")


def test_a_step_can_be_taken_back(people):
    review = approved_with_steps(people.home)
    assert not checklist_missing(review)
    services.step_untick(review=review, by=people.coordinator, item=ChecklistItem.HOME_OFFICE)
    assert review.publication_steps.count() == len(TICKED) - 1
    assert checklist_missing(review) == [
        "Tick 'Revised report and web link sent to the Home Office'"
    ]


def test_the_checklist_is_closed_outside_approval(people):
    review = ReviewRevisingFactory(partnership=people.home)
    with pytest.raises(TransitionError, match="publication checklist"):
        services.step_tick(review=review, by=people.coordinator, item="home_office", done_on=ON)
    approved = ReviewApprovedFactory(partnership=people.home)
    with pytest.raises(NotAllowed):
        services.step_tick(review=approved, by=people.chair, item="home_office", done_on=ON)


def test_monitoring_starts_only_after_publication(people):
    review = approved_with_steps(people.home)
    with pytest.raises(TransitionError, match="you cannot start monitoring"):
        review_services.review_transition(
            review=review, by=people.coordinator, action="start_monitoring", on=ON
        )
    review = review_services.review_publish(
        review=review, by=people.coordinator, on=ON, url="https://example.org/dhr"
    )
    review = review_services.review_transition(
        review=review, by=people.coordinator, action="start_monitoring", on=ON
    )
    assert review.status == Status.MONITORING


def test_the_chairs_are_told_once_when_the_last_point_is_answered(people):
    from dhr.models import OutgoingEmail

    letter = letter_with_points(ReviewRevisingFactory(partnership=people.home), 2)
    first, last = letter.points.all()
    answer = {"status": "addressed", "response": "Reworded"}
    services.point_respond(point=first, by=people.coordinator, data=answer)
    assert not OutgoingEmail.objects.exists()
    services.point_respond(
        point=last, by=people.coordinator, data={"status": "not_accepted", "response": "No"}
    )
    [email] = OutgoingEmail.objects.all()
    assert email.subject == f"Ready for your approval for publication: {letter.review.public_title}"
    assert people.chair.email in email.to
    assert "2, of which 1 not accepted" in email.body
    assert f"/qa/letters/{letter.pk}/" in email.body
    # Changing an answer afterwards sends nothing more.
    services.point_respond(point=first, by=people.coordinator, data={"response": "Reworded again"})
    assert OutgoingEmail.objects.count() == 1


def test_no_approval_is_asked_for_when_the_panel_must_see_the_report_again(people):
    from dhr.models import OutgoingEmail

    review = ReviewRevisingFactory(partnership=people.home)
    letter = letter_with_points(review, 1, outcome=Outcome.RESUBMIT)
    services.point_respond(
        point=letter.points.get(),
        by=people.coordinator,
        data={"status": "addressed", "response": "Done"},
    )
    assert not OutgoingEmail.objects.exists()

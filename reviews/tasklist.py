"""The review page's task list: one row per stage, with its status and statutory date."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from dhr.errors import allowed
from dhr.models import Role
from reviews import clocks, workflow
from reviews.models import Review, Status

ORDER = list(Status)


@dataclass(frozen=True)
class Task:
    name: str
    status: str  # completed, in_progress, not_started, cannot_start, overdue, not_applicable
    url: str | None = None
    hint: str = ""

    @property
    def label(self) -> str:
        return {
            "completed": "Completed",
            "in_progress": "In progress",
            "not_started": "Not started",
            "cannot_start": "Cannot start yet",
            "overdue": "Overdue",
            "not_applicable": "Not needed",
        }[self.status]

    @property
    def tag_class(self) -> str:
        return {
            "completed": "",
            "in_progress": "govuk-tag--light-blue",
            "not_started": "govuk-tag--blue",
            "cannot_start": "govuk-tag--grey",
            "overdue": "govuk-tag--red",
            "not_applicable": "govuk-tag--grey",
        }[self.status]


def _reached(review: Review, status: Status) -> bool:
    if review.status == Status.NOT_PROCEEDING:
        return status in (Status.NOTIFIED, Status.DECISION_PENDING, Status.NOT_PROCEEDING)
    return ORDER.index(Status(review.status)) >= ORDER.index(status)


def _stage(review, *, starts: Status, ends: Status, due: date | None, today: date) -> str:
    """A stage is worked on from `starts` and done once the review reaches `ends`."""
    if review.status == Status.NOT_PROCEEDING:
        return "not_applicable"
    if _reached(review, ends):
        return "completed"
    if not _reached(review, starts):
        return "cannot_start"
    if due is not None and due < today:
        return "overdue"
    return "in_progress"


def _when(label: str, day: date | None) -> str:
    return f"{label} {day:%-d %B %Y}" if day else ""


def task_list(review: Review, user, today: date) -> list[Task]:
    pk = review.pk
    url = lambda name: reverse(f"reviews:{name}", args=[pk])  # noqa: E731
    decision_due = clocks.decision_due(review)
    terms_due = clocks.terms_of_reference_due(review)  # within the decision's month
    # The adjusted date; none while a pause stops the clock (the report cannot be overdue then).
    report_due = None if review.report_paused_since else review.report_due_on
    reports = list(review.agency_reports.prefetch_related("waivers"))
    received = sum(1 for r in reports if r.is_received)

    if review.decided_on and review.status != Status.DECISION_PENDING:
        decision = Task("Decision", "completed", hint=_when("Decided", review.decided_on))
    elif review.imported_on:
        decision = Task("Decision", "completed", hint="To hold a review (date not in the tracker)")
    else:
        status = (
            "overdue"
            if decision_due is not None and decision_due < today
            else ("in_progress" if review.status == Status.DECISION_PENDING else "not_started")
        )
        decision_url = (
            url("decision")
            if review.status == Status.DECISION_PENDING
            and workflow.may_act_as(user, review, Role.CHAIR)
            else None
        )
        due_by = "Fresh decision due by" if review.awaiting_fresh_decision else "Due by"
        decision = Task("Decision", status, decision_url, _when(due_by, decision_due))

    contacts = review.family_contacts.count()
    proceedings = list(review.proceedings.all())
    ongoing = sum(1 for p in proceedings if p.ended_on is None)
    closed = review.status == Status.NOT_PROCEEDING
    return [
        Task(
            "Notification",
            "completed",
            url("notification")
            if allowed(workflow.guard_edit, review, "notification", user)
            else None,
            _when("Received", review.notified_on),
        ),
        decision,
        Task(
            "Set-up: independent chair, panel and terms of reference",
            _stage(
                review,
                starts=Status.PROCEEDING,
                ends=Status.SET_UP,
                due=None if review.terms_of_reference_agreed_on else terms_due,
                today=today,
            ),
            url("set_up") if allowed(workflow.guard_edit, review, "set_up", user) else None,
            _when("Terms of reference agreed", review.terms_of_reference_agreed_on)
            or _when("Terms of reference due by", terms_due),
        ),
        Task(
            "Agency reports (IMRs)",
            _stage(
                review,
                starts=Status.SET_UP,
                ends=Status.DRAFTING,
                due=min((r.due_on for r in reports if not r.is_received), default=None),
                today=today,
            ),
            None if closed else url("agency_reports"),
            f"{received} of {len(reports)} received" if reports else "",
        ),
        Task(
            "Family engagement",
            "not_applicable" if closed else ("in_progress" if contacts else "not_started"),
            None if closed else url("family"),
            f"{contacts} contact{'s' if contacts != 1 else ''} recorded" if contacts else "",
        ),
        Task(
            "Parallel proceedings",
            "in_progress" if ongoing else ("completed" if proceedings else "not_started"),
            url("proceedings"),
            f"{ongoing} ongoing" if ongoing else "",
        ),
        Task(
            "Overview report and executive summary",
            _stage(
                review,
                starts=Status.DRAFTING,
                ends=Status.SIGNED_OFF,
                due=report_due,
                today=today,
            ),
            None if closed else url("drafting"),
            "Paused by a parallel proceeding"
            if review.report_paused_since and not review.signed_off_on
            else _when("Due by", report_due),
        ),
        Task(
            "Sign-off by the CSP chair",
            _stage(review, starts=Status.DRAFTING, ends=Status.SIGNED_OFF, due=None, today=today)
            if review.status != Status.DRAFTING
            else "not_started",
            None,
            _when("Signed off", review.signed_off_on),
        ),
        Task(
            "Submission to the Home Office QA panel",
            _stage(review, starts=Status.SIGNED_OFF, ends=Status.SUBMITTED, due=None, today=today)
            if review.status != Status.SIGNED_OFF
            else "not_started",
            None,
            _when("Submitted", review.submitted_on),
        ),
        Task(
            "Home Office QA letter answered",
            _stage(review, starts=Status.QA_FEEDBACK, ends=Status.APPROVED, due=None, today=today),
            reverse("qa_feedback:review", args=[pk])
            if _reached(review, Status.QA_FEEDBACK)
            else None,
            _when("Approved for publication", review.approved_for_publication_on),
        ),
        Task(
            "Publication",
            _stage(review, starts=Status.APPROVED, ends=Status.PUBLISHED, due=None, today=today),
            reverse("qa_feedback:review", args=[pk]) + "#publication"
            if _reached(review, Status.APPROVED)
            else None,
            _when("Published", review.published_on),
        ),
        Task(
            "Action plan monitored to completion",
            _stage(review, starts=Status.MONITORING, ends=Status.CONCLUDED, due=None, today=today),
            None if closed else reverse("recommendations:plan", args=[pk]),
            _when("Concluded", review.concluded_on),
        ),
    ]

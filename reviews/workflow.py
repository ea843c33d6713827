"""The review's state graph: every transition, the states it leaves from, who may make it and
what must be recorded first. Services call `guard()` before every transition; pages call
`available()` to offer only what the user may do now.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from dhr.errors import NotAllowed, TransitionError
from dhr.models import Role
from dhr.permissions import is_admin, may_decide, role_in
from dhr.states import Move, StateTable
from reviews import extensions
from reviews.models import Extension, ImrRequirement, ParallelProceeding, ReportVersion, Status


def _set_up_missing(review) -> list[str]:
    missing = []
    if not review.chair_name or not review.chair_appointed_on:
        missing.append("Record the independent chair and the date they were appointed")
    if not review.chair_independence_confirmed:
        missing.append("Confirm the independent chair's independence")
    if not review.chair_training_confirmed:
        missing.append("Confirm the independent chair has completed the training")
    if not review.panel_members.exists():
        missing.append("Add at least one panel member")
    if not (review.terms_of_reference or review.terms_of_reference_document_id):
        missing.append("Record the terms of reference")
    if not review.terms_of_reference_agreed_on:
        missing.append("Record the date the terms of reference were agreed")
    return missing


def _agency_reports_missing(review) -> list[str]:
    if not review.agency_reports.exists():
        return ["Request at least one agency report (IMR)"]
    return []


def _drafting_missing(review) -> list[str]:
    """Every agency report counts as received: arrived, with its requirements recorded or
    waived by the CSP chair (`AgencyReport.is_received`)."""
    missing = []
    for report in review.agency_reports.select_related("agency").prefetch_related("waivers"):
        if report.received_on is None:
            missing.append(f"Record the agency report received from {report.agency.name}")
        elif not report.is_received:
            missing.append(
                f"Record for the agency report from {report.agency.name} "
                + " and ".join(report.incomplete())
                + " (or ask the CSP chair to waive them)"
            )
    return missing


def waivable(report) -> list[str]:
    """The requirements of an agency report the CSP chair may still waive: neither met nor
    waived already."""
    waived = {w.requirement for w in report.waivers.all()}
    return [r for r in ImrRequirement if r not in waived and not report.meets(r)]


def _sign_off_missing(review) -> list[str]:
    kinds = set(review.report_versions.values_list("kind", flat=True))
    return [
        f"Upload the {kind.label.lower()}" for kind in ReportVersion.Kind if kind.value not in kinds
    ]


def _home_office_not_told(review) -> list[str]:
    # The panel considers a decision it has been told of.
    if not review.home_office_told_on:
        return ["Record when the Home Office was told of the decision"]
    return []


# What the action plan's check before "sign_off" says (`recommendations.workflow.plan_missing`);
# the pages offer the CSP chair the reason's form beside it.
NO_RECOMMENDATIONS = "Add a recommendation to the action plan, or record why the review makes none"


def _nothing_missing(review) -> list[str]:
    return []


def _in_sentence(text: str) -> str:
    """A label or step as it reads after "to" or "cannot": each starts with a verb, so only its
    first letter is lowered, never the rest ("QA" and "Home Office" keep their capitals)."""
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    role: str
    requires: Callable[..., list[str]] = field(default=_nothing_missing)
    date_label: str = "Date"
    step: str = ""  # how the page names it to someone waiting for it, when not the label
    url_name: str = ""  # its own page (taking the review's pk), when it records more than a date
    # False for a step that waits on someone outside the service (the Home Office's QA panel,
    # the Secretary of State), which may never come: not listed under "Waiting for".
    awaited: bool = True

    @property
    def label_in_sentence(self) -> str:
        return _in_sentence(self.label)

    @property
    def step_in_sentence(self) -> str:
        return _in_sentence(self.step or self.label)

    def barred(self, review) -> list[str]:
        """Why the review does not take this transition at all (an app above says so: the QA
        letter's outcome decides between resubmitting and approval), in words."""
        return [item for bar in extensions.transition_bars(self.name) for item in bar(review)]

    def missing(self, review) -> list[str]:
        """What must still be recorded before this transition, in words."""
        found = self.requires(review)
        # The apps above add theirs: the action plan's before "conclude" (every action done),
        # the QA letter's before "approve_for_publication" and "publish".
        checks = extensions.transition_checks(self.name)
        return found + [item for check in checks for item in check(review)]


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "refer_for_decision",
            "Put to the CSP chair for a decision",
            frozenset({Status.NOTIFIED}),
            Status.DECISION_PENDING,
            Role.COORDINATOR,
            date_label="Date put to the CSP chair",
        ),
        Transition(
            "decide_to_proceed",
            "Decide to hold a review",
            frozenset({Status.DECISION_PENDING}),
            Status.PROCEEDING,
            Role.CHAIR,
            step="Record the decision",
        ),
        Transition(
            "decide_not_to_proceed",
            "Decide not to hold a review",
            frozenset({Status.DECISION_PENDING}),
            Status.NOT_PROCEEDING,
            Role.CHAIR,
            step="Record the decision",
        ),
        # After a decision not to hold a review: the Home Office QA panel's view (one page
        # records either), and a Secretary of State's direction, which opens the same review.
        Transition(
            "qa_panel_agrees",
            "Record that the Home Office QA panel agrees with the decision",
            frozenset({Status.NOT_PROCEEDING}),
            Status.NOT_PROCEEDING,
            Role.COORDINATOR,
            requires=_home_office_not_told,
            step="Record the Home Office QA panel's view",
            url_name="reviews:decision_qa_view",
            awaited=False,
        ),
        Transition(
            "qa_panel_asks_to_reconsider",
            "Record the Home Office QA panel's request to reconsider the decision",
            frozenset({Status.NOT_PROCEEDING}),
            Status.DECISION_PENDING,
            Role.COORDINATOR,
            requires=_home_office_not_told,
            step="Record the Home Office QA panel's view",
            url_name="reviews:decision_qa_view",
            awaited=False,
        ),
        Transition(
            "direct_review",
            "Record a Secretary of State's direction to hold a review",
            frozenset({Status.NOT_PROCEEDING}),
            Status.PROCEEDING,
            Role.COORDINATOR,
            url_name="reviews:direction",
            awaited=False,
        ),
        Transition(
            "complete_set_up",
            "Mark set-up as complete",
            frozenset({Status.PROCEEDING}),
            Status.SET_UP,
            Role.COORDINATOR,
            requires=_set_up_missing,
            date_label="Date set-up was completed",
        ),
        Transition(
            "start_agency_reports",
            "Start the agency reports stage",
            frozenset({Status.SET_UP}),
            Status.AGENCY_REPORTS,
            Role.COORDINATOR,
            requires=_agency_reports_missing,
            date_label="Date agency reports were requested",
        ),
        Transition(
            "start_drafting",
            "Start drafting the overview report",
            frozenset({Status.AGENCY_REPORTS}),
            Status.DRAFTING,
            Role.COORDINATOR,
            requires=_drafting_missing,
            date_label="Date drafting started",
        ),
        Transition(
            "sign_off",
            "Sign off the report",
            frozenset({Status.DRAFTING}),
            Status.SIGNED_OFF,
            Role.CHAIR,
            requires=_sign_off_missing,
            date_label="Date signed off",
        ),
        Transition(
            "submit",
            "Submit to the Home Office QA panel",
            frozenset({Status.SIGNED_OFF}),
            Status.SUBMITTED,
            Role.COORDINATOR,
            date_label="Date submitted to the Home Office",
        ),
        Transition(
            "receive_qa_letter",
            "Record the Home Office QA letter",
            frozenset({Status.SUBMITTED}),
            Status.QA_FEEDBACK,
            Role.COORDINATOR,
            date_label="Date the letter was received",
            url_name="qa_feedback:add",
        ),
        Transition(
            "start_revising",
            "Start revising the report",
            frozenset({Status.QA_FEEDBACK}),
            Status.REVISING,
            Role.COORDINATOR,
            date_label="Date revision started",
        ),
        Transition(
            "resubmit",
            "Resubmit the revised report to the QA panel",
            frozenset({Status.REVISING}),
            Status.SUBMITTED,
            Role.COORDINATOR,
            date_label="Date resubmitted to the Home Office",
        ),
        Transition(
            "approve_for_publication",
            "Approve the report for publication",
            frozenset({Status.QA_FEEDBACK, Status.REVISING}),
            Status.APPROVED,
            Role.CHAIR,
            date_label="Date approved",
            step="Confirm the QA points are answered and approve publication",
        ),
        Transition(
            "publish",
            "Record the publication",
            frozenset({Status.APPROVED}),
            Status.PUBLISHED,
            Role.COORDINATOR,
            date_label="Date published",
            url_name="reviews:publish",
        ),
        Transition(
            "start_monitoring",
            "Start monitoring the action plan",
            frozenset({Status.PUBLISHED}),
            Status.MONITORING,
            Role.COORDINATOR,
            date_label="Date monitoring started",
        ),
        Transition(
            "conclude",
            "Conclude the review",
            frozenset({Status.MONITORING}),
            Status.CONCLUDED,
            Role.CHAIR,
            step="Confirm the closing audit",
            url_name="reviews:conclude",
        ),
    )
}

# The transitions that need only a date, and the review field that records it.
DATE_STAMPS = {
    "refer_for_decision": "referred_for_decision_on",
    "complete_set_up": "set_up_completed_on",
    "start_agency_reports": "agency_reports_started_on",
    "start_drafting": "drafting_started_on",
    "sign_off": "signed_off_on",
    "submit": "submitted_on",
    "receive_qa_letter": "qa_feedback_received_on",
    "start_revising": "revision_started_on",
    "resubmit": "submitted_on",
    "approve_for_publication": "approved_for_publication_on",
    "start_monitoring": "monitoring_started_on",
}
# Who made a transition, where the review keeps it.
BY_STAMPS = {
    "sign_off": "signed_off_by",
    "approve_for_publication": "approved_for_publication_by",
}

# The stages in which a clock runs towards each statutory date.
DECISION_CLOCK_RUNS_IN = frozenset({Status.NOTIFIED, Status.DECISION_PENDING})
REPORT_CLOCK_RUNS_IN = frozenset(
    {Status.PROCEEDING, Status.SET_UP, Status.AGENCY_REPORTS, Status.DRAFTING}
)
AGENCY_REPORTS_DUE_IN = frozenset({Status.PROCEEDING, Status.SET_UP, Status.AGENCY_REPORTS})
# The Home Office is told of the decision, either way, by the date the decision is due: from the
# decision until the report goes to the Home Office (which tells it, if nothing did before).
HOME_OFFICE_TOLD_DUE_IN = frozenset(
    {
        Status.NOT_PROCEEDING,
        Status.PROCEEDING,
        Status.SET_UP,
        Status.AGENCY_REPORTS,
        Status.DRAFTING,
        Status.SIGNED_OFF,
    }
)

# The stages whose records may still be edited, by review status.
# Once submitted, the review's stage records stand as the report describes them.
AFTER_SUBMISSION = frozenset(
    {
        Status.SUBMITTED,
        Status.QA_FEEDBACK,
        Status.REVISING,
        Status.APPROVED,
        Status.PUBLISHED,
        Status.MONITORING,
        Status.CONCLUDED,
    }
)
# The children's safeguarding partners are told of a review of a victim aged 16 or 17 from the
# notification (of the intention to hold one) until the report goes to the Home Office.
SAFEGUARDING_NOTICE_DUE_IN = DECISION_CLOCK_RUNS_IN | HOME_OFFICE_TOLD_DUE_IN
_OPEN = frozenset(Status) - {Status.NOT_PROCEEDING} - AFTER_SUBMISSION
EDITABLE_IN = {
    "notification": _OPEN,
    "joint_review": _OPEN,
    "set_up": frozenset({Status.PROCEEDING, Status.SET_UP, Status.AGENCY_REPORTS, Status.DRAFTING}),
    "agency_reports": frozenset(
        {Status.PROCEEDING, Status.SET_UP, Status.AGENCY_REPORTS, Status.DRAFTING}
    ),
    "family": _OPEN - {Status.NOTIFIED, Status.DECISION_PENDING},
    "home_office_notice": HOME_OFFICE_TOLD_DUE_IN,
    "safeguarding_notice": SAFEGUARDING_NOTICE_DUE_IN,
    "proceedings": _OPEN,
    # Report versions: drafted, then revised on the QA panel's points.
    "drafting": frozenset(
        {Status.AGENCY_REPORTS, Status.DRAFTING, Status.QA_FEEDBACK, Status.REVISING}
    ),
    # Why the review makes no recommendations: recorded by the CSP chair before signing off.
    "no_recommendations": frozenset({Status.DRAFTING}),
    # The overview report's timescale can be extended while the report is still to come.
    "extensions": REPORT_CLOCK_RUNS_IN,
}


def may_act_as(user, review, role: str) -> bool:
    return is_admin(user) or role_in(user, review.partnership_id) == role


def check_state(review, name: str) -> Transition:
    """Refuse the transition when the review is not in a state it leaves from, or the
    transition is barred for it (`guard` asks the role and what must be recorded too).
    Returns the transition."""
    transition = TRANSITIONS[name]
    if review.status not in transition.sources:
        raise TransitionError(
            f"This review is at the '{Status(review.status).label}' stage: "
            f"you cannot {transition.label_in_sentence} now."
        )
    barred = transition.barred(review)
    if barred:
        raise TransitionError("; ".join(barred) + ".")
    return transition


def guard(review, name: str, user) -> Transition:
    """Refuse the transition unless the review is in a state it leaves from, the user holds
    the role it needs and everything it needs is recorded. Returns the transition."""
    transition = check_state(review, name)
    if not may_act_as(user, review, transition.role):
        raise NotAllowed(f"Only a {Role(transition.role).in_sentence} can do this.")
    missing = transition.missing(review)
    if missing:
        raise TransitionError("Before you can do this: " + "; ".join(missing) + ".")
    return transition


def guard_edit(review, stage: str, user, role: str = Role.COORDINATOR) -> None:
    """Refuse an edit to a stage's records when the review is past that stage or the user
    does not hold the role that records it."""
    if review.status not in EDITABLE_IN[stage]:
        raise TransitionError(
            f"This review is at the '{Status(review.status).label}' stage: "
            "these records can no longer be changed."
        )
    if not may_act_as(user, review, role):
        raise NotAllowed(f"Only a {Role(role).in_sentence} can do this.")


def available(review, user) -> list[tuple[Transition, list[str]]]:
    """The transitions this user could make from the review's state, each with what is
    still missing (empty when it can be made now)."""
    return [
        (t, t.missing(review))
        for t in TRANSITIONS.values()
        if review.status in t.sources and may_act_as(user, review, t.role) and not t.barred(review)
    ]


def waiting_on_others(review, user) -> list[str]:
    """The next steps from the review's state that someone in another role can take now, each
    as it is listed under "Waiting for": "A CSP chair to approve the report for publication". A step
    with something still to record first (a closing audit while actions are open) waits for
    that, not for them."""
    steps = []
    for t in TRANSITIONS.values():
        if (
            t.awaited
            and review.status in t.sources
            and not may_act_as(user, review, t.role)
            and not t.barred(review)
            and not t.missing(review)
        ):
            step = f"A {Role(t.role).in_sentence} to {t.step_in_sentence}"
            if step not in steps:
                steps.append(step)
    return steps


# An extension of the report's timescale, asked for by a coordinator: a chair approves or
# refuses it; one still waiting when the report is signed off is closed undecided.
_EXTENSION_DECIDED = "This extension has already been decided."
EXTENSIONS = StateTable(
    "status",
    [
        Move(
            "approve",
            frozenset({Extension.Status.REQUESTED}),
            Extension.Status.APPROVED,
            _EXTENSION_DECIDED,
        ),
        Move(
            "refuse",
            frozenset({Extension.Status.REQUESTED}),
            Extension.Status.REFUSED,
            _EXTENSION_DECIDED,
        ),
        Move(
            "withdraw",
            frozenset({Extension.Status.REQUESTED}),
            Extension.Status.WITHDRAWN,
            _EXTENSION_DECIDED,
        ),
    ],
)


def guard_extension_decide(extension, review, user) -> None:
    if not may_decide(user, review.partnership_id):
        raise NotAllowed("Only a CSP chair can decide an extension.")
    EXTENSIONS.check(extension, "approve")
    if review.status not in REPORT_CLOCK_RUNS_IN:
        raise TransitionError(
            f"This review is at the '{Status(review.status).label}' stage: "
            "its report's timescale can no longer be changed."
        )


# A pause of the report's clock while a parallel proceeding runs, asked for by a coordinator:
# a CSP chair agrees or refuses it (briefing 6.7: only a formally agreed timescale moves the
# date, decision 0013). A coordinator who changes their mind withdraws the request; one still
# waiting when the report's timescale stops running (the report signed off) is closed.
# While the report's clock may still run: before the decision, and until sign-off.
PAUSE_DECIDED_IN = DECISION_CLOCK_RUNS_IN | REPORT_CLOCK_RUNS_IN
_PAUSE_DECIDED = "This pause has already been decided."
_NOT_ASKED = ParallelProceeding.PauseStatus.NOT_ASKED
_ASKED = ParallelProceeding.PauseStatus.REQUESTED
PAUSES = StateTable(
    "pause_status",
    [
        Move(
            "request",
            frozenset({_NOT_ASKED, ParallelProceeding.PauseStatus.REFUSED}),
            _ASKED,
            "A pause of the clock is already {state} for this proceeding.",
        ),
        Move("agree", frozenset({_ASKED}), ParallelProceeding.PauseStatus.AGREED, _PAUSE_DECIDED),
        Move("refuse", frozenset({_ASKED}), ParallelProceeding.PauseStatus.REFUSED, _PAUSE_DECIDED),
        Move("withdraw", frozenset({_ASKED}), _NOT_ASKED, _PAUSE_DECIDED),
    ],
)


def check_pause_open(review) -> None:
    """A pause can be asked for or decided only while the report's clock may still run."""
    if review.status not in PAUSE_DECIDED_IN:
        raise TransitionError(
            f"This review is at the '{Status(review.status).label}' stage: "
            "its report's timescale can no longer be changed."
        )


def guard_pause_decide(proceeding, review, user) -> None:
    if not may_decide(user, review.partnership_id):
        raise NotAllowed("Only a chair can agree or refuse a pause of the clock.")
    PAUSES.check(proceeding, "agree")
    check_pause_open(review)

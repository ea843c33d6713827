"""Who may change an action plan, and when. Services call these guards before every write;
pages ask the same guards, through `dhr.errors.allowed`, what to offer."""

from dhr.errors import NotAllowed, TransitionError
from dhr.models import Role
from dhr.permissions import is_admin, may_decide, may_record, serves
from dhr.states import Move, StateTable
from recommendations.models import Action, ActionUpdate, Escalation
from reviews.models import Status
from reviews.workflow import AFTER_SUBMISSION, NO_RECOMMENDATIONS, may_act_as

# The action plan is written with the overview report and kept up to date from then on.
PLAN_EDITABLE_IN = frozenset(
    {
        Status.AGENCY_REPORTS,
        Status.DRAFTING,
        Status.SIGNED_OFF,
        *AFTER_SUBMISSION - {Status.CONCLUDED},
    }
)
# Agencies report on their actions once the report (and so the plan) is signed off.
UPDATES_OPEN_IN = frozenset(
    {Status.DRAFTING, Status.SIGNED_OFF, *AFTER_SUBMISSION - {Status.CONCLUDED}}
)
# An agency sees its actions from then on, and keeps seeing them once the review has ended; a
# plan still in draft is the partnership's alone (its actions are a 404 to the agency).
PLAN_SHARED_IN = UPDATES_OPEN_IN | {Status.CONCLUDED}


def plan_missing(review) -> list[str]:
    """The CSP chair signs off a report whose action plan has a recommendation, or with their
    reason why the review makes none (`Review.no_recommendations_reason`)."""
    if review.no_recommendations_reason or review.recommendations.exists():
        return []
    return [NO_RECOMMENDATIONS]


def open_actions_missing(review) -> list[str]:
    """A review concludes only when every action is completed or no longer applies (a review
    that makes no recommendation, with the CSP chair's reason, has none to carry out)."""
    open_actions = Action.objects.filter(recommendation__review=review).exclude(
        status__in=Action.CLOSED
    )
    count = open_actions.count()
    if not review.recommendations.exists():
        if review.no_recommendations_reason:
            return []
        return ["Record the action plan's recommendations"]
    missing = []
    without = review.recommendations.filter(actions__isnull=True).count()
    if without:
        missing.append(
            f"Add an action to the {without} recommendation{'s' if without != 1 else ''} "
            "without one"
        )
    if count:
        missing.append(f"Complete or close the {count} open action{'s' if count != 1 else ''}")
    awaiting = Escalation.objects.filter(review=review, status=Escalation.Status.APPROVED).count()
    if awaiting:
        missing.append(
            f"Record the outcome of the {awaiting} escalation{'s' if awaiting != 1 else ''}"
        )
    waiting = ActionUpdate.objects.filter(
        action__recommendation__review=review, state=ActionUpdate.State.SUBMITTED
    ).count()
    if waiting:
        missing.append(
            f"Accept or return the {waiting} update{'s' if waiting != 1 else ''} waiting"
        )
    return missing


def guard_plan_edit(review, user) -> None:
    if review.status not in PLAN_EDITABLE_IN:
        raise TransitionError(
            f"This review is at the '{Status(review.status).label}' stage: its action plan "
            "cannot be changed now."
        )
    if not may_act_as(user, review, Role.COORDINATOR):
        raise NotAllowed("Only a coordinator can change the action plan.")


def guard_national_reply(recommendation, user) -> None:
    """A national recommendation's sending and its body's reply are recorded by a coordinator
    while the plan may change."""
    guard_plan_edit(recommendation.review, user)
    if not recommendation.is_national:
        raise TransitionError(
            f"{recommendation} is not a national recommendation: it has no national body to reply."
        )


def speaks_for(user, action: Action) -> bool:
    """The owning agency's contacts serving the review's partnership, the partnership's
    coordinators and administrators may send an update on an action (the rule of
    `selectors.actions_visible_to`, for one action)."""
    review = action.recommendation.review
    return (
        is_admin(user)
        or serves(user, action.owner_agency_id, review.partnership_id)
        or may_act_as(user, review, Role.COORDINATOR)
    )


def guard_update_submit(action: Action, user) -> None:
    if not speaks_for(user, action):
        raise NotAllowed("Only the agency that owns this action can send an update on it.")
    review = action.recommendation.review
    if review.status not in UPDATES_OPEN_IN:
        raise TransitionError("Updates on this action plan are not being taken now.")
    if not action.is_open:
        raise TransitionError(
            f"This action is {action.get_status_display().lower()}: it needs no more updates."
        )


# An agency's update waits for the coordinator, who accepts it (the action takes its status)
# or returns it with a comment.
_UPDATE_DECIDED = "This update has already been {state}."
UPDATES = StateTable(
    "state",
    [
        Move(
            "accept",
            frozenset({ActionUpdate.State.SUBMITTED}),
            ActionUpdate.State.ACCEPTED,
            _UPDATE_DECIDED,
        ),
        Move(
            "return",
            frozenset({ActionUpdate.State.SUBMITTED}),
            ActionUpdate.State.RETURNED,
            _UPDATE_DECIDED,
        ),
    ],
)


def guard_update_review(update: ActionUpdate, user, move: str) -> None:
    """May the user accept (`move` "accept") or return ("return") the update now? An update
    on an action closed since can still be returned, not accepted."""
    if not may_act_as(user, update.action.recommendation.review, Role.COORDINATOR):
        raise NotAllowed("Only a coordinator can accept or return an update.")
    UPDATES.check(update, move)
    action = update.action
    if action.recommendation.review.status not in UPDATES_OPEN_IN:
        raise TransitionError("Updates on this action plan are not being taken now.")
    if move == "accept" and not action.is_open:
        raise TransitionError(
            f"This action is already {action.get_status_display().lower()}: return the "
            "update instead."
        )


# An escalation is proposed by a coordinator, approved (the letter is sent) or declined by a
# chair, and closed when its outcome is recorded.
_DECIDED = "This escalation has already been decided."
ESCALATIONS = StateTable(
    "status",
    [
        Move(
            "approve",
            frozenset({Escalation.Status.PROPOSED}),
            Escalation.Status.APPROVED,
            _DECIDED,
        ),
        Move(
            "decline",
            frozenset({Escalation.Status.PROPOSED}),
            Escalation.Status.DECLINED,
            _DECIDED,
        ),
        Move(
            "record_outcome",
            frozenset({Escalation.Status.APPROVED}),
            Escalation.Status.CLOSED,
            "Only an approved escalation has an outcome to record.",
        ),
    ],
)


def guard_escalation_decide(escalation: Escalation, user) -> None:
    if not may_decide(user, escalation.partnership_id):
        raise NotAllowed("Only a CSP chair can approve or decline an escalation.")
    ESCALATIONS.check(escalation, "approve")


def guard_escalation_outcome(escalation: Escalation, user) -> None:
    if not may_record(user, escalation.partnership_id):
        raise NotAllowed("Only a coordinator can record the outcome.")
    ESCALATIONS.check(escalation, "record_outcome")

"""Every read of action plans that a view makes, scoped to the user.

`actions_visible_to(user)` is the one rule for actions: a review's coordinators and chairs (and
the viewers given it) see its whole plan; an agency's contacts see only the actions their agency
owns, whichever partnership's review they come from; nobody else sees any. Lists use it as it
is; a single action is looked up through it, so an action outside it is a 404.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dhr.models import Agency, AgencyContact
from dhr.permissions import agency_ids, is_admin, served_q
from dhr.selectors import partnerships_managed_by
from recommendations import deadlines, workflow
from recommendations.models import (
    Action,
    ActionUpdate,
    EscalatedAction,
    Escalation,
    Evidence,
    Recommendation,
    RequestedAgency,
    UpdateRequest,
)
from reviews.history import entries_for, records_by_object
from reviews.models import Review
from reviews.selectors import reviews_visible_to


def actions_visible_to(user) -> QuerySet[Action]:
    actions = Action.objects.select_related(
        "recommendation__review__partnership", "owner_agency", "contact"
    )
    if not user.is_authenticated:
        return actions.none()
    if is_admin(user):
        return actions
    rule = Q(recommendation__review__in=reviews_visible_to(user).values("pk"))
    if agency_ids(user):
        # An agency's contact: the agency's actions in the partnerships they serve for it
        # (`workflow.speaks_for` is the same rule for one action).
        rule |= served_q(
            user, agency="owner_agency_id", partnership="recommendation__review__partnership_id"
        ) & Q(recommendation__review__status__in=workflow.PLAN_SHARED_IN)
    return actions.filter(rule)


def action_get(*, user, pk: int) -> Action:
    return get_object_or_404(actions_visible_to(user), pk=pk)


def update_get(*, user, pk: int) -> ActionUpdate:
    return get_object_or_404(
        ActionUpdate.objects.select_related("action", "author").filter(
            action__in=actions_visible_to(user).values("pk")
        ),
        pk=pk,
    )


def evidence_get(*, user, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("update__action__recommendation").filter(
            update__action__in=actions_visible_to(user).values("pk")
        ),
        pk=pk,
    )


def _with_updates(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Each action with the updates a plan row shows: its latest accepted update and those
    awaiting the coordinator, newest first. An action gathers updates for as long as it is
    monitored; every one of them is on the action's own page, not here."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("action"), F("state")],
        order_by=[F("submitted_at").desc(), F("pk").desc()],
    )
    shown = (
        ActionUpdate.objects.annotate(place=newest_first)
        .filter(
            Q(state=ActionUpdate.State.SUBMITTED) | Q(state=ActionUpdate.State.ACCEPTED, place=1)
        )
        .select_related("author")
    )
    return actions.prefetch_related(Prefetch("updates", queryset=shown, to_attr="shown_updates"))


@dataclass(frozen=True)
class PlanRow:
    action: Action
    last_accepted: ActionUpdate | None
    awaiting: list[ActionUpdate]
    overdue_days: int | None


def _row(action: Action, today: date) -> PlanRow:
    updates = action.shown_updates  # by _with_updates, newest first
    accepted = next((u for u in updates if u.state == ActionUpdate.State.ACCEPTED), None)
    awaiting = [u for u in updates if u.state == ActionUpdate.State.SUBMITTED]
    return PlanRow(action, accepted, awaiting, overdue_days(action, today))


def overdue_days(action: Action, today: date) -> int | None:
    """As `deadlines.action_deadline` says (the chase's rule), from rows already read."""
    review_open = action.recommendation.review.status in workflow.UPDATES_OPEN_IN
    late = (today - action.target_date).days if action.is_open and review_open else 0
    return late if late > 0 else None


def action_plan(*, review: Review, today: date) -> list[tuple[Recommendation, list[PlanRow]]]:
    """Each recommendation (its themes in `theme_list`) with its actions, their last accepted
    update, the updates awaiting the coordinator and how late each open action is. A fixed
    number of queries."""
    # Ordered here, not by the models' orderings, which would join the review to sort rows
    # that all belong to it. Prefetched into lists (to_attr): otherwise Django builds a
    # queryset for each recommendation and action, which takes longer than reading the rows.
    actions = _with_updates(Action.objects.select_related("owner_agency").order_by("pk"))
    recommendations = (
        review.recommendations.select_related("lead_agency")
        .prefetch_related(
            Prefetch("themes", to_attr="theme_list"),
            Prefetch("actions", queryset=actions, to_attr="plan_actions"),
        )
        .order_by("number")
    )
    plan = [(r, [_row(a, today) for a in r.plan_actions]) for r in recommendations]
    for recommendation, _ in plan:  # a national one: when its body's reply is due, how late
        recommendation.review = review
        recommendation.reply_due = deadlines.national_reply_due(recommendation)
        recommendation.reply_overdue_days = deadlines.national_reply_overdue(recommendation, today)
    return plan


def plan_last_updated(*, review: Review, plan) -> datetime | None:
    """When the plan last changed: the newest change to a recommendation, an action or an
    update on one (every change is in their histories). Looked up by the ids of the plan
    just read, each history by its own indexed column."""
    recommendation_ids = [recommendation.pk for recommendation, _ in plan]
    action_ids = [row.action.pk for _, rows in plan for row in rows]
    moments = [
        Recommendation.history.filter(review_id=review.pk).aggregate(at=Max("history_date"))["at"],
        _newest(Action.history.filter(recommendation_id__in=recommendation_ids), "recommendation"),
        _newest(ActionUpdate.history.filter(action_id__in=action_ids), "action"),
    ]
    return max((m for m in moments if m is not None), default=None)


def _newest(history: QuerySet, per: str) -> datetime | None:
    """The newest change among the records, found per object (grouped, so that PostgreSQL
    reads the few rows of these objects rather than walking the whole history newest first
    in search of one of them)."""
    found = history.order_by().values(per).annotate(at=Max("history_date")).values_list("at")
    return max((at for (at,) in found), default=None)


@dataclass(frozen=True)
class PublishedUpdate:
    """An accepted update as the published action plan shows it: its date, who sent it (the
    agency, or the partnership when a coordinator sent it for the agency: no person is named
    in a published report), the status it reported and what it said. The coordinator's
    comments and the evidence files are not published."""

    on: date
    by: str
    status: str
    narrative: str


def published_updates(*, review: Review, plan) -> dict[int, list[PublishedUpdate]]:
    """Every accepted update on each action of the plan just read, oldest first, by action id:
    one read of the updates and one of their authors' agencies, however many there are."""
    owners = {row.action.pk: row.action.owner_agency for _, rows in plan for row in rows}
    updates = list(
        ActionUpdate.objects.filter(action_id__in=owners, state=ActionUpdate.State.ACCEPTED)
        .order_by("submitted_at", "pk")
        .values_list("action_id", "author_id", "submitted_at", "new_status", "narrative")
    )
    contacts = set(
        AgencyContact.objects.filter(user_id__in={author for _, author, *_ in updates}).values_list(
            "user_id", "agency_id"
        )
    )
    statuses = dict(Action.Status.choices)
    out: dict[int, list[PublishedUpdate]] = {}
    for action_id, author_id, submitted_at, status, narrative in updates:
        agency = owners[action_id]
        by = agency.name if (author_id, agency.pk) in contacts else review.partnership.name
        out.setdefault(action_id, []).append(
            PublishedUpdate(
                timezone.localtime(submitted_at).date(), by, statuses[status], narrative
            )
        )
    return out


AGENCY_PAGE_SIZE = 25


@dataclass(frozen=True)
class ActionRow:
    """An action in a list of them: whether an update on it awaits the coordinator, and how
    late it is."""

    action: Action
    awaiting: bool
    overdue_days: int | None


@dataclass(frozen=True)
class ActionsPage:
    page: Page
    rows: list[ActionRow]


def agency_actions(*, user, today: date, open_ones: bool, page=1) -> ActionsPage:
    """'Your actions': the actions the user's agencies own, across every review of the
    partnerships the user serves for each agency, open ones (soonest target first) or closed
    ones (latest first), a page at a time: an agency may own hundreds."""
    actions = Action.objects.select_related("recommendation__review__partnership").filter(
        served_q(
            user, agency="owner_agency_id", partnership="recommendation__review__partnership_id"
        ),
        recommendation__review__status__in=workflow.PLAN_SHARED_IN,
    )
    if open_ones:
        actions = actions.exclude(status__in=Action.CLOSED).order_by("target_date", "pk")
    else:
        actions = actions.filter(status__in=Action.CLOSED).order_by("-target_date", "-pk")
    awaiting = ActionUpdate.objects.filter(
        action=OuterRef("pk"), state=ActionUpdate.State.SUBMITTED
    )
    found = Paginator(actions.annotate(awaiting=Exists(awaiting)), AGENCY_PAGE_SIZE).get_page(page)
    rows = [ActionRow(a, a.awaiting, overdue_days(a, today)) for a in found.object_list]
    return ActionsPage(found, rows)


def update_requests(*, partnership) -> QuerySet[UpdateRequest]:
    return partnership.update_requests.select_related("sent_by").prefetch_related(
        Prefetch("agencies", queryset=RequestedAgency.objects.select_related("agency"))
    )


def requested_of_me(*, user) -> QuerySet[RequestedAgency]:
    """The requests for updates the user's agencies have not answered yet, of the
    partnerships the user serves for each."""
    return (
        RequestedAgency.objects.filter(
            served_q(user, agency="agency_id", partnership="request__partnership_id"),
            answered_on__isnull=True,
        )
        .select_related("request__partnership", "agency")
        .prefetch_related("actions")
        .order_by("request__due_on")
    )


@dataclass(frozen=True)
class CoveredAction:
    """An action an escalation covers: since when, and how late it is on the day asked (None
    once it is closed, or while it is not due)."""

    action: Action
    added_at: datetime
    overdue_days: int | None


def _covered():
    return Prefetch(
        "covered",
        queryset=EscalatedAction.objects.select_related("action__recommendation__review"),
    )


def covered_actions(escalation: Escalation, *, on: date) -> list[CoveredAction]:
    """The actions the escalation covers, by recommendation and target date."""
    return [
        CoveredAction(c.action, c.added_at, overdue_days(c.action, on))
        for c in escalation.covered.all()
    ]


def with_covered_actions(escalations: list[Escalation], *, on: date) -> list[Escalation]:
    """The escalations, each given its `covered_actions` on `on`, read for all of them at once."""
    prefetch_related_objects(escalations, _covered())
    for escalation in escalations:
        escalation.covered_actions = covered_actions(escalation, on=on)
    return escalations


def escalations(*, partnership, today: date) -> list[Escalation]:
    """A partnership's escalations, each with its `covered_actions` on `today`."""
    rows = partnership.escalations.select_related(
        "agency",
        "review",
        "requested__request",
        "proposed_by",
        "decided_by",
    )
    return with_covered_actions(list(rows), on=today)


def escalation_get(*, user, pk: int, today: date) -> Escalation:
    """One escalation of a partnership the user manages (a 404 otherwise), with its
    `covered_actions` on `today`."""
    escalation = get_object_or_404(
        Escalation.objects.select_related("partnership", "agency", "review")
        .prefetch_related(_covered())
        .filter(partnership__in=partnerships_managed_by(user)),
        pk=pk,
    )
    escalation.covered_actions = covered_actions(escalation, on=today)
    return escalation


def escalation_candidates(*, action: Action, today: date) -> QuerySet[Action]:
    """What a coordinator escalating `action` is offered to escalate with it: the owning
    agency's other open actions on the review past their target date and in no open
    escalation (one awaiting the chair, or whose letter awaits an outcome)."""
    return (
        Action.objects.filter(
            recommendation__review_id=action.recommendation.review_id,
            owner_agency_id=action.owner_agency_id,
            target_date__lt=today,
        )
        .exclude(pk=action.pk)
        .exclude(status__in=Action.CLOSED)
        .exclude(escalations__status__in=Escalation.OPEN)
        .select_related("recommendation")
        .order_by("recommendation__number", "target_date", "pk")
    )


def escalation_gathering(*, review: Review, agency, today: date) -> Escalation | None:
    """The agency's escalation on the review still awaiting the chair, which takes any action
    escalated now (the first proposed, should there be several), with its `covered_actions`."""
    escalation = (
        Escalation.objects.filter(review=review, agency=agency, status=Escalation.GATHERING)
        .prefetch_related(_covered())
        .order_by("proposed_at", "pk")
        .first()
    )
    if escalation is not None:
        escalation.covered_actions = covered_actions(escalation, on=today)
    return escalation


def action_escalations(action: Action) -> QuerySet[Escalation]:
    """The escalations covering an action, newest first (for its partnership's leads)."""
    return action.escalations.select_related("agency", "partnership")


def action_history(action: Action) -> list:
    """Every saved change to the action and its updates, newest first: when, who, and what
    changed, field by field (an action has no confidential field)."""
    entries = entries_for(
        action.history.select_related("history_user").order_by("history_date", "history_id"),
        lambda record: "Action",
        show_confidential=False,
    )
    for records in records_by_object(ActionUpdate.history.filter(action_id=action.pk)):
        entries += entries_for(records, lambda record: "Update", show_confidential=False)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def sees_plan(*, user, review: Review) -> bool:
    """Whether the user may open the review's plan page (an insider), not only this action."""
    return reviews_visible_to(user).filter(pk=review.pk).exists()


def agencies_with_open_actions(partnership) -> QuerySet[Agency]:
    """Agencies owning open actions in the partnership's plans that are taking updates."""
    return Agency.objects.filter(actions__in=open_actions_of(partnership)).distinct()


def open_actions_of(partnership) -> QuerySet[Action]:
    """Open actions in the partnership's plans that are taking updates."""
    return Action.objects.filter(
        recommendation__review__partnership=partnership,
        recommendation__review__status__in=workflow.UPDATES_OPEN_IN,
    ).exclude(status__in=Action.CLOSED)

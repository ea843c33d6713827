"""The action plan's tasks for the work queues (`reviews.work`, registered in `apps.py`):
updates for the coordinator to accept or return, escalations for the chair to decide and for the
coordinator to follow up, closing audits for the chair once every action is closed, and for an
agency's contacts their updates returned (with the coordinator's reason), the updates asked of
them, and their actions overdue or due soon."""

from dataclasses import replace
from datetime import date

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse

from recommendations import workflow
from recommendations.deadlines import action_deadlines
from recommendations.models import (
    Action,
    ActionUpdate,
    Escalation,
    Recommendation,
    RequestedAgency,
)
from reviews.models import Review, Status
from reviews.work import INSTRUCTIONS, Actor, Item, chased_today, item_from_deadline


def _review_items(reviews: QuerySet[Review], today: date) -> list[Item]:
    items = []
    waiting = ActionUpdate.objects.filter(
        state=ActionUpdate.State.SUBMITTED,
        action__recommendation__review__in=reviews,
        action__recommendation__review__status__in=workflow.UPDATES_OPEN_IN,
    ).select_related("action__owner_agency", "action__recommendation__review__partnership")
    for update in waiting:
        review = update.action.recommendation.review
        items.append(
            Item.of_review(
                review,
                kind="update-to-review",
                actor=Actor.COORDINATORS,
                what=f"Update from {update.action.owner_agency.name}: "
                f"{update.get_new_status_display().lower()}",
                url=reverse("recommendations:update_review", args=[update.pk]),
                today=today,
                since=update.submitted_at.date(),
                agency=update.action.owner_agency,
                key=("action_update", str(update.pk)),
            )
        )
    escalations = (
        Escalation.objects.filter(
            partnership__in=reviews.values("partnership"), status__in=Escalation.OPEN
        )
        .select_related("partnership", "agency", "review")
        .annotate(action_count=Count("covered"))
    )
    for escalation in escalations:
        proposed = escalation.status == Escalation.Status.PROPOSED
        count = escalation.action_count
        to = f"Escalation to {escalation.agency.name}" + (
            f" ({count} action{'s' if count != 1 else ''})" if count else ""
        )
        items.append(
            Item(
                kind="escalation",
                actor=Actor.CHAIRS if proposed else Actor.COORDINATORS,
                partnership=escalation.partnership,
                review=escalation.review,
                what=f"{to}: approve or decline" if proposed else f"{to}: record the outcome",
                url=reverse(
                    "recommendations:escalation_decide"
                    if proposed
                    else "recommendations:escalation_outcome",
                    args=[escalation.pk],
                ),
                today=today,
                since=(escalation.proposed_at if proposed else escalation.decided_at).date(),
                agency=escalation.agency,
                key=("escalation", str(escalation.pk)),
            )
        )
    return items


def _closing_audits(reviews: QuerySet[Review], today: date) -> list[Item]:
    """Reviews being monitored with a plan whose every action is completed or no longer applies
    (what `workflow.open_actions_missing` asks before "conclude", read for all at once): the
    chair's closing audit concludes them."""
    open_action = Action.objects.filter(recommendation__review=OuterRef("pk")).exclude(
        status__in=Action.CLOSED
    )
    bare = Recommendation.objects.filter(review=OuterRef("pk"), actions__isnull=True)
    ready = (
        reviews.filter(status=Status.MONITORING)
        .filter(Exists(Recommendation.objects.filter(review=OuterRef("pk"))))
        .exclude(Exists(open_action))
        .exclude(Exists(bare))
        .select_related("partnership")
    )
    return [
        Item.of_review(
            review,
            kind="closing-audit",
            actor=Actor.CHAIRS,
            what="Confirm the closing audit and conclude the review",
            url=reverse("reviews:conclude", args=[review.pk]),
            today=today,
            since=review.monitoring_started_on,
            key=("review.conclude", str(review.pk)),
        )
        for review in ready
    ]


def _agency_items(agencies: list[int], today: date) -> list[Item]:
    if not agencies:
        return []
    items = []
    theirs = Action.objects.filter(owner_agency_id__in=agencies)
    reviews = Review.objects.filter(pk__in=theirs.values("recommendation__review"))
    # Their actions the chase is chasing (overdue, or within the reminder days), each saying
    # when an update sent on it is waiting for the coordinator.
    waiting = dict(
        ActionUpdate.objects.filter(
            action__in=theirs, state=ActionUpdate.State.SUBMITTED
        ).values_list("action_id", "submitted_at")
    )
    for deadline in action_deadlines(reviews=reviews, today=today, until=None):
        if deadline.agency.pk in agencies and chased_today(deadline, today):
            item = item_from_deadline(deadline, today)
            sent = waiting.get(int(deadline.object_id))
            if sent is not None:
                item = replace(
                    item,
                    note=f"Your update of {sent:%-d %B %Y} is waiting for the coordinator "
                    "to accept it.",
                )
            items.append(item)
    # Their updates the coordinator returned, with the reason, not yet sent again.
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-submitted_at", "-pk")
    returned = (
        theirs.filter(recommendation__review__status__in=workflow.UPDATES_OPEN_IN)
        .exclude(status__in=Action.CLOSED)
        .annotate(
            latest_state=Subquery(latest.values("state")[:1]),
            returned_at=Subquery(latest.values("reviewed_at")[:1]),
            returned_comment=Subquery(latest.values("review_comment")[:1]),
        )
        .filter(latest_state=ActionUpdate.State.RETURNED)
        .select_related("owner_agency", "recommendation__review__partnership")
    )
    for action in returned:  # the latest update, the one returned, read with the action
        review = action.recommendation.review
        items.append(
            Item.of_review(
                review,
                kind="action",
                actor=Actor.AGENCY,
                what=f"Update returned: send it again ({action.recommendation})",
                url=reverse("recommendations:update", args=[action.pk]),
                today=today,
                since=action.returned_at.date() if action.returned_at else None,
                agency=action.owner_agency,
                note=f"Returned with this comment: {action.returned_comment}",
                key=("action.returned", str(action.pk)),
            )
        )
    # Every request for updates they have not answered, from the day it is asked.
    asked = RequestedAgency.objects.filter(
        agency_id__in=agencies, answered_on__isnull=True
    ).select_related("request__partnership", "agency")
    for item in asked:
        items.append(
            Item(
                kind="update-request",
                actor=Actor.AGENCY,
                partnership=item.request.partnership,
                review=None,
                what=f"Updates from {item.agency.name}",
                todo=INSTRUCTIONS["update-request"],
                url=reverse("recommendations:your_actions"),
                today=today,
                due=item.request.due_on,
                agency=item.agency,
                key=("update_request", str(item.pk)),
            )
        )
    return items


def plan_work(*, reviews: QuerySet[Review], agencies: list[int], today: date) -> list[Item]:
    return (
        _review_items(reviews, today)
        + _closing_audits(reviews, today)
        + _agency_items(agencies, today)
    )

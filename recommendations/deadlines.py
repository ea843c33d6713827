"""The action plan's deadlines, added to the chase and the dashboard as a deadline source
(`reviews.extensions`, registered in `apps.py`): every open action's target date and every
request for updates an agency has not answered, both chased with the owning agency's contacts."""

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from recommendations import workflow
from recommendations.models import Action, RequestedAgency
from reviews.deadlines import Chase, Deadline
from reviews.models import Review


def action_deadline(action: Action, today: date) -> Deadline | None:
    """An open action's target date, while its review takes updates (its page's "overdue" tag
    and the plan's come from here too); None for a closed action."""
    review = action.recommendation.review
    if not action.is_open or review.status not in workflow.UPDATES_OPEN_IN:
        return None
    return Deadline.on(
        action.target_date,
        today=today,
        object_type="action",
        object_id=action.pk,
        partnership=review.partnership,
        review=review,
        what=f"Action for {action.owner_agency.name} ({action.recommendation})",
        chase=Chase.AGENCY,
        cycle=action.target_date.isoformat(),  # a new target agreed
        agency=action.owner_agency,
        url=reverse("recommendations:action", args=[action.pk]),
        agency_may_open=True,
        kind="action",
    )


def action_deadlines(*, reviews: QuerySet[Review], today: date, until: date | None) -> list:
    actions = (
        Action.objects.filter(
            recommendation__review__in=reviews,
            recommendation__review__status__in=workflow.UPDATES_OPEN_IN,
        )
        .exclude(status__in=Action.CLOSED)
        .select_related("recommendation__review__partnership", "owner_agency")
    )
    if until is not None:
        actions = actions.filter(target_date__lte=until)
    return [action_deadline(action, today) for action in actions]


def update_request_deadlines(*, reviews: QuerySet[Review], today: date, until: date | None) -> list:
    asked = RequestedAgency.objects.filter(
        request__partnership__in=reviews.values("partnership"), answered_on__isnull=True
    ).select_related("request__partnership", "agency")
    if until is not None:
        asked = asked.filter(request__due_on__lte=until)
    return [
        Deadline.on(
            item.request.due_on,
            today=today,
            object_type="update_request",
            object_id=item.pk,
            partnership=item.request.partnership,
            review=None,
            what=f"Updates asked of {item.agency.name}",
            chase=Chase.AGENCY,
            agency=item.agency,
            url=reverse("recommendations:your_actions"),
            agency_may_open=True,
            remind_before=False,  # the request itself was the notice
            kind="update-request",
        )
        for item in asked
    ]

"""The action plan's deadlines, added to the chase and the dashboard as a deadline source
(`reviews.extensions`, registered in `apps.py`): every open action's target date and every
request for updates an agency has not answered, both chased with the owning agency's contacts;
and every national recommendation's reply from its body, chased with the coordinators."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse

from recommendations import workflow
from recommendations.models import Action, Recommendation, RequestedAgency, Scope
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
            what=f"Updates from {item.agency.name}",
            chase=Chase.AGENCY,
            agency=item.agency,
            url=reverse("recommendations:your_actions"),
            agency_may_open=True,
            remind_before=False,  # the request itself was the notice
            kind="update-request",
        )
        for item in asked
    ]


def national_reply_due(recommendation: Recommendation) -> date | None:
    """When the national body's reply is due: the partnership's days after the recommendation
    was sent to it (None until it is sent, and once the reply is in)."""
    sent = recommendation.sent_to_body_on
    if sent is None or recommendation.body_replied_on is not None:
        return None
    return sent + timedelta(days=recommendation.review.partnership.national_reply_days)


def national_reply_overdue(recommendation: Recommendation, today: date) -> int | None:
    """How many days the national body's reply is overdue, as the chase counts it (None when
    it is not, or is no longer chased)."""
    due = national_reply_due(recommendation)
    if due is None or recommendation.review.status not in workflow.PLAN_EDITABLE_IN:
        return None
    late = (today - due).days
    return late if late > 0 else None


def national_reply_deadlines(*, reviews: QuerySet[Review], today: date, until: date | None) -> list:
    """Each national recommendation sent to its body and not yet answered, while its plan may
    change, chased with the coordinators from the day the reply is due (the sending was the
    notice)."""
    waiting = Recommendation.objects.filter(
        review__in=reviews,
        review__status__in=workflow.PLAN_EDITABLE_IN,
        scope=Scope.NATIONAL,
        sent_to_body_on__isnull=False,
        body_replied_on__isnull=True,
    ).select_related("review__partnership")
    deadlines = []
    for recommendation in waiting:
        due = national_reply_due(recommendation)
        if until is not None and due > until:
            continue
        review = recommendation.review
        body = recommendation.addressee_name or "the national body"
        deadlines.append(
            Deadline.on(
                due,
                today=today,
                object_type="recommendation.national_reply",
                object_id=recommendation.pk,
                partnership=review.partnership,
                review=review,
                what=f"Reply from {body} to {recommendation}",
                chase=Chase.COORDINATORS,
                cycle=recommendation.sent_to_body_on.isoformat(),  # sent again: chased anew
                url=reverse("recommendations:national_reply", args=[review.pk, recommendation.pk]),
                remind_before=False,
                kind="national-reply",
                coordinators_form=True,
            )
        )
    return deadlines

"""Writes to the action plan itself: its recommendations and their actions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from dhr.services import record_apply, record_save
from recommendations import workflow
from recommendations.models import (
    Action,
    NationalBody,
    Recommendation,
)
from recommendations.services.updates import mark_answered
from reviews.models import Review
from reviews.services import review_lock

RECOMMENDATION_FIELDS = (
    "text",
    "scope",
    "lead_agency",
    "addressee",
    "addressee_other",
    "sent_to_body_on",
)


ACTION_FIELDS = (
    "description",
    "owner_agency",
    "contact",
    "target_date",
    "completion_evidence",
)


@transaction.atomic
def recommendation_save(
    *, review: Review, by, data: dict, recommendation: Recommendation | None = None
) -> Recommendation:
    """Add a recommendation (numbered after the last) or change one."""
    review = review_lock(review)
    workflow.guard_plan_edit(review, by)
    if recommendation is None:
        latest = review.recommendations.aggregate(n=Max("number"))["n"] or 0
        recommendation, reason = Recommendation(review=review, number=latest + 1), "added"
    else:
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        reason = "changed"
    record_apply(recommendation, data, RECOMMENDATION_FIELDS)
    addressed(recommendation, asked="addressee" in data)
    record_save(recommendation, by=by, reason=f"Recommendation {reason}")
    if review.no_recommendations_reason:
        # The plan has one now: the CSP chair's reason for making none no longer stands.
        review.no_recommendations_reason = ""
        record_save(review, by=by, reason="Reason for making no recommendations withdrawn")
    if "themes" in data:
        recommendation.themes.set(data["themes"])
    return recommendation


def addressed(recommendation: Recommendation, *, asked: bool) -> None:
    """A national recommendation names the national body it is addressed to (when the caller
    was asked for it: one recorded before, or imported from a tracker, keeps a blank addressee
    until a coordinator sets it); a local or regional one is addressed to nobody."""
    if not recommendation.is_national:
        recommendation.addressee = recommendation.addressee_other = ""
        recommendation.sent_to_body_on = None
        return
    if asked and not recommendation.addressee:
        raise ValidationError(
            {"addressee": "Select the national body the recommendation is addressed to"}
        )
    if recommendation.addressee != NationalBody.OTHER:
        recommendation.addressee_other = ""
    elif not recommendation.addressee_other.strip():
        raise ValidationError({"addressee_other": "Enter the name of the national body"})


@transaction.atomic
def action_save(
    *, recommendation: Recommendation, by, data: dict, action: Action | None = None
) -> Action:
    """Add an action to a recommendation, or change what it says (not its status: that moves
    only by an accepted update)."""
    review_lock(recommendation.review)
    workflow.guard_plan_edit(recommendation.review, by)
    if action is None:
        action, reason = Action(recommendation=recommendation), "Action added"
    else:
        action, reason = Action.objects.select_for_update().get(pk=action.pk), "Action changed"
    record_apply(action, data, ACTION_FIELDS)
    partnership = recommendation.review.partnership
    if (
        action.contact_id
        and not action.contact.agency_contacts.filter(
            agency_id=action.owner_agency_id, partnerships=partnership
        ).exists()
    ):
        raise ValidationError(
            f"Choose a contact of {action.owner_agency} for {partnership.name}, or no named contact"
        )
    record_save(action, by=by, reason=reason)
    mark_answered(action)
    return action

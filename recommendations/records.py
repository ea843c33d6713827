"""The action plan's part of a review's whole record (`reviews.records`): its recommendations,
actions, updates and escalations with their histories, the plan as CSV, and the evidence
files; at the end of the retention period the evidence files (which may name people) go."""

from django.utils import timezone

from recommendations import exports, selectors
from recommendations.models import (
    Action,
    ActionUpdate,
    EscalatedAction,
    Escalation,
    Evidence,
    Recommendation,
)
from reviews.records import files, remove_file, with_history


def parts(review) -> dict[str, bytes]:
    out = with_history("recommendation", Recommendation.objects.filter(review=review))
    out |= with_history("action", Action.objects.filter(recommendation__review=review))
    out |= with_history(
        "action-update", ActionUpdate.objects.filter(action__recommendation__review=review)
    )
    out |= with_history("escalation", Escalation.objects.filter(review=review))
    out |= with_history(
        "escalated-action", EscalatedAction.objects.filter(escalation__review=review)
    )
    now = timezone.localtime()
    plan = selectors.action_plan(review=review, today=now.date())
    out["action-plan.csv"] = exports.plan_csv(review, plan, generated=now).encode()
    evidence = Evidence.objects.filter(update__action__recommendation__review=review)
    out |= files("evidence", evidence)
    return out


def scrub(review) -> None:
    for evidence in Evidence.objects.filter(update__action__recommendation__review=review):
        remove_file(evidence)

"""National recommendations: the national body's reply, recorded with its date, by hand or
from the answers a Home Office QA letter gives (the coordinator saying which answer goes with
which recommendation)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dhr.services import record_apply, record_save
from recommendations import workflow
from recommendations.models import Recommendation
from reviews.services import review_lock

REPLY_FIELDS = ("sent_to_body_on", "body_replied_on", "body_reply", "body_reply_source")


def _check_reply(recommendation: Recommendation) -> None:
    today = timezone.localdate()
    sent, replied = recommendation.sent_to_body_on, recommendation.body_replied_on
    errors = {}
    if sent is not None and sent > today:
        errors["sent_to_body_on"] = "The date it was sent must be today or in the past"
    if replied is not None and replied > today:
        errors["body_replied_on"] = "The date of the reply must be today or in the past"
    elif sent and replied and replied < sent:
        errors["body_replied_on"] = (
            "The date of the reply must be the same as or after the date it was sent"
        )
    if replied and not recommendation.body_reply.strip():
        errors["body_reply"] = "Enter what the national body replied"
    if recommendation.body_reply.strip() and not replied:
        errors["body_replied_on"] = "Enter the date of the reply"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def national_reply_record(*, recommendation: Recommendation, by, data: dict) -> Recommendation:
    """The coordinator records when the recommendation was sent to its national body, and the
    body's reply with its date (any of them; a field left out stays as it is)."""
    review_lock(recommendation.review)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    workflow.guard_national_reply(recommendation, by)
    record_apply(recommendation, data, REPLY_FIELDS)
    _check_reply(recommendation)
    reason = "National body's reply recorded" if recommendation.body_replied_on else "Sent date"
    record_save(recommendation, by=by, reason=reason)
    return recommendation


@transaction.atomic
def national_answers_record(
    *, review, by, answers: dict[int, list[str]], replied_on: date, source: str
) -> list[Recommendation]:
    """Answers a Home Office letter gives to national recommendations, as the coordinator
    matched them: {recommendation id: [the letter's answers to it]}. Each recommendation's
    reply becomes those answers, dated as the letter. All or nothing."""
    review = review_lock(review)
    if not any(answers.values()):
        raise ValidationError("Select the recommendation at least one answer is to")
    chosen = Recommendation.objects.select_for_update().filter(
        review=review, pk__in=[pk for pk, texts in answers.items() if texts]
    )
    saved = []
    for recommendation in chosen.order_by("number"):
        workflow.guard_national_reply(recommendation, by)
        recommendation.body_replied_on = replied_on
        recommendation.body_reply = "\n\n".join(answers[recommendation.pk])
        recommendation.body_reply_source = source[:200]
        _check_reply(recommendation)
        record_save(recommendation, by=by, reason=f"National body's reply recorded from {source}")
        saved.append(recommendation)
    if len(saved) != len([texts for texts in answers.values() if texts]):
        raise ValidationError("Choose only the review's national recommendations")
    return saved

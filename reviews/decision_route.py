"""Every write on the route after a decision not to hold a review, and the safeguarding
partners' notice (see docs/decisions/0016). The Home Office is told of the decision with its
reasons (`services.review_record_home_office_told`); its QA panel agrees, or asks the
partnership to reconsider, when the review goes back to the CSP chair (`decision_pending`) for a
fresh decision (`services.review_record_decision`); a Secretary of State's direction opens the
same review, its clocks running from the direction. Each is atomic, locks the review, checks
the workflow guard and is kept in the review's history, as in `services`."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dhr.services import record_save
from reviews import clocks, workflow
from reviews.models import DecisionQAView, Review
from reviews.services import _save, review_lock


def _not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})


@transaction.atomic
def review_record_decision_qa_view(
    *, review: Review, by, view: str, received_on: date, comment: str = ""
) -> DecisionQAView:
    """The Home Office QA panel's view on a decision not to hold a review, from its letter,
    with that decision kept on it as it stands (its date, due date, who decided, reasons, and
    when the Home Office and the family were told). Asked to reconsider, the review goes back
    to the CSP chair, whose fresh decision is due a month from the letter
    (`clocks.decision_due`)."""
    review = review_lock(review)
    if view not in DecisionQAView.View:
        raise ValidationError({"view": "Select the panel's view on the decision"})
    action = (
        "qa_panel_asks_to_reconsider"
        if view == DecisionQAView.View.RECONSIDER
        else "qa_panel_agrees"
    )
    transition = workflow.guard(review, action, by)
    if received_on < review.home_office_told_on:
        raise ValidationError(
            {
                "received_on": "The date of the panel's letter must be on or after the Home "
                f"Office was told, {review.home_office_told_on:%-d %B %Y}"
            }
        )
    _not_in_future(received_on, "received_on", "The date of the panel's letter")
    # The decision the panel considered, kept as it stands: a fresh decision overwrites the
    # review's own fields (see docs/decisions/0016).
    qa_view = DecisionQAView(
        review=review,
        view=view,
        received_on=received_on,
        comment=comment,
        decision_on=review.decided_on,
        decision_due_on=clocks.decision_due(review),
        decided_by=review.decided_by,
        decision_reasons=review.decision_reasons,
        home_office_told_on=review.home_office_told_on,
        family_told_on=review.family_told_on,
        recorded_by=by,
    )
    record_save(qa_view, by=by, reason="Home Office QA panel's view recorded")
    if view == DecisionQAView.View.RECONSIDER:
        review.reconsideration_asked_on = received_on
    review.status = transition.target
    _save(review, by=by, reason=transition.label)
    return qa_view


@transaction.atomic
def review_record_direction(*, review: Review, by, directed_on: date, notes: str = "") -> Review:
    """The Secretary of State directed a review: the same record opens (not a new review), at
    'proceeding', its report's clock and the rest counted from the direction's date."""
    review = review_lock(review)
    transition = workflow.guard(review, "direct_review", by)
    if directed_on < review.decided_on:
        raise ValidationError(
            {
                "directed_on": "The date of the direction must be on or after the decision, "
                f"{review.decided_on:%-d %B %Y}"
            }
        )
    _not_in_future(directed_on, "directed_on", "The date of the direction")
    review.directed_on = directed_on
    review.direction_notes = notes
    review.status = transition.target
    _save(review, by=by, reason=transition.label)
    return review


@transaction.atomic
def review_record_safeguarding_told(*, review: Review, by, told_on: date) -> Review:
    """The day the children's safeguarding partners (the former LSCB) were told of the review."""
    review = review_lock(review)
    workflow.guard_edit(review, "safeguarding_notice", by)
    if review.notified_on and told_on < review.notified_on:
        raise ValidationError(
            {
                "told_on": "The date the safeguarding partners were told must be on or after "
                f"the notification, {review.notified_on:%-d %B %Y}"
            }
        )
    _not_in_future(told_on, "told_on", "The date the safeguarding partners were told")
    review.safeguarding_told_on = told_on
    _save(review, by=by, reason="Children's safeguarding partners told of the review")
    return review

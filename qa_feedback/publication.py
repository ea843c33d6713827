"""Every write after a chair approves a report for publication, beyond the checklist's ticks:
the copies of the report sent (to the Domestic Abuse Commissioner, to the senior manager of each
agency that took part) and a partnership's own publication steps. Atomic, guarded, and kept in
each record's history, as `services.py` does."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dhr.errors import NotAllowed, TransitionError
from dhr.models import Agency, Partnership
from dhr.permissions import may_record
from dhr.services import record_delete, record_save
from qa_feedback import selectors, workflow
from qa_feedback.models import OwnPublicationStep, ReportCopy
from reviews.models import Review
from reviews.services import review_lock


def _sent_on_wrong(review: Review, sent_on: date) -> str:
    if sent_on > timezone.localdate():
        return "The date it was sent must be today or in the past"
    approved = review.approved_for_publication_on
    if approved and sent_on < approved:
        return (
            "The date it was sent must be on or after the CSP chair's approval for publication, "
            f"{approved:%-d %B %Y}"
        )
    return ""


@transaction.atomic
def copy_record(
    *, review: Review, by, agency: Agency | None, sent_on: date, method: str = "", sent_to: str = ""
) -> ReportCopy:
    """Record (or correct) that the approved report was sent: to the Domestic Abuse
    Commissioner when `agency` is None, else to the senior manager of that agency, which must
    have taken part in the review (`selectors.participating_agencies`)."""
    review = review_lock(review)
    workflow.guard_copies(review, by)
    if agency is not None and agency.pk not in {
        a.pk for a in selectors.participating_agencies(review)
    }:
        raise TransitionError(f"{agency} did not take part in this review.")
    wrong = _sent_on_wrong(review, sent_on)
    if wrong:
        raise ValidationError({"sent_on": wrong})
    copy = ReportCopy.objects.filter(review=review, agency=agency).first() or ReportCopy(
        review=review, agency=agency
    )
    is_new = copy.pk is None
    copy.sent_on, copy.method, copy.sent_to, copy.recorded_by = sent_on, method, sent_to, by
    record_save(copy, by=by, reason=f"{copy}: {'recorded' if is_new else 'corrected'}")
    return copy


@transaction.atomic
def copy_remove(*, copy: ReportCopy, by) -> None:
    """A copy recorded by mistake (the wrong agency, say) was not sent after all."""
    review = review_lock(copy.review)
    workflow.guard_copies(review, by)
    record_delete(copy, by=by, reason=f"{copy}: recorded by mistake, removed")


def _guard_own_steps(partnership: Partnership, user) -> None:
    if not may_record(user, partnership.pk):
        raise NotAllowed("Only a coordinator can change the partnership's publication steps.")


def _text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Enter what the step is"})
    return text


@transaction.atomic
def own_step_add(*, partnership: Partnership, by, text: str) -> OwnPublicationStep:
    """A step of the partnership's own, on the checklist of every review approved from today."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    _guard_own_steps(partnership, by)
    text = _text(text)
    if OwnPublicationStep.objects.filter(
        partnership=partnership, removed_on__isnull=True, text__iexact=text
    ).exists():
        raise ValidationError({"text": "The partnership already has this step"})
    step = OwnPublicationStep(
        partnership=partnership, text=text, added_on=timezone.localdate(), added_by=by
    )
    record_save(step, by=by, reason="Publication step added")
    return step


@transaction.atomic
def own_step_edit(*, step: OwnPublicationStep, by, text: str) -> OwnPublicationStep:
    """Reword a step (its meaning kept): the checklists that have it show the new words."""
    Partnership.objects.select_for_update().get(pk=step.partnership_id)
    step = OwnPublicationStep.objects.get(pk=step.pk)
    _guard_own_steps(step.partnership, by)
    if step.removed_on is not None:
        raise TransitionError("This step has been removed: add it again instead.")
    step.text = _text(text)
    record_save(step, by=by, reason="Publication step reworded")
    return step


@transaction.atomic
def own_step_remove(*, step: OwnPublicationStep, by) -> OwnPublicationStep:
    """The step no longer applies to reviews approved from today; those approved before keep
    it (and its tick), as they were approved with it."""
    Partnership.objects.select_for_update().get(pk=step.partnership_id)
    step = OwnPublicationStep.objects.get(pk=step.pk)
    _guard_own_steps(step.partnership, by)
    if step.removed_on is not None:
        return step
    step.removed_on = timezone.localdate()
    record_save(step, by=by, reason="Publication step removed")
    return step

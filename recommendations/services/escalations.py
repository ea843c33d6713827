"""Escalations to an agency's chief executive: proposed by a coordinator or by the daily chase,
decided by a chair (the letter written and sent), closed with their outcome."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from dhr.email import absolute_url, email_queue
from dhr.errors import NotAllowed, TransitionError
from dhr.jobs import file_job_request
from dhr.models import Partnership, Role
from dhr.pdf import html_to_pdf
from dhr.people import emails_of_role
from dhr.permissions import may_record
from dhr.services import record_save, records_create
from recommendations import selectors, workflow
from recommendations.models import (
    Action,
    Escalation,
    RequestedAgency,
)


def _escalation_reason(*, action: Action | None, requested: RequestedAgency | None, today) -> str:
    if action is not None:
        late = (today - action.target_date).days
        return (
            f"The action was due on {action.target_date:%-d %B %Y} and is {late} days overdue "
            f"with no accepted update saying it is done."
        )
    return (
        f"{requested.agency.name} was asked on "
        f"{timezone.localtime(requested.request.sent_at):%-d %B %Y} for "
        f"updates by {requested.request.due_on:%-d %B %Y} and has not sent them."
    )


def _escalation(
    partnership: Partnership,
    action: Action | None,
    requested: RequestedAgency | None,
    *,
    reason: str,
    by=None,
) -> Escalation:
    """A proposal to escalate a late action or a missed request, not yet saved: by a
    coordinator, or (`by` None) by the daily chase."""
    return Escalation(
        partnership=partnership,
        agency=action.owner_agency if action else requested.agency,
        action=action,
        requested=requested,
        reason=reason,
        proposed_by=by,
    )


def _tell_chairs(partnership: Partnership, escalations: list[Escalation]) -> None:
    email_queue(
        to=emails_of_role(partnership.pk, Role.CHAIR)
        + emails_of_role(partnership.pk, Role.COORDINATOR),
        subject=f"Escalation{'s' if len(escalations) != 1 else ''} awaiting your approval: "
        f"{partnership.name}",
        template="email/escalations_proposed",
        context={
            "partnership": partnership,
            "escalations": escalations,
            "url": absolute_url(reverse("recommendations:escalations", args=[partnership.slug])),
        },
        partnership=partnership,
    )


@transaction.atomic
def escalation_raise(
    *, by, reason: str, action: Action | None = None, requested: RequestedAgency | None = None
) -> Escalation:
    """A coordinator proposes an escalation of an action, or of a missed request for updates;
    the chairs are asked to approve it."""
    if (action is None) == (requested is None):
        raise ValueError("Escalate an action or a request for updates")
    if action is not None:
        action = Action.objects.select_for_update().get(pk=action.pk)
        if not action.is_open:
            raise TransitionError(
                f"This action is {action.get_status_display().lower()}: there is nothing to "
                "escalate."
            )
    else:
        requested = RequestedAgency.objects.select_for_update().get(pk=requested.pk)
    partnership = (
        action.recommendation.review.partnership if action else requested.request.partnership
    )
    if not may_record(by, partnership.pk):
        raise NotAllowed("Only a coordinator can propose an escalation.")
    if not reason.strip():
        raise ValidationError("Say why the agency should be escalated")
    open_ = Escalation.objects.filter(status__in=Escalation.OPEN)
    if (action and open_.filter(action=action).exists()) or (
        requested and open_.filter(requested=requested).exists()
    ):
        raise TransitionError("An escalation of this is already open.")
    escalation = _escalation(partnership, action, requested, reason=reason, by=by)
    record_save(escalation, by=by, reason="Escalation proposed")
    _tell_chairs(partnership, [escalation])
    return escalation


def escalations_propose(*, today: date, dry_run: bool = False) -> int:
    """The chase's part: propose an escalation for each action overdue by more than the
    partnership's setting, and each request for updates an agency let pass, unless one was
    proposed before. Returns how many (would be) proposed."""
    count = 0
    for partnership in Partnership.objects.all():
        cutoff = today - timedelta(days=partnership.escalate_after_days)
        late_actions = (
            selectors.open_actions_of(partnership)
            .filter(target_date__lt=cutoff, escalations__isnull=True)
            .select_related("owner_agency", "recommendation__review")
        )
        missed = RequestedAgency.objects.filter(
            request__partnership=partnership,
            answered_on__isnull=True,
            request__due_on__lt=today,
            escalations__isnull=True,
        ).select_related("agency", "request")
        due = [(a, None) for a in late_actions] + [(None, r) for r in missed]
        count += len(due)
        if dry_run or not due:
            continue
        # The proposals (in bulk, with their history) and the chairs' email together: a crash
        # leaves neither.
        with transaction.atomic():
            escalations = records_create(
                [
                    _escalation(
                        partnership,
                        a,
                        r,
                        reason=_escalation_reason(action=a, requested=r, today=today),
                    )
                    for a, r in due
                ],
                by=None,
                reason="Escalation proposed by the daily chase",
            )
            _tell_chairs(partnership, escalations)
    return count


def _letter_pdf(escalation: Escalation, *, chair, sent_on: date) -> bytes:
    action = escalation.action
    html = render_to_string(
        "pdf/escalation_letter.html",
        {
            "escalation": escalation,
            "partnership": escalation.partnership,
            "action": action,
            "review": action.recommendation.review if action else None,
            "requested": escalation.requested,
            "subject": "Domestic Homicide Review action plan: escalation",
            "chair_name": chair.name,
            "sent_on": sent_on,
            "coordinators": emails_of_role(escalation.partnership_id, Role.COORDINATOR),
        },
    )
    return html_to_pdf(html)


LETTER_TASK = "recommendations.tasks.write_escalation_letter"


@transaction.atomic
def escalation_decide(
    *, escalation: Escalation, by, approve: bool, comment: str, send_to: str = ""
) -> Escalation:
    """The steering-group chair approves or declines (with a comment) an escalation. An
    approval queues the letter from the CSP chair to the agency's chief executive, which the
    worker writes, keeps and emails (`escalation_letter_write`); the job that writes it is
    `escalation.letter_job`, for the chair to watch."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    workflow.guard_escalation_decide(escalation, by)
    if not approve and not comment.strip():
        raise ValidationError("Say why the escalation is declined")
    if approve and not send_to.strip():
        raise ValidationError("Enter the chief executive's email address")
    escalation.decided_by, escalation.decided_at = by, timezone.now()
    escalation.decision_comment = comment
    workflow.ESCALATIONS.move(escalation, "approve" if approve else "decline")
    if approve:
        escalation.letter_sent_to = send_to
    record_save(escalation, by=by, reason=f"Escalation {escalation.get_status_display().lower()}")
    email_queue(
        to=emails_of_role(escalation.partnership_id, Role.COORDINATOR),
        subject=f"Escalation {('approved' if approve else 'declined')}: {escalation.agency}",
        template="email/escalation_decided",
        context={
            "escalation": escalation,
            "url": absolute_url(
                reverse("recommendations:escalations", args=[escalation.partnership.slug])
            ),
        },
        partnership=escalation.partnership,
    )
    escalation.letter_job = None
    if approve:
        today = timezone.localdate()
        escalation.letter_job = file_job_request(
            by=by,
            task=LETTER_TASK,
            title=f"Letter to the chief executive of {escalation.agency}",
            filename=f"escalation-letter-{escalation.pk}-OFFICIAL-SENSITIVE.pdf",
            content_type="application/pdf",
            back_url=reverse("recommendations:escalations", args=[escalation.partnership.slug]),
            audit=("escalation_letter", escalation.pk, f"Letter to {escalation.agency}"),
            review_id=escalation.action.recommendation.review_id if escalation.action_id else None,
            params={"escalation": escalation.pk, "chair": by.pk, "sent_on": today.isoformat()},
        )
    return escalation


def escalation_letter_write(job, progress) -> bytes:
    """Made by the worker for an approved escalation's `FileJob`: the letter as a tagged PDF,
    kept on the escalation and emailed to the chief executive, in one transaction. A job made
    again (its worker died) finds the letter kept and sends nothing twice."""
    escalation = Escalation.objects.select_related("partnership", "agency").get(
        pk=job.params["escalation"]
    )
    if escalation.letter:
        with escalation.letter.open("rb") as kept:
            return kept.read()
    chair = job.requested_by
    progress(20, "Writing the letter")
    pdf = _letter_pdf(escalation, chair=chair, sent_on=date.fromisoformat(job.params["sent_on"]))
    progress(80, "Keeping the letter and sending it")
    name = f"escalation-{escalation.agency.name}-{job.params['sent_on']}.pdf"
    written = []  # files written before the commit: removed again if anything fails
    try:
        with transaction.atomic():
            escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
            if escalation.letter:  # another run kept it meanwhile
                return pdf
            escalation.letter.save(name, ContentFile(pdf), save=False)
            written.append(escalation.letter)
            letter_email = email_queue(
                to=[escalation.letter_sent_to],
                subject="Domestic Homicide Review action plan: a letter from the chair of "
                f"{escalation.partnership.name}",
                template="email/escalation_letter",
                context={
                    "escalation": escalation,
                    "chair": chair,
                    "coordinators": emails_of_role(escalation.partnership_id, Role.COORDINATOR),
                },
                partnership=escalation.partnership,
                attachment=(get_valid_filename(name), pdf, "application/pdf"),
            )
            written.append(letter_email.attachment)
            record_save(escalation, by=chair, reason="Escalation letter written and sent")
    except BaseException:
        for stored in written:
            stored.delete(save=False)
        raise
    return pdf


@transaction.atomic
def escalation_record_outcome(
    *, escalation: Escalation, by, outcome: str, notes: str, on: date
) -> Escalation:
    """What came of an approved escalation: a response, the action back on track, or none."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    workflow.guard_escalation_outcome(escalation, by)
    escalation.outcome, escalation.outcome_notes, escalation.outcome_on = outcome, notes, on
    workflow.ESCALATIONS.move(escalation, "record_outcome")
    record_save(escalation, by=by, reason="Escalation outcome recorded")
    return escalation

"""Escalations to an agency's chief executive: proposed by a coordinator or by the daily chase,
decided by a chair (the letter written and sent), closed with their outcome. An escalation of
actions covers all of one agency's overdue actions on one review: one letter, not one per
action (see `Escalation`)."""

from collections.abc import Iterable
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
    EscalatedAction,
    Escalation,
    RequestedAgency,
)
from reviews.models import Review


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _overdue_reason(actions: list[Action], *, today: date) -> str:
    """Why the chase proposes escalating these actions (of one agency, on one review)."""
    if len(actions) == 1:
        [action] = actions
        return (
            f"The action was due on {action.target_date:%-d %B %Y} and is "
            f"{_days((today - action.target_date).days)} overdue with no accepted update saying "
            "it is done."
        )
    first = min(a.target_date for a in actions)
    last = max(a.target_date for a in actions)
    return (
        f"{len(actions)} actions were due between {first:%-d %B %Y} and {last:%-d %B %Y} and "
        f"are {(today - last).days} to {_days((today - first).days)} overdue, with no accepted "
        "update saying any of them is done."
    )


def _request_reason(requested: RequestedAgency) -> str:
    return (
        f"{requested.agency.name} was asked on "
        f"{timezone.localtime(requested.request.sent_at):%-d %B %Y} for "
        f"updates by {requested.request.due_on:%-d %B %Y} and has not sent them."
    )


def _tell_chairs(partnership: Partnership, escalations: list[Escalation], *, today: date) -> None:
    """Email the chairs (and coordinators) the escalations awaiting approval, each with the
    actions it covers and how late each is."""
    selectors.with_covered_actions(escalations, on=today)  # one read for them all
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


def _cover(pairs: list[tuple[Escalation, Action]], *, by, reason: str) -> None:
    """The escalations cover these actions from now on, each join in its history."""
    records_create(
        [EscalatedAction(escalation=e, action=a) for e, a in pairs], by=by, reason=reason
    )


def _gathering(review_ids, agency_ids=None) -> dict[tuple[int, int], Escalation]:
    """The escalations still taking actions (awaiting the chair) of these reviews, locked, one
    for each review and agency: the first proposed, should there be several (escalations of one
    action each, from before they were grouped)."""
    found = Escalation.objects.select_for_update().filter(
        status=Escalation.GATHERING, review_id__in=review_ids
    )
    if agency_ids is not None:
        found = found.filter(agency_id__in=agency_ids)
    gathering = {}
    for escalation in found.order_by("proposed_at", "pk"):
        gathering.setdefault((escalation.review_id, escalation.agency_id), escalation)
    return gathering


def _lock_reviews(review_ids) -> None:
    """Escalations of a review's actions are written with the review locked, so that the chase
    and a coordinator never both start one for the same review and agency."""
    list(Review.objects.select_for_update().filter(pk__in=review_ids).order_by("pk"))


@transaction.atomic
def escalation_raise(
    *,
    by,
    reason: str,
    action: Action | None = None,
    also: Iterable[Action] = (),
    requested: RequestedAgency | None = None,
) -> Escalation:
    """A coordinator proposes an escalation of an action (with `also`, the agency's other
    overdue actions on the review they chose to add: see `selectors.escalation_candidates`), or
    of a missed request for updates; the chairs are asked to approve it. An escalation of the
    agency on the review that is still awaiting the chair takes the actions, the reason added
    to its own, rather than a second one being proposed."""
    if (action is None) == (requested is None):
        raise ValueError("Escalate an action or a request for updates")
    if action is not None:
        _lock_reviews([action.recommendation.review_id])
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("recommendation__review__partnership", "owner_agency")
            .get(pk=action.pk)
        )
        if not action.is_open:
            raise TransitionError(
                f"This action is {action.get_status_display().lower()}: there is nothing to "
                "escalate."
            )
        partnership = action.recommendation.review.partnership
    else:
        requested = RequestedAgency.objects.select_for_update().get(pk=requested.pk)
        partnership = requested.request.partnership
    if not may_record(by, partnership.pk):
        raise NotAllowed("Only a coordinator can propose an escalation.")
    if not reason.strip():
        raise ValidationError("Say why the agency should be escalated")
    if requested is not None:
        if Escalation.objects.filter(status__in=Escalation.OPEN, requested=requested).exists():
            raise TransitionError("An escalation of this request is already open.")
        escalation = Escalation(
            partnership=partnership,
            agency=requested.agency,
            requested=requested,
            reason=reason,
            proposed_by=by,
        )
        record_save(escalation, by=by, reason="Escalation proposed")
        _tell_chairs(partnership, [escalation], today=timezone.localdate())
        return escalation

    today = timezone.localdate()
    already = Escalation.objects.filter(status__in=Escalation.OPEN, actions=action).first()
    if already is not None:
        raise TransitionError(
            "This action is already in an escalation awaiting the CSP chair."
            if already.status == Escalation.Status.PROPOSED
            else "This action is already in an escalation whose letter has been sent: record "
            "its outcome before escalating it again."
        )
    also = [a for a in also if a.pk != action.pk]
    offered = set(
        selectors.escalation_candidates(action=action, today=today).values_list("pk", flat=True)
    )
    if any(a.pk not in offered for a in also):
        raise TransitionError(
            "One of the other actions you chose can no longer be escalated with this one: it "
            "has been completed, given a new target date or escalated since. Check the actions "
            "again."
        )
    actions = [action, *Action.objects.select_for_update().filter(pk__in=[a.pk for a in also])]
    review = action.recommendation.review
    escalation = _gathering([review.pk], [action.owner_agency_id]).get(
        (review.pk, action.owner_agency_id)
    )
    if escalation is None:
        escalation = Escalation(
            partnership=partnership,
            agency=action.owner_agency,
            review=review,
            reason=reason,
            proposed_by=by,
        )
        record_save(escalation, by=by, reason="Escalation proposed")
        _cover([(escalation, a) for a in actions], by=by, reason="Escalation proposed")
    else:
        escalation.add_reason(reason, by=by.name, on=today)
        record_save(escalation, by=by, reason="Actions added by a coordinator")
        _cover([(escalation, a) for a in actions], by=by, reason="Added by a coordinator")
    _tell_chairs(partnership, [escalation], today=today)
    return escalation


def escalations_propose(*, today: date, dry_run: bool = False) -> int:
    """The chase's part. For each agency with actions on a review overdue by more than the
    partnership's setting and never escalated, one escalation covering them all: a new one, or
    the agency's escalation on the review still awaiting the chair, which takes them. And one
    for each request for updates an agency let pass, unless one was proposed before. Returns
    how many escalations were (or would be) proposed or given more actions: a run after another
    on the same day finds nothing to do."""
    count = 0
    for partnership in Partnership.objects.all():
        cutoff = today - timedelta(days=partnership.escalate_after_days)
        late_actions = (
            selectors.open_actions_of(partnership)
            .filter(target_date__lt=cutoff, escalations__isnull=True)
            .select_related("owner_agency", "recommendation__review")
            .order_by("target_date", "pk")
        )
        late: dict[tuple[int, int], list[Action]] = {}
        for action in late_actions:
            key = (action.recommendation.review_id, action.owner_agency_id)
            late.setdefault(key, []).append(action)
        missed = list(
            RequestedAgency.objects.filter(
                request__partnership=partnership,
                answered_on__isnull=True,
                request__due_on__lt=today,
                escalations__isnull=True,
            ).select_related("agency", "request")
        )
        if dry_run:
            count += len(late) + len(missed)
            continue
        if not (late or missed):
            continue
        # The proposals (in bulk, with their history) and the chairs' email together: a crash
        # leaves neither.
        with transaction.atomic():
            _lock_reviews({review_id for review_id, _ in late})
            # Less any a coordinator escalated between the read and the lock.
            taken = set(
                EscalatedAction.objects.filter(
                    action__in=[a.pk for actions in late.values() for a in actions]
                ).values_list("action_id", flat=True)
            )
            late = {
                key: kept
                for key, actions in late.items()
                if (kept := [a for a in actions if a.pk not in taken])
            }
            count += len(late) + len(missed)
            gathering = _gathering({review_id for review_id, _ in late})
            grown = []
            for key, actions in late.items():
                escalation = gathering.get(key)
                if escalation is None:
                    continue
                escalation.add_reason(
                    _overdue_reason(actions, today=today), by="the daily chase", on=today
                )
                record_save(escalation, by=None, reason="Overdue actions added by the daily chase")
                grown.append(escalation)
            new = [key for key in late if key not in gathering]
            escalations = records_create(
                [
                    Escalation(
                        partnership=partnership,
                        agency=late[key][0].owner_agency,
                        review=late[key][0].recommendation.review,
                        reason=_overdue_reason(late[key], today=today),
                    )
                    for key in new
                ]
                + [
                    Escalation(
                        partnership=partnership,
                        agency=r.agency,
                        requested=r,
                        reason=_request_reason(r),
                    )
                    for r in missed
                ],
                by=None,
                reason="Escalation proposed by the daily chase",
            )
            gathering |= dict(zip(new, escalations[: len(new)], strict=True))
            _cover(
                [(gathering[key], action) for key, actions in late.items() for action in actions],
                by=None,
                reason="Added by the daily chase",
            )
            if escalations or grown:
                _tell_chairs(partnership, escalations + grown, today=today)
    return count


def _letter_pdf(escalation: Escalation, *, chair, sent_on: date) -> bytes:
    covered = selectors.covered_actions(escalation, on=sent_on)
    recommendations = list(
        {c.action.recommendation_id: c.action.recommendation for c in covered}.values()
    )
    html = render_to_string(
        "pdf/escalation_letter.html",
        {
            "escalation": escalation,
            "partnership": escalation.partnership,
            "covered": covered,
            "recommendations": recommendations,
            "review": escalation.review,
            "requested": escalation.requested,
            "subject": f"{escalation.partnership.review_words.long} action plan: escalation",
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
            review_id=escalation.review_id,
            params={"escalation": escalation.pk, "chair": by.pk, "sent_on": today.isoformat()},
        )
    return escalation


def escalation_letter_write(job, progress) -> bytes:
    """Made by the worker for an approved escalation's `FileJob`: the letter as a tagged PDF,
    kept on the escalation and emailed to the chief executive, in one transaction. A job made
    again (its worker died) finds the letter kept and sends nothing twice."""
    escalation = Escalation.objects.select_related("partnership", "agency", "review").get(
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
                subject=f"{escalation.partnership.review_words.long} action plan: a letter "
                f"from the CSP chair of {escalation.partnership.name}",
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

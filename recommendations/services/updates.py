"""Agencies' updates on their actions (sent, accepted or returned), and the partnership's requests
for them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dhr.email import absolute_url, email_queue
from dhr.errors import NotAllowed
from dhr.models import Partnership, Role
from dhr.people import emails_of_agency, emails_of_role
from dhr.permissions import may_record
from dhr.services import record_save
from recommendations import selectors, workflow
from recommendations.models import (
    Action,
    ActionUpdate,
    Evidence,
    RequestedAgency,
    UpdateRequest,
)
from reviews.documents import checked_upload


@transaction.atomic
def action_update_submit(
    *,
    action: Action,
    by,
    new_status: str,
    narrative: str,
    not_applicable_reason: str = "",
    files=(),
) -> ActionUpdate:
    """An agency (or a coordinator for it) reports progress, with evidence; the coordinators
    are asked to accept it."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    workflow.guard_update_submit(action, by)
    if new_status == Action.Status.NOT_APPLICABLE and not not_applicable_reason.strip():
        raise ValidationError("Say why the action no longer applies")
    # Every file is checked before any is stored, so a bad one leaves nothing on disk.
    checked = [checked_upload(upload, default_name="evidence") for upload in files]
    update = ActionUpdate(
        action=action,
        author=by,
        new_status=new_status,
        narrative=narrative,
        not_applicable_reason=not_applicable_reason,
    )
    record_save(update, by=by, reason="Update sent")
    stored = []
    try:
        for upload in checked:
            stored.append(Evidence.objects.create(update=update, uploaded_by=by, **upload))
        mark_answered(action)
        _tell_coordinators_of(update, action)
    except BaseException:
        # The rows roll back with the transaction; the files would stay, so remove them.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return update


def _tell_coordinators_of(update: ActionUpdate, action: Action) -> None:
    review = action.recommendation.review
    email_queue(
        to=emails_of_role(review.partnership_id, Role.COORDINATOR),
        subject=f"Update to accept: {action.owner_agency.name}, {review.public_title}",
        template="email/action_update_sent",
        context={
            "update": update,
            "action": action,
            "review": review,
            "url": absolute_url(reverse("recommendations:update_review", args=[update.pk])),
        },
        partnership=review.partnership,
    )


@transaction.atomic
def action_update_accept(*, update: ActionUpdate, by) -> Action:
    """The coordinator accepts an update: the action takes its status. Only an accepted
    'completed' completes an action."""
    update = ActionUpdate.objects.select_for_update().get(pk=update.pk)
    action = Action.objects.select_for_update().get(pk=update.action_id)
    workflow.guard_update_review(update, by, "accept")
    workflow.UPDATES.move(update, "accept")
    update.reviewed_by, update.reviewed_at = by, timezone.now()
    record_save(update, by=by, reason="Update accepted")
    action.status = update.new_status
    action.reported_status = ""  # an imported tracker's word no longer holds
    action.not_applicable_reason = update.not_applicable_reason
    action.completed_on = (
        timezone.localdate() if update.new_status == Action.Status.COMPLETED else None
    )
    record_save(action, by=by, reason=f"Update accepted: {action.get_status_display().lower()}")
    mark_answered(action)
    return action


@transaction.atomic
def action_update_return(*, update: ActionUpdate, by, comment: str) -> ActionUpdate:
    """The coordinator sends an update back with a comment; the action stays as it was."""
    update = ActionUpdate.objects.select_for_update().get(pk=update.pk)
    workflow.guard_update_review(update, by, "return")
    if not comment.strip():
        raise ValidationError("Say what the agency needs to change or add")
    workflow.UPDATES.move(update, "return")
    update.reviewed_by, update.reviewed_at = by, timezone.now()
    update.review_comment = comment
    record_save(update, by=by, reason="Update returned")
    action = update.action
    review = action.recommendation.review
    email_queue(
        to=[update.author.email],
        subject=f"Update returned: {review.public_title}",
        template="email/action_update_returned",
        context={
            "update": update,
            "action": action,
            "review": review,
            "url": absolute_url(reverse("recommendations:action", args=[action.pk])),
        },
        partnership=review.partnership,
    )
    return update


@transaction.atomic
def update_request_send(
    *, partnership: Partnership, by, due_on: date, agencies=None, message: str = ""
) -> UpdateRequest:
    """Ask agencies (all those with open actions, or those chosen) for updates by a date; each
    agency's contacts get an email with a link to their actions."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not may_record(by, partnership.pk):
        raise NotAllowed("Only a coordinator can ask agencies for updates.")
    open_actions = selectors.open_actions_of(partnership)
    chosen = selectors.agencies_with_open_actions(partnership)
    if agencies is not None:
        chosen = chosen.filter(pk__in=[a.pk for a in agencies])
    chosen = list(chosen)
    if not chosen:
        raise ValidationError("No agency has open actions to report on")
    request = UpdateRequest(partnership=partnership, sent_by=by, due_on=due_on, message=message)
    record_save(request, by=by, reason="Updates requested")
    coordinators = emails_of_role(partnership.pk, Role.COORDINATOR)
    for agency in chosen:
        asked = RequestedAgency.objects.create(request=request, agency=agency)
        actions = list(
            open_actions.filter(owner_agency=agency).select_related("recommendation__review")
        )
        asked.actions.set(actions)
        contacts = emails_of_agency(agency.pk, partnership.pk)
        email_queue(
            to=contacts or coordinators,
            subject=f"Updates requested by {due_on:%-d %B %Y}: {partnership.name}",
            template="email/update_requested",
            context={
                "request": request,
                "agency": agency,
                "actions": actions,
                "no_contact": not contacts,
                "url": absolute_url(reverse("recommendations:your_actions")),
            },
            partnership=partnership,
        )
    return request


def mark_answered(action: Action) -> None:
    """An agency has answered a request once every action it was asked about has an update sent
    since the request, leaving out the actions that no longer need one (closed since, moved to
    another agency, or in a plan no longer taking updates). The rows are locked, so two
    contacts answering the last two actions at once cannot both miss it."""
    for asked in (
        RequestedAgency.objects.select_for_update()
        .select_related("request")
        .filter(actions=action, answered_on__isnull=True)
    ):
        still_needed = asked.actions.filter(
            owner_agency=asked.agency,
            recommendation__review__status__in=workflow.UPDATES_OPEN_IN,
        ).exclude(status__in=Action.CLOSED)
        unanswered = still_needed.exclude(updates__submitted_at__gte=asked.request.sent_at)
        if not unanswered.exists():
            asked.answered_on = timezone.localdate()
            asked.save(update_fields=["answered_on"])

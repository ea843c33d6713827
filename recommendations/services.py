"""Every write to an action plan. Each function is atomic, locks the row it changes, checks the
guard in `workflow.py`, and records who made the change and why in the object's history."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from simple_history.utils import bulk_create_with_history

from dhr.email import absolute_url, email_queue
from dhr.models import Agency, Partnership, Role
from dhr.pdf import html_to_pdf
from dhr.people import emails_of_agency, emails_of_role
from dhr.permissions import may_decide, may_record
from dhr.queue import enqueue
from dhr.services import record_apply, record_save, records_create
from recommendations import tracker_import, workflow
from recommendations.models import (
    Action,
    ActionUpdate,
    Escalation,
    Evidence,
    Recommendation,
    RequestedAgency,
    Theme,
    TrackerImport,
    UpdateRequest,
)
from reviews.documents import checked_upload, safe_name
from reviews.models import AgeBand, Review, Sex, Status
from reviews.services import review_lock

RECOMMENDATION_FIELDS = ("text", "scope", "lead_agency")
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
    record_save(recommendation, by=by, reason=f"Recommendation {reason}")
    if "themes" in data:
        recommendation.themes.set(data["themes"])
    return recommendation


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
    if (
        action.contact_id
        and not action.contact.agency_contacts.filter(agency_id=action.owner_agency_id).exists()
    ):
        raise ValidationError(f"Choose a contact of {action.owner_agency}, or no named contact")
    record_save(action, by=by, reason=reason)
    _mark_answered(action)
    return action


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
        _mark_answered(action)
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
    workflow.guard_update_review(update, by)
    update.state = ActionUpdate.State.ACCEPTED
    update.reviewed_by, update.reviewed_at = by, timezone.now()
    record_save(update, by=by, reason="Update accepted")
    action.status = update.new_status
    action.reported_status = ""  # an imported tracker's word no longer holds
    action.not_applicable_reason = update.not_applicable_reason
    action.completed_on = (
        timezone.localdate() if update.new_status == Action.Status.COMPLETED else None
    )
    record_save(action, by=by, reason=f"Update accepted: {action.get_status_display().lower()}")
    _mark_answered(action)
    return action


@transaction.atomic
def action_update_return(*, update: ActionUpdate, by, comment: str) -> ActionUpdate:
    """The coordinator sends an update back with a comment; the action stays as it was."""
    update = ActionUpdate.objects.select_for_update().get(pk=update.pk)
    workflow.guard_update_review(update, by)
    if not comment.strip():
        raise ValidationError("Say what the agency needs to change or add")
    update.state = ActionUpdate.State.RETURNED
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


def agencies_with_open_actions(partnership) -> QuerySet[Agency]:
    """Agencies owning open actions in the partnership's plans that are taking updates."""
    return Agency.objects.filter(actions__in=_open_actions(partnership)).distinct()


def _open_actions(partnership) -> QuerySet[Action]:
    return Action.objects.filter(
        recommendation__review__partnership=partnership,
        recommendation__review__status__in=workflow.UPDATES_OPEN_IN,
    ).exclude(status__in=Action.CLOSED)


@transaction.atomic
def update_request_send(
    *, partnership: Partnership, by, due_on: date, agencies=None, message: str = ""
) -> UpdateRequest:
    """Ask agencies (all those with open actions, or those chosen) for updates by a date; each
    agency's contacts get an email with a link to their actions."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not may_record(by, partnership.pk):
        raise workflow.NotAllowed("Only a coordinator can ask agencies for updates.")
    open_actions = _open_actions(partnership)
    chosen = agencies_with_open_actions(partnership)
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
        contacts = emails_of_agency(agency.pk)
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


def _mark_answered(action: Action) -> None:
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


# --- escalations


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
            raise workflow.TransitionError(
                f"This action is {action.get_status_display().lower()}: there is nothing to "
                "escalate."
            )
    else:
        requested = RequestedAgency.objects.select_for_update().get(pk=requested.pk)
    partnership = (
        action.recommendation.review.partnership if action else requested.request.partnership
    )
    if not may_record(by, partnership.pk):
        raise workflow.NotAllowed("Only a coordinator can propose an escalation.")
    if not reason.strip():
        raise ValidationError("Say why the agency should be escalated")
    open_ = Escalation.objects.filter(status__in=Escalation.OPEN)
    if (action and open_.filter(action=action).exists()) or (
        requested and open_.filter(requested=requested).exists()
    ):
        raise workflow.TransitionError("An escalation of this is already open.")
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
            _open_actions(partnership)
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


@transaction.atomic
def escalation_decide(
    *, escalation: Escalation, by, approve: bool, comment: str, send_to: str = ""
) -> Escalation:
    """The steering-group chair approves (a letter from the CSP chair to the agency's chief
    executive is made, kept and emailed) or declines with a comment."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not may_decide(by, escalation.partnership_id):
        raise workflow.NotAllowed("Only a chair can approve or decline an escalation.")
    if escalation.status != Escalation.Status.PROPOSED:
        raise workflow.TransitionError("This escalation has already been decided.")
    if not approve and not comment.strip():
        raise ValidationError("Say why the escalation is declined")
    if approve and not send_to.strip():
        raise ValidationError("Enter the chief executive's email address")
    escalation.decided_by, escalation.decided_at = by, timezone.now()
    escalation.decision_comment = comment
    coordinators = emails_of_role(escalation.partnership_id, Role.COORDINATOR)
    written = []  # files written before the commit: removed again if anything fails
    try:
        if approve:
            escalation.status = Escalation.Status.APPROVED
            escalation.letter_sent_to = send_to
            pdf = _letter_pdf(escalation, chair=by, sent_on=timezone.localdate())
            name = f"escalation-{escalation.agency.name}-{timezone.localdate():%Y-%m-%d}.pdf"
            escalation.letter.save(name, ContentFile(pdf), save=False)
            written.append(escalation.letter)
            letter_email = email_queue(
                to=[send_to],
                subject="Domestic Homicide Review action plan: a letter from the chair of "
                f"{escalation.partnership.name}",
                template="email/escalation_letter",
                context={"escalation": escalation, "chair": by, "coordinators": coordinators},
                partnership=escalation.partnership,
                attachment=(get_valid_filename(name), pdf, "application/pdf"),
            )
            written.append(letter_email.attachment)
        else:
            escalation.status = Escalation.Status.DECLINED
        record_save(
            escalation, by=by, reason=f"Escalation {escalation.get_status_display().lower()}"
        )
        email_queue(
            to=coordinators,
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
    except BaseException:
        for stored in written:
            stored.delete(save=False)
        raise
    return escalation


@transaction.atomic
def escalation_record_outcome(
    *, escalation: Escalation, by, outcome: str, notes: str, on: date
) -> Escalation:
    """What came of an approved escalation: a response, the action back on track, or none."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not may_record(by, escalation.partnership_id):
        raise workflow.NotAllowed("Only a coordinator can record the outcome.")
    if escalation.status != Escalation.Status.APPROVED:
        raise workflow.TransitionError("Only an approved escalation has an outcome to record.")
    escalation.outcome, escalation.outcome_notes, escalation.outcome_on = outcome, notes, on
    escalation.status = Escalation.Status.CLOSED
    record_save(escalation, by=by, reason="Escalation outcome recorded")
    return escalation


# --- importing a partnership's tracker

IMPORT_TASK = "recommendations.tasks.import_tracker"


def tracker_import_read(*, partnership: Partnership, upload, by) -> TrackerImport:
    """Read and check an uploaded tracker, and keep what was found for the coordinator to
    confirm (nothing else is written). Raises ValidationError for a file that is not a
    tracker at all."""
    if not may_record(by, partnership.pk):
        raise workflow.NotAllowed("Only a coordinator can import a tracker.")
    data = upload.read(tracker_import.MAX_BYTES + 1)
    try:
        reading = tracker_import.read_tracker(upload.name, data, partnership)
    except tracker_import.TrackerFileError as error:
        raise ValidationError(str(error)) from error
    job = TrackerImport(
        partnership=partnership,
        uploaded_by=by,
        original_name=safe_name(upload.name, "tracker"),
        total_rows=reading.total_rows,
        rows=reading.rows,
        errors=reading.errors,
        new_agencies=reading.new_agencies,
        result={
            "planned": reading.changes,
            "new_themes": reading.new_themes,
            "new_reviews": reading.new_reviews,
            "suggestions": reading.suggestions,
        },
    )
    job.file.save(job.original_name, ContentFile(data), save=False)
    job.save()
    return job


@transaction.atomic
def tracker_import_confirm(
    *, job: TrackerImport, by, good_rows_only: bool, agencies_confirmed: bool
) -> TrackerImport:
    """The coordinator confirms a checked import: queued for the worker once this commits."""
    job = TrackerImport.objects.select_for_update().get(pk=job.pk)
    if not may_record(by, job.partnership_id):
        raise workflow.NotAllowed("Only a coordinator can import a tracker.")
    if job.state != TrackerImport.State.PREVIEWED:
        raise ValidationError("This import has already been confirmed")
    if job.errors and not good_rows_only:
        raise ValidationError(
            "Correct the rows with problems and upload the file again, or choose to import "
            "the good rows only"
        )
    if not job.rows:
        raise ValidationError("No row of this file can be imported: correct it and upload it again")
    if job.new_agencies and not agencies_confirmed:
        raise ValidationError("Confirm the new agencies, or correct their names in the file")
    job.state = TrackerImport.State.QUEUED
    job.good_rows_only = bool(job.errors)
    job.confirmed_by, job.confirmed_at = by, timezone.now()
    job.save()

    def queue():
        if not enqueue(IMPORT_TASK, job.pk):
            TrackerImport.objects.filter(pk=job.pk, state=TrackerImport.State.QUEUED).update(
                state=TrackerImport.State.FAILED,
                message="The import could not be started (the job queue is not answering). "
                "Upload the file again in a few minutes.",
                finished_at=timezone.now(),
            )

    transaction.on_commit(queue)
    return job


def tracker_import_run(*, job_id: int) -> TrackerImport:
    """Write a confirmed import. One done or failed is left as it is (a task delivered twice
    does nothing the second time); one left running by a worker that died is written again,
    which its transaction makes safe."""
    with transaction.atomic():
        job = TrackerImport.objects.select_for_update().get(pk=job_id)
        if job.is_finished or job.state == TrackerImport.State.PREVIEWED:
            return job
        job.state = TrackerImport.State.RUNNING
        job.save(update_fields=["state"])
    try:
        with transaction.atomic():
            counts = tracker_write(partnership=job.partnership, rows=job.rows, by=job.confirmed_by)
    except ValidationError as error:
        job.state, job.message = TrackerImport.State.FAILED, " ".join(error.messages)
    else:
        job.state = TrackerImport.State.DONE
        job.result = {**job.result, "written": counts}
    job.finished_at = timezone.now()
    job.save()
    return job


def tracker_write(*, partnership: Partnership, rows: list[dict], by) -> dict[str, int]:
    """Write checked tracker rows (see `tracker_import`): create what is missing, bring imported
    actions up to date, leave the rest. Returns what it did, counted. Call it in a transaction:
    a row the system now refuses (another import got there first) undoes the whole file."""
    today = timezone.localdate()
    existing = tracker_import.Existing.of(partnership)
    counts = dict.fromkeys(
        [
            "reviews_created",
            "agencies_created",
            "themes_created",
            "recommendations_created",
            "actions_created",
            "actions_updated",
            "actions_unchanged",
        ],
        0,
    )
    key = tracker_import.key
    new_actions: list[Action] = []
    problems = tracker_import.check_existing(rows, existing)
    if problems:
        raise ValidationError([f"Row {p['row']}: {p['message']}" for p in problems])
    for row in rows:
        agency = existing.agencies.get(key(row["lead_agency"]))
        if agency is None:
            name = row["lead_agency"]
            agency = Agency(name=name, kind=tracker_import.agency_kind(name))
            record_save(agency, by=by, reason="Added by a tracker import")
            existing.agencies[key(agency.name)] = agency
            counts["agencies_created"] += 1
        review = existing.reviews.get(key(row["review_reference"]))
        if review is None:
            review = Review(
                partnership=partnership,
                reference=row["review_reference"],
                status=Status.MONITORING,
                guidance_version=partnership.guidance_version,
                victim_pseudonym=row["review_pseudonym"],
                victim_age_band=AgeBand.UNKNOWN,
                victim_sex=Sex.UNKNOWN,
                proceed=True,
                imported_on=today,
            )
            record_save(review, by=by, reason="Imported from the partnership's tracker")
            existing.reviews[key(review.reference)] = review
            counts["reviews_created"] += 1
        recommendation = existing.recommendations.get((review.pk, row["recommendation_number"]))
        fresh = recommendation is None
        if fresh:
            recommendation = Recommendation(
                review=review,
                number=row["recommendation_number"],
                text=row["recommendation"],
                scope=row["scope"],
                lead_agency=agency,
            )
            record_save(recommendation, by=by, reason="Imported from the partnership's tracker")
            existing.recommendations[(review.pk, recommendation.number)] = recommendation
            counts["recommendations_created"] += 1
        themes = []
        for name in row["themes"]:
            theme = existing.themes.get(key(name))
            if theme is None:
                theme = Theme.objects.create(name=name, order=100)
                existing.themes[key(name)] = theme
                counts["themes_created"] += 1
            themes.append(theme)
        have = set() if fresh else {t.pk for t in recommendation.themes.all()}
        missing = [t for t in themes if t.pk not in have]
        if missing:
            recommendation.themes.add(*missing)
            recommendation._prefetched_objects_cache = {}  # read its themes afresh next row
        action = existing.actions.get((recommendation.pk, key(row["action"])))
        if action is None:
            action = Action(
                recommendation=recommendation,
                description=row["action"],
                owner_agency=agency,
                completion_evidence=tracker_import.NO_EVIDENCE,
                imported_on=today,
                **tracker_import.imported_values(row),
            )
            new_actions.append(action)
            existing.actions[(recommendation.pk, key(action.description))] = action
            continue
        changes = tracker_import.action_changes(action, row, existing)
        if changes:
            record_apply(action, changes, changes)
            record_save(action, by=by, reason="Brought up to date from the partnership's tracker")
            counts["actions_updated"] += 1
        else:
            counts["actions_unchanged"] += 1
    # Checked row by row already: written (with their history) in batches.
    bulk_create_with_history(
        new_actions,
        Action,
        batch_size=500,
        default_user=by,
        default_change_reason="Imported from the partnership's tracker",
    )
    counts["actions_created"] = len(new_actions)
    return counts

"""Importing a partnership's tracker: read and checked into a job, confirmed, run by the worker;
`tracker_write` writes the checked rows."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dhr.errors import NotAllowed
from dhr.models import Agency, Partnership
from dhr.permissions import may_record
from dhr.queue import enqueue
from dhr.services import record_apply, record_save
from recommendations import tracker_import
from recommendations.models import (
    Action,
    Recommendation,
    Theme,
    TrackerImport,
)
from reviews.documents import safe_name
from reviews.models import AgeBand, Review, Sex, Status

IMPORT_TASK = "recommendations.tasks.import_tracker"


def tracker_import_read(*, partnership: Partnership, upload, by) -> TrackerImport:
    """Read and check an uploaded tracker, and keep what was found for the coordinator to
    confirm (nothing else is written). Raises ValidationError for a file that is not a
    tracker at all."""
    if not may_record(by, partnership.pk):
        raise NotAllowed("Only a coordinator can import a tracker.")
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
        raise NotAllowed("Only a coordinator can import a tracker.")
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

"""A review's whole record, and its end of life.

- **Export** (`record_zip`): everything held about a review, for an information request: every
  record and every version of it in its history (confidential fields included), its audit
  trail, and its files, as JSON and the files themselves in one zip marked OFFICIAL-SENSITIVE.
- **Retention** (`retention_due`, `review_anonymise`): a review ends when it concludes (or when
  the decision is not to hold one). Once the partnership's retention period has passed since
  then, what identifies the people in it is removed: the confidential fields (here and in
  every version in the history), the family contacts' names and notes, and the files that
  may name people. The reference, pseudonym, dates, action plan and published report stay.

The apps above add their own records to both (`reviews.extensions`: `record_parts` and
`record_scrubbers`).
"""

import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import date

from django.core import serializers
from django.db import transaction
from django.utils import timezone

from dhr.jobs import file_jobs_expire
from dhr.models import AuditEvent, ScheduledRun
from dhr.services import record_save
from reviews import extensions
from reviews.models import (
    AgencyReport,
    AgencyReportWaiver,
    DecisionQAView,
    Document,
    Extension,
    FamilyContact,
    HomeOfficeNotice,
    PanelMember,
    ParallelProceeding,
    Review,
    Status,
)

logger = logging.getLogger(__name__)

MARKING = "OFFICIAL-SENSITIVE"
REMOVED = "Removed at the end of the retention period"
CHILDREN = (
    PanelMember,
    AgencyReport,
    FamilyContact,
    ParallelProceeding,
    Extension,
    Document,
    DecisionQAView,
    HomeOfficeNotice,
)
# The Home Office notice's fields that identify people (as sent; see `HomeOfficeNotice`).
NOTICE_CONFIDENTIAL = {"Date of death"}


def as_json(queryset) -> bytes:
    """Records (or history versions) as Django's JSON: every field, as stored."""
    return serializers.serialize("json", queryset, indent=1).encode()


def with_history(name: str, queryset) -> dict[str, bytes]:
    """A kind of record and every version of it, as two files of the zip."""
    model = queryset.model
    out = {f"{name}.json": as_json(queryset)}
    if hasattr(model, "history"):
        versions = model.history.filter(id__in=[obj.pk for obj in queryset])
        out[f"{name}-history.json"] = as_json(versions.order_by("history_id"))
    return out


def files(folder: str, stored) -> dict[str, bytes]:
    """Stored files (a StoredFile queryset) under `folder`, each named by id and its name."""
    out = {}
    for item in stored:
        field = item.file
        if field:
            with field.open("rb") as f:
                out[f"{folder}/{item.pk}-{item.original_name}"] = f.read()
    return out


def _own_parts(review: Review) -> dict[str, bytes]:
    parts = with_history("review", Review.objects.filter(pk=review.pk))
    for model in CHILDREN:
        name = model._meta.model_name
        parts |= with_history(name, model.objects.filter(review=review))
    waivers = AgencyReportWaiver.objects.filter(report__review=review)
    parts |= with_history("agencyreportwaiver", waivers)
    parts["audit.json"] = as_json(AuditEvent.objects.filter(review_id=review.pk))
    parts |= files("documents", review.documents.all())
    return parts


def record_zip(review: Review, *, by) -> bytes:
    """The review's whole record as a zip (see the module's docstring)."""
    parts = _own_parts(review)
    for part in extensions.record_parts():
        parts |= part(review)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(review, by, sorted(parts)))
        for path in sorted(parts):
            archive.writestr(path, parts[path])
    return out.getvalue()


def record_zip_job(job, progress) -> bytes:
    """`record_zip` made by the worker for a `FileJob` whose params name the review."""
    review = Review.objects.select_related("partnership").get(pk=job.params["review"])
    progress(10, "Gathering the records, their history and the files")
    return record_zip(review, by=job.requested_by)


def _readme(review: Review, by, paths: list[str]) -> str:
    now = timezone.localtime()
    listing = "\n".join(f"  {path}" for path in paths)
    return (
        f"{MARKING}\n\nThe whole record of {review.public_title}, {review.partnership.name}, "
        f"exported by {by} on {now:%-d %B %Y at %H:%M}.\n\n"
        "Each *.json file holds one kind of record (Django's JSON: every field as stored); each "
        "*-history.json every version of those records, with who changed it, when and why. "
        "audit.json lists every view of the confidential fields and every download. The "
        "folders hold the files as uploaded.\n\n"
        f"{listing}\n\n{MARKING}\n"
    )


# --- retention


def ended_on(review: Review) -> date | None:
    """When the review ended: its conclusion, or the decision not to hold one."""
    if review.concluded_on:
        return review.concluded_on
    if review.status == Status.NOT_PROCEEDING:
        return review.decided_on
    return None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Due:
    review: Review
    ended_on: date
    due_on: date


def retention_due(today: date) -> list[Due]:
    """Reviews past their partnership's retention period and not yet anonymised."""
    due = []
    reviews = Review.objects.filter(anonymised_on__isnull=True).select_related("partnership")
    for review in reviews.filter(concluded_on__isnull=False) | reviews.filter(
        status=Status.NOT_PROCEEDING
    ):
        end = ended_on(review)
        if end is None:
            continue
        on = _add_years(end, review.partnership.retention_years)
        if on <= today:
            due.append(Due(review, end, on))
    return sorted(due, key=lambda d: (d.due_on, d.review.pk))


@transaction.atomic
def review_anonymise(*, review: Review, by=None) -> Review:
    """Remove what identifies people in the review, its records and their histories."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    blank = {name: "" if name.endswith("name") else None for name in Review.CONFIDENTIAL_FIELDS}
    for name, value in blank.items():
        setattr(review, name, value)
    review.victim_characteristics = review.perpetrator_characteristics = ""
    review.children_notes = ""
    review.anonymised_on = timezone.localdate()
    record_save(review, by=by, reason="Anonymised at the end of the retention period")
    Review.history.filter(id=review.pk).update(
        **blank, victim_characteristics="", perpetrator_characteristics="", children_notes=""
    )
    contacts = FamilyContact.objects.filter(review=review)
    FamilyContact.history.filter(id__in=contacts.values("pk")).update(who=REMOVED, notes="")
    contacts.update(who=REMOVED, notes="")
    for notice in review.home_office_notices.all():
        notice.fields = [
            [label, REMOVED if label in NOTICE_CONFIDENTIAL and value else value]
            for label, value in notice.fields
        ]
        notice.save(update_fields=["fields"])
    for document in review.documents.all():
        remove_file(document)
    for scrub in extensions.record_scrubbers():
        scrub(review)
    return review


def retention_line(item: Due) -> str:
    """A due review as the run and the command list it."""
    review = item.review
    return (
        f"{review.public_title} ({review.partnership.name}): ended {item.ended_on:%-d %B %Y}, "
        f"kept {review.partnership.retention_years} years to {item.due_on:%-d %B %Y}"
    )


def retention_run(*, today: date) -> ScheduledRun:
    """The daily retention run (beat, 02:30): what is due is logged first (the dry run's
    figures), then each review is anonymised in its own transaction, and the run is kept for
    the administrator's page. A failure stops the run there; what was done before it stays.
    The files made for one download (`dhr.jobs`) go first: they are kept a day."""
    run = ScheduledRun.objects.create(job=ScheduledRun.RETENTION, started_at=timezone.now())
    expired = file_jobs_expire()
    due = retention_due(today)
    logger.info(
        "Retention: %d review(s) past their retention period%s",
        len(due),
        "".join(f"\n  {retention_line(item)}" for item in due),
    )
    done = []
    try:
        for item in due:
            review_anonymise(review=item.review)
            done.append(item)
    except Exception as error:
        logger.exception("Retention stopped at %s", item.review.public_title)
        run.outcome = ScheduledRun.Outcome.FAILED
        run.summary = (
            f"Anonymised {len(done)} of {len(due)} reviews, then stopped at "
            f"{item.review.public_title}: {type(error).__name__}: {error}"
        )[:2000]
    else:
        run.outcome = ScheduledRun.Outcome.DONE
        run.summary = (
            "\n".join(
                [f"Anonymised {len(done)} review{'s' if len(done) != 1 else ''}:"]
                + [retention_line(item) for item in done]
            )
            if done
            else "No review was past its retention period."
        )
        logger.info("Retention: anonymised %d review(s)", len(done))
    if expired:
        run.summary += (
            f"\nRemoved {expired} file{'s' if expired != 1 else ''} made for a download more "
            "than a day ago."
        )
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "summary", "finished_at"])
    return run


def remove_file(stored) -> None:
    """Delete a record's file, keeping the record that it existed (and, for an upload, saying
    where its name was)."""
    if stored.file:
        stored.file.delete(save=False)
    fields = {"file": ""}
    if any(field.name == "original_name" for field in stored._meta.fields):
        fields["original_name"] = REMOVED[:255]
    type(stored).objects.filter(pk=stored.pk).update(**fields)

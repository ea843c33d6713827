"""A review's history: every saved change to the review and its stage records, newest first,
with who made it and what changed. Confidential values are masked for those who may not see
them."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import capfirst

from dhr.words import in_words
from reviews.models import (
    AgencyReport,
    AgencyReportWaiver,
    DecisionQAView,
    Extension,
    FamilyContact,
    PanelMember,
    ParallelProceeding,
    Review,
)

MASK = "(confidential)"
HIDDEN = {"id", "updated_at", "created_at", "review"}


@dataclass
class Entry:
    when: datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display(record, name: str) -> str:
    """A historical record's value of one field, as `dhr.words.in_words` writes it."""
    model_field = record.instance_type._meta.get_field(name)
    try:
        value = getattr(record, name)
    except ObjectDoesNotExist:  # a record it pointed to, deleted since
        return "deleted since"
    item_choices = getattr(record.instance_type, "ITEM_CHOICES", {}).get(name)
    return in_words(value, field=model_field, choices=item_choices)


def entries_for(records, label, *, show_confidential: bool) -> list[Entry]:
    """Turn consecutive historical records of one object into entries with their diffs."""
    entries = []
    previous = None
    for record in records:
        what = (
            record.history_change_reason
            or {
                "+": f"{label(record)} added",
                "~": f"{label(record)} changed",
                "-": f"{label(record)} removed",
            }[record.history_type]
        )
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN:
                    continue
                verbose = record.instance_type._meta.get_field(change.field).verbose_name
                if change.field in Review.CONFIDENTIAL_FIELDS and not show_confidential:
                    old, new = MASK, MASK
                else:
                    old, new = _display(previous, change.field), _display(record, change.field)
                changes.append((capfirst(str(verbose)), old, new))  # "Home Office" kept
        who = str(record.history_user) if record.history_user_id else "System"
        entries.append(Entry(record.history_date, who, what, changes))
        previous = record
    return entries


def records_by_object(queryset, related=()):
    """Historical records grouped per object, oldest first within each."""
    groups: dict[int, list] = {}
    records = queryset.select_related("history_user", *related)
    for record in records.order_by("history_date", "history_id"):
        groups.setdefault(record.id, []).append(record)
    return groups.values()


def review_history(review: Review, *, show_confidential: bool) -> list[Entry]:
    entries = entries_for(
        review.history.select_related("history_user").order_by("history_date", "history_id"),
        lambda r: "Review",
        show_confidential=show_confidential,
    )
    children = (
        (PanelMember, lambda r: f"Panel member {r.name}", ["agency"]),
        (AgencyReport, lambda r: f"Agency report from {r.agency}", ["agency", "document"]),
        (FamilyContact, lambda r: "Family contact", []),
        (ParallelProceeding, lambda r: r.get_kind_display(), []),
        (Extension, lambda r: f"Extension to {r.new_due_on:%-d %B %Y}", ["decided_by"]),
        (DecisionQAView, lambda r: "Home Office QA panel's view on the decision", []),
    )
    for model, label, related in children:
        for records in records_by_object(model.history.filter(review_id=review.pk), related):
            entries += entries_for(records, label, show_confidential=show_confidential)
    waivers = AgencyReportWaiver.history.filter(report__review_id=review.pk)
    for records in records_by_object(waivers, ["report__agency", "waived_by"]):
        for record, entry in zip(
            records, entries_for(records, str, show_confidential=False), strict=True
        ):
            # The reason, too long for the change reason, is what the waiver says.
            entry.what = f"{entry.what} (agency report from {record.report.agency})"
            if record.history_type == "+":
                entry.changes = [("Reason for the waiver", "none", record.reason)]
            entries.append(entry)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


__all__ = ["Entry", "entries_for", "records_by_object", "review_history"]

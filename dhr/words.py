"""Stored values as a person would write them, the way GOV.UK writes them: "7 December 2026",
"7 December 2026 at 3:40pm" (UK time, "midday" and "midnight", no ":00"), "Yes" and "No", a
choice by its label, a file by its name, a record by its name, and "not set" for nothing.

One function, `in_words`, for every place that shows a stored value to people rather than to a
program (a history, say; an export of the records as stored keeps them as stored)."""

from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import PurePosixPath

from django.core.files import File
from django.db import models
from django.utils import timezone

NOT_SET = "not set"


def date_in_words(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def time_in_words(value: time) -> str:
    """'3:40pm', '10am', 'midday', 'midnight' (seconds are left out)."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def datetime_in_words(value: datetime) -> str:
    """The day and the time in UK time (the site's time zone): '7 December 2026 at 3:40am'."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{date_in_words(value)} at {time_in_words(value.time())}"


def _file_name(value) -> str:
    name = value.name if isinstance(value, File) else value
    return PurePosixPath(str(name)).name


def in_words(value, *, field: models.Field | None = None, choices: Iterable | None = None) -> str:
    """`value` as a person would write it. `field`, the model field it is stored in, says how
    to read a stored choice or file name; `choices` ((value, label) pairs) names the items of
    a list whose field has no choices of its own (a JSON list of choices, say)."""
    if value is None or value == "" or value == [] or value == {}:
        return NOT_SET
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if choices is None and field is not None and field.choices:
        choices = field.flatchoices
    labels = {str(key): str(label) for key, label in choices or ()}
    if isinstance(value, list | tuple):
        return ", ".join(labels.get(str(item), in_words(item)) for item in value)
    if str(value) in labels and not isinstance(value, models.Model):
        return labels[str(value)]
    if isinstance(field, models.FileField) or isinstance(value, File):
        return _file_name(value)
    if isinstance(value, datetime):
        return datetime_in_words(value)
    if isinstance(value, date):
        return date_in_words(value)
    if isinstance(value, time):
        return time_in_words(value)
    return str(value)

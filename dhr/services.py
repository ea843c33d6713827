"""The writes every app's services share: copying a form's fields onto a record, and saving it
validated (or deleting it) with who made the change and why, for its history
(django-simple-history)."""

from collections.abc import Callable
from typing import Any

from simple_history.utils import bulk_create_with_history


def record_apply(obj, data: dict, fields) -> None:
    """Set on `obj` each of `fields` that `data` holds (a field left out stays as it is)."""
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def record_delete(obj, *, by, reason: str) -> None:
    """Delete with who did it and why, kept in the object's history like any change."""
    obj._history_user = by
    obj._change_reason = reason
    obj.delete()


def record_save(obj, *, by, reason: str) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.full_clean()
    obj.save()


def records_create(objs: list, *, by, reason: str | Callable[[Any], str]) -> list:
    """Create new records of one model at once, each with the history row `record_save` would
    write for it (same user, same reason; `reason` may be a function giving each record its
    own). Each is validated as `record_save` does, less the checks that cost a query a row (that
    what it points to exists, unique constraints): the database enforces those as it inserts."""
    if not objs:
        return []
    model = type(objs[0])
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for obj in objs:
        obj.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
        if callable(reason):
            obj._change_reason = reason(obj)
    return bulk_create_with_history(
        objs,
        model,
        batch_size=1000,
        default_user=by,
        default_change_reason="" if callable(reason) else reason,
    )

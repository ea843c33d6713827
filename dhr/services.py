"""The writes every app's services share: copying a form's fields onto a record, and saving it
validated (or deleting it) with who made the change and why, for its history
(django-simple-history)."""


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

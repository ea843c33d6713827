"""No lost updates: a form remembers which version of its record it was opened on (the record's
latest history entry), and a save on an older version is refused, naming who changed it and
when, with the user's input kept for them to check and save again.

`version_of(obj)` is the token a page puts in its form; `changed_since(obj, token)` says who
changed the record since, or None. The check and the save happen under a lock on the row
(`locked`), so two saves at the same moment are also told apart.
"""

from django.utils import timezone

FIELD = "_version"  # the form's hidden field (templates/includes/form.html)


def _latest(obj):
    return obj.history.select_related("history_user").order_by("-history_id").first()


def version_of(obj) -> str:
    latest = _latest(obj)
    return str(latest.history_id) if latest else "0"


def lock(obj) -> None:
    """Hold the record's row until the transaction ends."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()


def changed_since(obj, token: str | None) -> str | None:
    """Who changed the record after the version `token`, as a sentence; None when nobody did
    (or no token was sent: a form from before this check)."""
    if not token:
        return None
    latest = _latest(obj)
    if latest is None or str(latest.history_id) == token:
        return None
    who = latest.history_user.name if latest.history_user else "The daily job"
    when = timezone.localtime(latest.history_date)
    return (
        f"{who} changed this at {when:%H:%M} on {when:%-d %B %Y}, after you opened the page. "
        "Nothing you entered has been saved: check it against the page as it is now, then "
        "save again."
    )

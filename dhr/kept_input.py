"""What someone typed into a form that could not be sent, kept for them: their session had
ended (30 minutes without activity) or the form's security token was out of date (they signed
in again in another tab). The answers are kept in their session, for that page only, and the
form is shown again filled in when they come back to it, for them to check and send. Nothing
secret is kept (passwords, security codes, the token itself), and files cannot be: the page
says to choose them again."""

from django.contrib import messages
from django.http import QueryDict

KEY = "kept_input"
NOT_KEPT = frozenset({"csrfmiddlewaretoken", "code", "otp_token", "token", "recovery_code"})


def _kept(name: str) -> bool:
    return name not in NOT_KEPT and "password" not in name


def keep(request) -> bool:
    """Keep the answers of this POST for its page; False when there was nothing to keep."""
    data = {name: request.POST.getlist(name) for name in request.POST if _kept(name)}
    if not any(value for values in data.values() for value in values):
        return False
    request.session[KEY] = {"path": request.path, "data": data, "files": bool(request.FILES)}
    return True


def take(request) -> QueryDict | None:
    """The answers kept for this page, once (then forgotten), with a message saying so."""
    kept = request.session.get(KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[KEY]
    data = QueryDict(mutable=True)
    for name, values in kept["data"].items():
        data.setlist(name, values)
    message = "What you typed before has been filled back in. Check it, then send it again."
    if kept.get("files"):
        message += " Choose any files again: they could not be kept."
    messages.info(request, message)
    return data

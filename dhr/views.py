"""The error pages, which belong to no one app."""

from django.shortcuts import render

from dhr.kept_input import keep
from dhr.pages import ours


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def csrf_failure(request, reason=""):
    """A form whose security token is out of date (signed in again in another tab, or a page
    left open across a sign-out): said in plain words, with what was typed kept for the form."""
    kept = request.method == "POST" and keep(request)
    back = ours(request, request.headers.get("Referer", ""), default=request.path)
    return render(request, "csrf_failure.html", {"kept": kept, "back": back}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)

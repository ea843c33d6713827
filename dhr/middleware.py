"""Middleware of the service's own: response headers Django does not set, the absolute limit on
a session, and holding back a user who must finish two-factor sign-in."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from dhr import two_factor

logger = logging.getLogger(__name__)

# Features no page of the service uses, switched off for every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)
SIGNED_IN_AT = "dhr_signed_in_at"


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """On `user_logged_in`: the session's absolute limit counts from here."""
    request.session[SIGNED_IN_AT] = time.time()


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if _private(request, response):
            # Case material stays out of every cache: the browser's (back button on a shared
            # computer), a proxy's, the council's. Pages for those not signed in may be cached.
            add_never_cache_headers(response)
        return response

    return middleware


def _private(request, response) -> bool:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return signed_in or response.streaming or response.has_header("Content-Disposition")


def session_limits(get_response):
    """A session ends after SESSION_COOKIE_AGE without a request (Django, as the session is saved
    on every request) and, whatever the activity, SESSION_ABSOLUTE_SECONDS after signing in."""

    def middleware(request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            now = time.time()
            if started is None:
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
                messages.info(
                    request,
                    f"You were signed out because you had been signed in for {hours} hours. "
                    "Sign in again to carry on.",
                )
                return _redirect_back_later(request, "login")
        return get_response(request)

    return middleware


# Pages a user part-way through two-factor sign-in may still reach.
OPEN_DURING_TWO_FACTOR = {
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery",
    "logout",
}


def two_factor_required(get_response):
    def middleware(request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _open(request):
            device = two_factor.device_of(user)
            if device is not None or two_factor.required_for(user):
                name = "two_factor_verify" if device else "two_factor_setup"
                return _redirect_back_later(request, name)
        return get_response(request)

    return middleware


def _redirect_back_later(request, url_name: str):
    """To another page first, which sends the user back to this one when done."""
    target = redirect(url_name)
    target["Location"] += "?" + urlencode({"next": request.get_full_path()})
    return target


def _open(request) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        return resolve(request.path_info).url_name in OPEN_DURING_TWO_FACTOR
    except Resolver404:
        return True  # a 404 shows nothing


class DatabaseUnavailableMiddleware:
    """If the database goes away during a request (a restart, a failover, a dropped connection),
    the user gets a page that says so instead of a bare error. The request's transaction cannot
    have been committed, so nothing of it was saved, and the page says that too. Rendered
    without the request's context: its processors would ask the database again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable during %s %s", request.method, request.path)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response

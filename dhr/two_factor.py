"""Two-factor sign-in with a time-based code (TOTP, django-otp): who must use it, setting up an
authenticator app, and checking a code.

Coordinators, chairs and administrators must: they see confidential case data. Everyone else
may (their account page offers it). A user who must and has no app yet is sent to set one up
straight after their password; one who has an app is asked for its code. Until then every
other page redirects (`dhr.middleware.two_factor_required`).

Setting up an app also makes ten single-use recovery codes (django-otp's static tokens), shown
once, for signing in without the phone. Wrong codes of either kind are slowed down by
django-otp's doubling delay, whose length the message gives exactly, and are counted by the same
lockout as wrong passwords (django-axes, by address and client): after `AXES_FAILURE_LIMIT` the
person is signed out and sign-in is locked for the cool-off. An administrator can reset a
person's two-factor sign-in from the service (`two_factor_reset`, audited).
"""

import math
from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from segno import make_qr

from dhr.models import AuditEvent, Role

DEVICE_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODES = 10
REQUIRED_ROLES = {Role.COORDINATOR, Role.CHAIR}


class Locked(Exception):
    """Too many wrong codes (or passwords) for this person from this client: sign them out."""


def required_for(user) -> bool:
    if not user.is_authenticated:
        return False
    return bool(
        user.is_superuser
        or user.is_staff
        or user.memberships.filter(role__in=REQUIRED_ROLES).exists()
    )


def device_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_being_set_up(user) -> TOTPDevice:
    """The app the user is setting up: a new secret, kept until they confirm it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as an app asks for it when it cannot scan: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as an SVG QR code, drawn here (no image leaves the server)."""
    svg = make_qr(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#0b0c0c")
    # Named for screen readers; the secret to type is given beside it in words.
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )


def _wait(locked_until) -> str:
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def _credentials(request) -> dict:
    return {"username": request.user.email}


def check_not_locked(request) -> None:
    """Raise Locked if the lockout holds this person at this client (it also holds a correct
    code, as it holds a correct password)."""
    if AxesProxyHandler.is_locked(request, _credentials(request)):
        raise Locked


def _failed(request) -> None:
    """A wrong code counts as a wrong password does, in the same lockout record."""
    user_login_failed.send(sender=__name__, credentials=_credentials(request), request=request)
    if getattr(request, "axes_locked_out", False):
        raise Locked


def verify(request, device: TOTPDevice | StaticDevice, code: str) -> str | None:
    """Check a code from the app (or a recovery code, for a StaticDevice); on success the session
    is verified. Returns the problem, or None. Raises Locked when the lockout holds."""
    check_not_locked(request)
    code = "".join(code.split()).lower()
    recovery = isinstance(device, StaticDevice)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        what = "a recovery code" if recovery else "the newest code from your app"
        return f"Too many wrong codes: wait {_wait(info['locked_until'])}, then enter {what}"
    if recovery:
        if not (code.isascii() and code.isalnum() and len(code) == 8):
            return "Enter a recovery code: 8 letters and numbers, like abcd 2345"
    elif not (code.isascii() and code.isdigit() and len(code) == device.digits):
        return f"Enter the {device.digits}-digit code from your authenticator app"
    if not device.verify_token(code):
        _failed(request)
        if recovery:
            return "The recovery code is not right or has been used: check it and try again"
        return "The code is not right or has expired: enter the newest code from your app"
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    # Signed in: earlier wrong codes no longer count against the next sign-in.
    AxesProxyHandler.reset_attempts(
        ip_address=request.axes_ip_address, username=_credentials(request)["username"]
    )
    return None


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_NAME, device__confirmed=True
    ).count()


@transaction.atomic
def recovery_codes_make(user) -> list[str]:
    """New recovery codes for the user, replacing any they had; the codes are returned to be
    shown once. Each is 8 base32 characters (40 random bits), shown in two groups of four."""
    device, _ = StaticDevice.objects.select_for_update().get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]} {code[4:]}" for code in codes]


@transaction.atomic
def two_factor_reset(*, user, by, reason: str) -> None:
    """An administrator's reset after a lost phone: the app and the recovery codes go, the
    person sets up a new app at their next sign-in (their role requires it), and the reset is
    kept in the audit log."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    AuditEvent.objects.create(
        user=by,
        kind=AuditEvent.Kind.TWO_FACTOR_RESET,
        object_type="user",
        object_id=str(user.pk),
        detail=f"{user.email}: {reason}"[:300],
    )


def issuer() -> str:
    return getattr(settings, "OTP_TOTP_ISSUER", settings.SERVICE_NAME)

"""Two-factor sign-in with a time-based code (TOTP, django-otp): who must use it, setting up an
authenticator app, and checking a code.

Coordinators, chairs and administrators must: they see confidential case data. Everyone else
may (their account page offers it). A user who must and has no app yet is sent to set one up
straight after their password; one who has an app is asked for its code. Until then every
other page redirects (`dhr.middleware.TwoFactorMiddleware`).
"""

from base64 import b32encode

from django.conf import settings
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from segno import make_qr

from dhr.models import Role

DEVICE_NAME = "Authenticator app"
REQUIRED_ROLES = {Role.COORDINATOR, Role.CHAIR}


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


def verify(request, device: TOTPDevice, code: str) -> str | None:
    """Check a code from the app; on success the session is verified. Returns the problem, or
    None."""
    code = "".join(code.split())
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return "Too many wrong codes: wait a minute, then enter the newest code from your app"
    if not (code.isascii() and code.isdigit() and len(code) == device.digits):
        return f"Enter the {device.digits}-digit code from your authenticator app"
    if not device.verify_token(code):
        return "The code is not right or has expired: enter the newest code from your app"
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return None


def issuer() -> str:
    return getattr(settings, "OTP_TOTP_ISSUER", settings.SERVICE_NAME)

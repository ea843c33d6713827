"""Test helpers for two-factor sign-in: a user's authenticator app, and the code it would show
now (a code not used before, as the app's next one would be)."""

from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dhr import two_factor


def app_of(user) -> TOTPDevice:
    """The user's confirmed app, set up if they have none. Its tolerance lets a test sign the
    same person in several times within one 30-second step."""
    device = two_factor.device_of(user)
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=two_factor.DEVICE_NAME, confirmed=True, tolerance=20
        )
    return device


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one when this one has been used."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    step = max(now, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"

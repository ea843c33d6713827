"""How often a password reset link may be asked for: `PASSWORD_RESET_PER_ADDRESS` times an hour
from one client address, and `PASSWORD_RESET_PER_ACCOUNT` times an hour for one email address,
counted for whatever address is typed, so that the answer is the same whether or not an account
has it. Each request is kept for the hour (the typed address only as a keyed hash)."""

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dhr.models import PasswordResetRequest
from dhr.sign_in import client_address, email_key

WINDOW = timedelta(hours=1)


def _account(email: str) -> str:
    return salted_hmac("dhr.password_reset", email_key(email)).hexdigest()


def password_reset_allow(*, request, email: str) -> str | None:
    """Record a request for a reset link, or return why it must wait (and record nothing)."""
    now = timezone.now()
    recent = PasswordResetRequest.objects.filter(at__gt=now - WINDOW)
    address, account = client_address(request), _account(email)
    for mine, limit in (
        (recent.filter(address=address), settings.PASSWORD_RESET_PER_ADDRESS),
        (recent.filter(account=account), settings.PASSWORD_RESET_PER_ACCOUNT),
    ):
        times = list(mine.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            minutes = max(1, math.ceil((times[-1] + WINDOW - now).total_seconds() / 60))
            return (
                "Too many reset links have been asked for: wait "
                f"{minutes} minute{'s' if minutes != 1 else ''}, then try again"
            )
    PasswordResetRequest.objects.filter(at__lte=now - WINDOW).delete()
    PasswordResetRequest.objects.create(at=now, account=account, address=address)
    return None

"""Who is signing in, and from where, as the lockout, the password reset limits and the user
lookup all see it: one normalised name and one client address.

The name a person types is matched to an account by one value, `email_key()`: Unicode NFKC with
case folding, trimmed. The lockout counts that same value, so a look-alike spelling either is
the same account and shares its count (full-width letters, the Kelvin sign, a ligature) or is no
account at all (a dotless i): it can never open a locked account under another count. A name that
cannot be anyone's address (too long, control characters) is counted under a fixed-length stand-in
and never reaches the database as typed.

The client's address is the connecting address unless `TRUSTED_PROXY_COUNT` proxies stand in
front (see docs/deploy.md): then it is the one the nearest trusted proxy saw, read from the right
of `X-Forwarded-For`, which a client cannot forge by sending its own header (its entries sit to
the left).
"""

import hashlib
import ipaddress
import unicodedata

from django.conf import settings

MAX_EMAIL = 254  # the longest address a mail system delivers to (RFC 5321)


def email_key(value: str) -> str:
    """An email address as accounts are stored and matched: NFKC, case-folded, trimmed."""
    folded = unicodedata.normalize("NFKC", str(value)).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def usable(key: str) -> bool:
    """Whether a normalised name could be an account's address at all."""
    return (
        0 < len(key) <= MAX_EMAIL
        and "@" in key
        # No control or format characters, no spaces of any kind.
        and not any(unicodedata.category(char)[0] in "CZ" for char in key)
    )


def stand_in(key: str) -> str:
    """What is counted for a name that cannot be an address: short, saveable, and the same for
    the same input."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"not-an-address:{digest}"


def sign_in_name(request, credentials) -> str | None:
    """For django-axes (`AXES_USERNAME_CALLABLE`): the name the lockout counts."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    if not raw:
        return None
    key = email_key(raw)
    return key if usable(key) else stand_in(key)


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """For django-axes (`AXES_CLIENT_IP_CALLABLE`) and the reset limits: the client's address."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= hops:
            found = _address(forwarded[-hops])
            if found:
                return found
    return _address(request.META.get("REMOTE_ADDR"))

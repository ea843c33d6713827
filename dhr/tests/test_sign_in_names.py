"""The name typed at sign-in and the address it comes from, as the lockout and the user lookup
see them (dhr.sign_in), on the real PostgreSQL: odd names are an ordinary wrong sign-in, a
look-alike name cannot open a locked account, and behind the proxy one address's failures do not
lock the account for another."""

from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from dhr.models import User
from dhr.sign_in import client_address, email_key, sign_in_name
from reviews.tests.factories import UserFactory

WRONG = "Enter a correct email address and password"


def _sign_in(client, name, password=PASSWORD):
    """As a browser posts the form; bytes that are not valid UTF-8 are sent as they are."""
    body = f"username={quote(name.encode('utf-8', 'surrogatepass'))}&password={quote(password)}"
    return client.post(reverse("login"), body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize(
    "name",
    [
        "",
        " ",
        "a" * 300,
        "a" * 10_000 + "@example.org",
        "viewer\x00@example.org",
        "\x07\x1b[31m@example.org",
        "\ud800@example.org",  # a lone surrogate: not valid Unicode
        "\ufffd\u202e@example.org",
        "viewer@example.org" + "\u200b" * 300,
    ],
)
def test_any_name_gets_the_ordinary_answer_and_every_failure_is_counted(client, db, name):
    response = _sign_in(client, name, "not-the-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert WRONG in page or "Enter your email address" in page
    # Whatever was typed, the lockout's record saved (a counted failure), short enough to keep.
    if name.strip():
        attempt = AccessAttempt.objects.get()
        assert len(attempt.username) <= 255
        assert "\x00" not in attempt.username


def test_a_300_character_name_is_counted_and_locks_like_any_other(client, db):
    name = "b" * 300
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, name, "not-the-password")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize(
    ("typed", "same_account"),
    [
        ("v\u0131ewer@example.org", False),  # dotless i: another name, and no account
        ("VİEWER@example.org", False),  # dotted capital I folds to i + a combining dot
        ("\uff56iewer@example.org", True),  # full-width v
        ("viewer@exampl\u0435.org", False),  # Cyrillic e
        ("\u212aelvin@example.org", True),  # the Kelvin sign is a K
        ("\ufb01nance@example.org", True),  # the ligature fi
        ("  VIEWER@Example.ORG  ", True),  # spaces and case
        ("vie wer@example.org", False),
    ],
)
def test_look_alike_names_share_the_account_s_lock_or_reach_no_account(
    client, db, typed, same_account
):
    real = typed.replace("\uff56", "v").replace("\u212a", "K").replace("\ufb01", "fi")
    real = real.strip().lower() if same_account else "viewer@example.org"
    user = UserFactory(email=real)
    assert user.email == real
    # Lock the real name out from this address.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, real, "not-the-password")
    assert _sign_in(client, real).status_code == 429

    response = _sign_in(client, typed)
    if same_account:
        # The same account, so the same count: still locked.
        assert response.status_code == 429
        assert sign_in_name(None, {"username": typed}) == real
    else:
        # Another name with its own count, and it opens nothing.
        assert response.status_code == 200
        assert WRONG in response.content.decode()
        assert sign_in_name(None, {"username": typed}) != real
    assert "_auth_user_id" not in client.session


def test_the_dotless_i_does_not_sign_in_to_the_dotted_account(client, db):
    """PostgreSQL's upper() turns a dotless i (U+0131) into I: an iexact lookup matched it."""
    UserFactory(email="viewer@example.org")
    assert User.objects.filter(email__iexact="v\u0131ewer@example.org").exists()  # the trap
    response = _sign_in(client, "v\u0131ewer@example.org")
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_addresses_are_stored_as_they_are_matched(db):
    user = UserFactory(email="  Mixed.Case@EXAMPLE.org ")
    assert user.email == "mixed.case@example.org"
    assert User.objects.get_by_natural_key("MIXED.case@example.org ") == user
    assert email_key("\uff2d\u0130XED") == "mi\u0307xed"


# --- behind the proxy


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def _via_proxy(client_ip: str) -> Client:
    """A browser at client_ip, reaching the service through nginx on the same machine, which
    appends the address it saw to any X-Forwarded-For the browser sent."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.66, {client_ip}")


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(behind_nginx, people):
    attacker = _via_proxy("198.51.100.7")
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        response = _sign_in(attacker, people.chair.email, "guessing")
    assert response.status_code == 429
    # The chair, elsewhere but through the same proxy, signs in.
    chair = _via_proxy("192.0.2.10")
    assert _sign_in(chair, people.chair.email).status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_the_client_address_is_read_from_the_right_of_the_proxy_header(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.5")
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is the client's own word, ignored
    assert client_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "192.0.2.5"  # the forged 1.1.1.1 is not taken
    settings.TRUSTED_PROXY_COUNT = 2  # a load balancer, then nginx
    assert client_address(request) == "1.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: the connecting address
    assert client_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="x, not-an-ip")
    assert client_address(garbage) == "127.0.0.1"

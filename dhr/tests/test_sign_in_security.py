"""Two-factor sign-in, lockout after wrong passwords, session limits and the security headers."""

import base64
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from dhr.tests.two_factor import app_of, code_for


def _password(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


@pytest.mark.parametrize("role", ["coordinator", "chair", "admin"])
def test_those_who_see_confidential_data_must_set_up_an_app(client, people, role):
    user = getattr(people, role)
    assert _password(client, user).status_code == 302
    response = client.get(reverse("reviews:list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_setup')}?next=%2Freviews%2F"
    # Every page waits for it, the admin included.
    assert client.get("/admin/").url.startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("role", ["viewer", "agency_contact", "stranger"])
def test_others_may_but_need_not(client, people, role):
    _password(client, getattr(people, role))
    assert client.get(reverse("dashboard")).status_code == 200
    page = client.get(reverse("account")).content.decode()
    assert "Set up two-factor sign-in" in page


def _code_from_secret(page: str) -> str:
    """What an app would show after the user typed the secret the page gives."""
    secret = page.split('id="secret">', 1)[1].split("<", 1)[0].replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_setting_up_an_app_then_signing_in_with_it(client, people):
    _password(client, people.coordinator)
    url = f"{reverse('two_factor_setup')}?next=/reviews/"
    page = client.get(url).content.decode()
    assert "<svg" in page  # the QR code, drawn here
    assert "Because you can see confidential case information" in page
    response = client.post(url, {"code": "000000", "next": "/reviews/"})
    assert "The code is not right or has expired" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=people.coordinator, confirmed=True).exists()
    TOTPDevice.objects.get(user=people.coordinator).throttle_reset()  # a second's wait
    response = client.post(url, {"code": _code_from_secret(page), "next": "/reviews/"})
    assert response.status_code == 302
    # Recovery codes are shown once, then the page asked for.
    assert response.url == f"{reverse('recovery_codes')}?next=%2Freviews%2F"
    codes = client.get(response.url).content.decode()
    assert codes.count("<li><code>") == 10
    assert 'href="/reviews/"' in codes
    assert client.get(response.url).url == reverse("account")  # shown once only
    assert client.get("/reviews/").status_code == 200
    assert TOTPDevice.objects.get(user=people.coordinator).confirmed

    # The next sign-in asks for a code.
    other = Client()
    _password(other, people.coordinator)
    response = other.get("/reviews/")
    assert response.url == f"{reverse('two_factor_verify')}?next=%2Freviews%2F"


def test_signing_in_with_a_code(client, people):
    app = app_of(people.chair)
    _password(client, people.chair)
    url = f"{reverse('two_factor_verify')}?next=/reviews/"
    page = client.get(url).content.decode()
    assert "Enter your security code" in page
    for bad, message in [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12ab56", "Enter the 6-digit code from your authenticator app"),
        ("000000", "The code is not right or has expired"),
    ]:
        response = client.post(url, {"code": bad, "next": "/reviews/"})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert f'value="{bad}"' in response.content.decode() or not bad
    app.throttle_reset()
    code = code_for(app)
    response = client.post(url, {"code": code, "next": "/reviews/"})
    assert response.url == "/reviews/"
    # The same code cannot be used twice.
    other = Client()
    _password(other, people.chair)
    response = other.post(url, {"code": code, "next": "/reviews/"})
    assert "The code is not right or has expired" in response.content.decode()


def test_wrong_codes_slow_down_guessing(client, people):
    app_of(people.chair)
    _password(client, people.chair)
    url = reverse("two_factor_verify")
    for _ in range(3):
        client.post(url, {"code": "000000"})
    response = client.post(url, {"code": code_for(app_of(people.chair))})
    assert "Too many wrong codes" in response.content.decode()


def test_next_only_goes_to_this_service(client, people):
    app = app_of(people.chair)
    _password(client, people.chair)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(app), "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard")


def test_repeated_wrong_passwords_lock_sign_in_with_a_clear_message(client, people):
    wrong = {"username": people.viewer.email, "password": "not-the-password"}
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        # The address in any case is the same account.
        attempt = {**wrong, "username": wrong["username"].upper()} if n % 2 else wrong
        response = client.post(reverse("login"), attempt)
        assert "Enter a correct email address and password" in response.content.decode()
    response = client.post(reverse("login"), wrong)
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    # Even the right password is refused while locked, from that address...
    response = client.post(reverse("login"), {**wrong, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but not from another, and the lock ends after the cool-off.
    elsewhere = Client(REMOTE_ADDR="192.0.2.9")
    assert _password(elsewhere, people.viewer).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _password(Client(), people.viewer).status_code == 302


def test_an_idle_session_ends_after_30_minutes(client, people):
    client.force_login(people.viewer)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=29)):
        assert client.get(reverse("dashboard")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31)):
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_busy_session_still_ends_12_hours_after_signing_in(client, people):
    _password(client, people.viewer)
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get(reverse("dashboard")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5)):
        response = client.get(reverse("dashboard"))
        assert response.url.startswith(reverse("login"))
        page = client.get(response.url).content.decode()
        assert "signed in for 12 hours" in page


def test_every_page_carries_the_security_headers(client, people):
    client.force_login(people.coordinator)
    for url in (reverse("dashboard"), reverse("login"), "/no-such-page/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only(client, people):
    response = client.post(
        reverse("login"), {"username": people.viewer.email, "password": PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "dhr.settings.production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-" + "y" * 20,
        "ALLOWED_HOSTS": "dhr.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dhr",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_demo_code_prints_the_demo_app_s_code_only_with_debug(people, settings):
    import io

    from django.core.management import CommandError, call_command

    app = app_of(people.coordinator)
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("demo_code", people.coordinator.email)
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_code", people.coordinator.email.upper(), stdout=out)
    assert out.getvalue().strip() == f"{TOTP(app.bin_key).token():06d}"
    with pytest.raises(CommandError, match="has no authenticator app"):
        call_command("demo_code", people.viewer.email)


def test_changes_to_a_person_are_kept_without_their_password(people):
    user = people.viewer
    user.name = "Renamed Person"
    user.set_password("another-long-passphrase")
    user.save()
    latest = user.history.first()
    assert latest.name == "Renamed Person"
    assert not hasattr(latest, "password")

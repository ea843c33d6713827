"""The code step of sign-in: the exact wait after wrong codes, the same lockout as for passwords,
recovery codes shown once and used once, and an administrator's audited reset."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from dhr import two_factor
from dhr.models import AuditEvent
from dhr.tests.two_factor import app_of, code_for

VERIFY = reverse("two_factor_verify")
RECOVERY = reverse("two_factor_recovery")


def _password(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code in (302, 429)
    return response


@pytest.fixture
def chair(people):
    app_of(people.chair)
    return people.chair


def test_the_wait_after_wrong_codes_is_said_exactly(client, chair):
    _password(client, chair)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):  # waits of 1, 2 and then 4 seconds
            client.post(VERIFY, {"code": "000000"})
            clock.shift(timedelta(seconds=10))
        client.post(VERIFY, {"code": "000000"})  # the fourth: 8 seconds
        response = client.post(VERIFY, {"code": code_for(app_of(chair))})
        assert "Too many wrong codes: wait 8 seconds" in response.content.decode()
        clock.shift(timedelta(seconds=5))
        response = client.post(VERIFY, {"code": code_for(app_of(chair))})
        assert "wait 3 seconds" in response.content.decode()
        clock.shift(timedelta(seconds=3))
        response = client.post(VERIFY, {"code": code_for(app_of(chair))})
    assert response.status_code == 302
    # Signed in: the wrong codes no longer count against the next sign-in.
    assert not AccessAttempt.objects.exists()


def test_wrong_codes_lock_sign_in_as_wrong_passwords_do(client, chair):
    _password(client, chair)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = client.post(VERIFY, {"code": "000000"})
            clock.shift(timedelta(seconds=60))  # past each throttle delay
        # The last wrong code signs them out, with the lockout's page.
        assert response.status_code == 429
        assert "Sign-in locked" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
        # The password is refused from this client for the cool-off, however right it is...
        assert _password(client, chair).status_code == 429
        # ...but not from another address, which still needs a code.
        other = Client(REMOTE_ADDR="192.0.2.44")
        assert _password(other, chair).status_code == 302
        assert other.get(reverse("dashboard")).url.startswith(VERIFY)
        clock.shift(timedelta(minutes=16))
        assert _password(Client(), chair).status_code == 302


def test_a_correct_code_is_refused_while_locked(client, chair):
    _password(client, chair)
    AccessAttempt.objects.create(
        username=chair.email,
        ip_address="127.0.0.1",
        user_agent="",
        http_accept="",
        path_info="/",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    response = client.post(VERIFY, {"code": code_for(app_of(chair))})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- recovery codes


def _codes(client, response) -> list[str]:
    page = client.get(response.url).content.decode()
    return [part.split("</code>")[0] for part in page.split("<li><code>")[1:]]


def test_recovery_codes_are_made_at_set_up_and_each_signs_in_once(client, people):
    user = people.agency_contact
    codes = two_factor.recovery_codes_make(user)
    app_of(user)
    assert len(set(codes)) == 10

    _password(client, user)
    assert client.get(reverse("dashboard")).url.startswith(VERIFY)
    page = client.get(VERIFY).content.decode()
    assert "Sign in with a recovery code" in page
    # Typed in capitals without its space is the same code.
    response = client.post(RECOVERY, {"code": codes[0].replace(" ", "").upper()})
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert "You signed in with a recovery code. You have 9 left" in page.content.decode()
    assert two_factor.recovery_codes_left(user) == 9

    # Used once only.
    again = Client()
    _password(again, user)
    response = again.post(RECOVERY, {"code": codes[0]})
    assert "not right or has been used" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter one of your recovery codes"),
        ("abc", "Enter a recovery code: 8 letters and numbers"),
        ("<script>", "Enter a recovery code: 8 letters and numbers"),
        ("zzzz zzzz", "The recovery code is not right or has been used"),
    ],
)
def test_a_bad_recovery_code_gets_a_message_and_is_kept(client, people, code, message):
    user = people.viewer
    app_of(user)
    two_factor.recovery_codes_make(user)
    _password(client, user)
    response = client.post(RECOVERY, {"code": code})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert two_factor.recovery_codes_left(user) == 10
    assert "_auth_user_id" in client.session  # still part-way, not verified
    assert client.get(reverse("dashboard")).status_code == 302


def test_new_recovery_codes_replace_the_old_and_are_shown_once(client, people):
    user = people.coordinator
    old = two_factor.recovery_codes_make(user)
    client.force_login(user)
    account = client.get(reverse("account")).content.decode()
    assert "You have 10 unused recovery codes" in account
    response = client.post(reverse("recovery_codes_new"), {"next": reverse("account")})
    new = _codes(client, response)
    assert len(set(new)) == 10
    assert not set(new) & set(old)
    assert client.get(response.url).url == reverse("account")
    device = StaticDevice.objects.get(user=user)
    assert not device.token_set.filter(token=old[0].replace(" ", "")).exists()
    assert device.token_set.filter(token=new[0].replace(" ", "")).exists()


# --- an administrator's reset


def _reset_url(person):
    return reverse("two_factor_reset", args=[person.pk])


def test_an_administrator_resets_a_lost_phone_from_the_service_and_it_is_audited(client, people):
    person = people.chair
    app_of(person)
    two_factor.recovery_codes_make(person)
    client.force_login(people.admin)
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "10 unused recovery codes" in page
    assert _reset_url(person) in page

    response = client.post(
        _reset_url(person), {"reason": "Lost phone, called back on 01632 960001", "confirm": "on"}
    )
    assert response.url == reverse("person", args=[person.pk])
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TWO_FACTOR_RESET)
    assert (event.user, event.object_id) == (people.admin, str(person.pk))
    assert "Lost phone" in event.detail
    page = client.get(response.url).content.decode()
    assert "Two-factor sign-in reset for" in page
    assert "Lost phone, called back" in page  # the resets, with who and why

    # At their next sign-in the chair sets up a new app.
    chair = Client()
    _password(chair, person)
    assert chair.get(reverse("dashboard")).url.startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize(
    ("data", "messages", "kept"),
    [
        ({}, ["Enter why you are resetting", "Confirm you have checked"], None),
        ({"reason": "Lost phone"}, ["Confirm you have checked"], "Lost phone"),
        ({"reason": "x" * 251, "confirm": "on"}, ["250 characters or fewer"], None),
        ({"reason": "   ", "confirm": "on"}, ["Enter why you are resetting"], None),
    ],
)
def test_a_reset_without_its_reason_or_check_changes_nothing(client, people, data, messages, kept):
    person = people.chair
    app_of(person)
    client.force_login(people.admin)
    response = client.post(_reset_url(person), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    for message in messages:
        assert message in page
    if kept:
        assert f'value="{kept}"' in page
    assert TOTPDevice.objects.filter(user=person).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "role",
    ["coordinator", "chair", "viewer", "other_coordinator", "agency_contact", "stranger"],
)
def test_only_an_administrator_may_reset_and_others_learn_nothing(client, people, role):
    person = people.chair
    app_of(person)
    client.force_login(getattr(people, role))
    response = client.post(_reset_url(person), {"reason": "Lost phone", "confirm": "on"})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=person).exists()
    assert not AuditEvent.objects.exists()
    assert client.get(reverse("person", args=[person.pk])).status_code == 404


def test_people_are_found_by_name_or_address(client, people):
    client.force_login(people.admin)
    page = client.get(reverse("people"), {"q": people.chair.email.upper()}).content.decode()
    assert str(people.chair) in page
    assert str(people.viewer) not in page
    page = client.get(reverse("people"), {"q": "nobody-matches-this"}).content.decode()
    assert "No one matches" in page

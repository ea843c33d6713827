"""Password reset links are limited per client address and per typed email address, and the
answer is the same whether or not an account has the address."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dhr.models import PasswordResetRequest

RESET = reverse("password_reset")
WAIT = "Too many reset links have been asked for: wait"


def _ask(client, email):
    return client.post(RESET, {"email": email})


@pytest.mark.parametrize("exists", [True, False])
def test_an_account_gets_a_few_links_an_hour_and_the_answer_does_not_say_if_it_exists(
    client, people, exists
):
    email = people.viewer.email if exists else "nobody-here@example.org"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(settings.PASSWORD_RESET_PER_ACCOUNT):
            assert _ask(client, email).url == reverse("password_reset_done")
            clock.shift(timedelta(minutes=10))
        response = _ask(client, email.upper())  # the same address, typed otherwise
        assert response.status_code == 200
        page = response.content.decode()
        assert f"{WAIT} 30 minutes, then try again" in page
        assert "govuk-error-summary" in page
        assert f'value="{email.upper()}"' in page  # kept
        assert len(mail.outbox) == (settings.PASSWORD_RESET_PER_ACCOUNT if exists else 0)
        # An hour after the first, one more may be asked for (30 minutes on).
        clock.shift(timedelta(minutes=31))
        assert _ask(client, email).url == reverse("password_reset_done")
    # The typed address is not kept as typed.
    assert not PasswordResetRequest.objects.filter(account__icontains="example").exists()


def test_one_client_address_gets_a_limited_number_of_links_for_any_addresses(client, db):
    for n in range(settings.PASSWORD_RESET_PER_ADDRESS):
        assert _ask(client, f"person{n}@example.org").status_code == 302
    assert WAIT in _ask(client, "another@example.org").content.decode()
    # Another client is not held back.
    assert _ask(Client(REMOTE_ADDR="192.0.2.8"), "another@example.org").status_code == 302


def test_behind_the_proxy_the_limit_is_the_client_s_not_the_proxy_s(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    busy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    for n in range(settings.PASSWORD_RESET_PER_ADDRESS):
        _ask(busy, f"person{n}@example.org")
    assert WAIT in _ask(busy, "x@example.org").content.decode()
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert _ask(other, "x@example.org").status_code == 302

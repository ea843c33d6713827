"""Sign in, sign out and password reset by email; the layout and error pages."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD


def _signs_in(email: str, password: str) -> bool:
    """Whether the sign-in page takes this email and password (a fresh browser)."""
    response = Client().post(reverse("login"), {"username": email, "password": password})
    return response.status_code == 302


def test_sign_in_with_email_and_password_goes_to_the_dashboard(client, people):
    response = client.post(
        reverse("login"), {"username": people.viewer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert people.viewer.name in page
    assert "Viewer, Home CSP" in page


def test_email_is_matched_whatever_its_case(client, people):
    response = client.post(
        reverse("login"), {"username": people.coordinator.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "password": ""}, "Enter your email address"),
        ({"username": "nobody@example.org", "password": "wrong"}, "Enter a correct email"),
    ],
)
def test_a_failed_sign_in_explains_and_keeps_the_email(client, people, data, message):
    response = client.post(reverse("login"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    if data["username"]:
        assert f'value="{data["username"]}"' in page
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, people):
    client.force_login(people.chair)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_by_email(client, people):
    response = client.post(reverse("password_reset"), {"email": people.viewer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.viewer.email]
    assert message.alternatives, "the email has an HTML part"
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+/)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert _signs_in(people.viewer.email, "a-new-long-passphrase")


def test_password_reset_refuses_a_weak_password_and_explains(client, people):
    client.post(reverse("password_reset"), {"email": people.viewer.email})
    link = re.search(r"(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    response = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert _signs_in(people.viewer.email, PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_explains_a_malformed_address(client, db):
    response = client.post(reverse("password_reset"), {"email": "not-an-email"})
    assert "Enter an email address in the correct format" in response.content.decode()


def test_the_layout_has_a_skip_link_phase_banner_and_no_crown(client, people):
    client.force_login(people.coordinator)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'href="#main-content"' in page
    assert "govuk-phase-banner" in page
    assert "Beta" in page
    assert "crown" not in page.lower()
    assert "GDS Transport" not in page


def test_404_page_is_in_the_service_style(client, people):
    client.force_login(people.coordinator)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-template" in response.content.decode()


def test_403_page_says_why(client, people):
    client.force_login(people.chair)
    response = client.get(reverse("reviews:create"))
    assert response.status_code == 403
    assert "Only a coordinator can record a notification." in response.content.decode()


@override_settings(DEBUG=False, ROOT_URLCONF="dhr.tests.urls_with_fault")
def test_500_page_is_in_the_service_style(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.coordinator)
    response = client.get("/fault/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()

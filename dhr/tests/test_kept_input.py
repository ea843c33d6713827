"""No lost work: answers sent after the session ended, or from a page whose security token is
out of date, are kept and filled back in (`dhr.kept_input`), and the CSRF failure is our own
page in plain words."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from dhr import kept_input
from reviews.models import Extension
from reviews.tests.factories import ReviewProceedingFactory

pytestmark = pytest.mark.django_db

REASON = "The trial has moved to March: the panel needs its outcome."
ANSWERS = {"new_due_on_0": "1", "new_due_on_1": "12", "new_due_on_2": "2027", "reason": REASON}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _filled_in(response) -> bool:
    page = response.content.decode()
    return REASON in page and 'value="2027"' in page


def test_answers_sent_after_the_session_ended_are_filled_back_in_after_signing_in(client, people):
    review = ReviewProceedingFactory(partnership=people.home)
    url = reverse("reviews:extension_add", args=[review.pk])
    response = client.post(url, ANSWERS)  # the session has ended: no one is signed in
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "You were signed out after 30 minutes without activity" in _text(
        client.get(response.url)
    )
    assert not Extension.objects.exists()  # nothing sent

    client.force_login(people.coordinator)  # signing in keeps the session's answers
    page = client.get(url)
    assert _filled_in(page)
    assert "What you typed before has been filled back in" in _text(page)
    assert not Extension.objects.exists()  # shown to check, not sent behind their back
    assert not _filled_in(client.get(url))  # once


def test_answers_kept_for_one_page_are_not_filled_into_another(client, people):
    review = ReviewProceedingFactory(partnership=people.home)
    client.post(reverse("reviews:extension_add", args=[review.pk]), ANSWERS)
    client.force_login(people.coordinator)
    other = ReviewProceedingFactory(partnership=people.home)
    assert not _filled_in(client.get(reverse("reviews:extension_add", args=[other.pk])))
    assert _filled_in(client.get(reverse("reviews:extension_add", args=[review.pk])))


def test_an_out_of_date_security_token_gets_our_page_and_the_answers_are_kept(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.coordinator)
    review = ReviewProceedingFactory(partnership=people.home)
    url = reverse("reviews:extension_add", args=[review.pk])
    response = client.post(url, {**ANSWERS, "csrfmiddlewaretoken": "x" * 64}, HTTP_REFERER=url)
    assert response.status_code == 403
    text = _text(response)
    assert "Your answers were not sent" in text
    assert "CSRF" not in text
    assert "We kept what you typed" in text
    assert f'href="{url}"' in response.content.decode()
    assert not Extension.objects.exists()
    assert _filled_in(client.get(url))


def test_an_out_of_date_token_with_nothing_typed_says_so_and_keeps_nothing(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.coordinator)
    review = ReviewProceedingFactory(partnership=people.home)
    response = client.post(reverse("reviews:confidential", args=[review.pk]))
    assert response.status_code == 403
    assert "We kept what you typed" not in _text(response)
    assert "Go to your dashboard" in _text(response)


def test_secrets_are_never_kept():
    request = RequestFactory().post(
        "/account/password/",
        {
            "csrfmiddlewaretoken": "t",
            "password": "p",
            "new_password1": "n",
            "code": "123456",
            "otp_token": "654321",
            "name": "Sam",
        },
    )
    request.session = SessionStore()
    assert kept_input.keep(request)
    assert request.session[kept_input.KEY]["data"] == {"name": ["Sam"]}


def test_a_form_of_only_secrets_keeps_nothing():
    request = RequestFactory().post("/account/sign-in/", {"password": "p", "code": "1"})
    request.session = SessionStore()
    assert not kept_input.keep(request)
    assert kept_input.KEY not in request.session

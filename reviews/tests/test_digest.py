"""The morning digest (`reviews.digest`): one email to each person with something waiting for
them, grouped as their dashboard's "Waiting for you", once a day, none when nothing waits, and
none for someone who turned it off on their account page."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from dhr.models import OutgoingEmail, User
from dhr.tests.demo_data import load_demo
from reviews.digest import digest_send
from reviews.schedule import DAILY_DIGEST, schedule_install
from reviews.selectors import reviews_visible_to
from reviews.tests.factories import ReviewDecisionPendingFactory
from reviews.work import work_for

pytestmark = pytest.mark.django_db


def _delivered(django_capture_on_commit_callbacks, **kwargs) -> int:
    return digest_send(today=timezone.localdate(), **kwargs)


def _sent() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(subject__startswith="Waiting for you"))


def test_on_the_demo_each_person_with_a_task_gets_one_email_listing_their_queue(
    django_capture_on_commit_callbacks,
):
    load_demo()
    today = timezone.localdate()
    waiting = {}
    for user in User.objects.filter(is_active=True):
        work = work_for(user, reviews=reviews_visible_to(user), today=today)
        if work.mine:
            waiting[user.email] = work
    assert {"coordinator@example.org", "chair@example.org", "police.contact@example.org"} <= set(
        waiting
    )
    assert "viewer@example.org" not in waiting  # nothing waits for a viewer

    assert _delivered(django_capture_on_commit_callbacks) == len(waiting)
    by_person = {message.to[0]: message for message in _sent()}
    assert set(by_person) == set(waiting)
    for email, work in waiting.items():
        message = by_person[email]
        count = work.mine_count
        assert message.subject == f"Waiting for you: {count} task{'s' if count != 1 else ''}"
        for group in work.mine:
            assert f"{group.heading} ({len(group.items)})" in message.body
            for item in group.items:
                assert item.instruction in message.body
        assert "http://" in message.html
        assert "Turn it off on your account page" in message.html


def test_a_second_run_the_same_day_sends_nothing(people, django_capture_on_commit_callbacks):
    ReviewDecisionPendingFactory(partnership=people.home)  # the chair's decision, overdue
    assert _delivered(django_capture_on_commit_callbacks) == 1
    assert _delivered(django_capture_on_commit_callbacks) == 0
    assert [m.to for m in _sent()] == [[people.chair.email]]


def test_no_email_when_nothing_waits(people, django_capture_on_commit_callbacks):
    assert _delivered(django_capture_on_commit_callbacks) == 0
    assert _sent() == []


def test_no_email_for_someone_who_turned_it_off(people, django_capture_on_commit_callbacks):
    ReviewDecisionPendingFactory(partnership=people.home)
    User.objects.filter(pk=people.chair.pk).update(morning_digest=False)
    assert _delivered(django_capture_on_commit_callbacks) == 0
    assert _sent() == []


def test_the_digest_runs_each_morning_after_the_chase():
    schedule_install()
    task = PeriodicTask.objects.get(name=DAILY_DIGEST)
    assert task.task == "reviews.tasks.digest"
    assert (task.crontab.hour, task.crontab.minute) == ("7", "30")


def test_the_command_says_how_many_were_queued(people):
    ReviewDecisionPendingFactory(partnership=people.home)
    out = StringIO()
    call_command("digest", stdout=out)
    assert out.getvalue().strip() == "Digests queued: 1"


# The person's choice, on their account page.


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_person_turns_the_morning_email_off_and_on(client, people):
    client.force_login(people.viewer)
    assert "Morning email On:" in _text(client.get(reverse("account")))
    url = reverse("digest_setting")
    assert re.search(r'value="yes"[^>]*checked', client.get(url).content.decode())
    response = client.post(url, {"on": "no"})
    assert response.url == reverse("account")
    people.viewer.refresh_from_db()
    assert people.viewer.morning_digest is False
    page = _text(client.get(reverse("account")))
    assert "You will not get the morning email" in page
    assert "Morning email Off" in page
    client.post(url, {"on": "yes"})
    people.viewer.refresh_from_db()
    assert people.viewer.morning_digest is True


@pytest.mark.parametrize("answer", [None, "maybe"])
def test_the_choice_must_be_made(client, people, answer):
    client.force_login(people.viewer)
    data = {} if answer is None else {"on": answer}
    response = client.post(reverse("digest_setting"), data)
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    assert "Select whether you want the morning email" in text or "Select a valid choice" in text
    people.viewer.refresh_from_db()
    assert people.viewer.morning_digest is True


def test_the_setting_needs_signing_in(client):
    response = client.get(reverse("digest_setting"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))

"""The benchmarked pages make as many SQL queries at national size as at demo size: each page's
count, measured on a partnership with a few reviews, does not grow when the partnership has
many times more reviews, recommendations, actions, updates and QA letters."""

from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dhr.models import AgencyContact, Partnership, Role
from dhr.tests.demo_data import load_demo
from qa_feedback.models import QALetter
from qa_feedback.seed import Seeder
from reviews.models import Status


def _seed(partnerships, reviews, recommendations):
    from django.utils import timezone

    Seeder(
        partnerships=partnerships, reviews=reviews, recommendations=recommendations,
        actions_per=2, updates_per=3, seed=7, today=timezone.localdate(), say=lambda _: None,
    ).run()  # fmt: skip


def _pages(partnership):
    review = partnership.reviews.filter(status=Status.MONITORING).order_by("pk").first()
    letter = QALetter.objects.filter(review__partnership=partnership).order_by("pk").first()
    coordinator = partnership.memberships.get(role=Role.COORDINATOR).user
    contact = AgencyContact.objects.filter(agency=review.notifying_force).first().user
    return (
        coordinator,
        contact,
        {
            "dashboard": reverse("dashboard"),
            "review list": reverse("reviews:list") + "?status=monitoring",
            "review page": reverse("reviews:detail", args=[review.pk]),
            "action plan": reverse("recommendations:plan", args=[review.pk]),
            "tracker report": reverse("recommendations:tracker", args=[partnership.slug]),
            "QA letter": reverse("qa_feedback:letter", args=[letter.review_id, letter.pk]),
            "your actions": reverse("recommendations:your_actions"),
        },
    )


def _counts(client, partnership) -> dict[str, int]:
    coordinator, contact, pages = _pages(partnership)
    counts = {}
    for name, url in pages.items():
        client.force_login(contact if name == "your actions" else coordinator)
        client.get(url)  # the session's first request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@contextmanager
def _rolled_back():
    """What is written inside is undone at the end, leaving the database as it was."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _grown(smaller: dict[str, int], larger: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {name: (smaller[name], larger[name]) for name in smaller if larger[name] > smaller[name]}


@pytest.mark.slow
@pytest.mark.django_db
def test_queries_per_page_do_not_grow_with_the_data(client):
    """Each page's queries for a partnership of 400 reviews, 3,200 recommendations and their
    actions, updates and QA letters (more than any real partnership holds: the national data
    is 3,000 reviews across 350) are no more than for the same seed at a quarter of the size,
    nor than on the demo (`load_demo`: 16 reviews at every stage, 36 actions). One test, so
    that the national-size partnership is seeded once: each partnership is loaded into an
    empty database, counted, and rolled back."""
    with _rolled_back():
        _seed(1, 400, 3200)
        national = _counts(client, Partnership.objects.get())
    # Small: one partnership of 100 reviews, enough for every stage and every section of each
    # page to appear (a section's one query is there or not; what must not grow is the rest).
    with _rolled_back():
        _seed(1, 100, 800)
        small = _counts(client, Partnership.objects.get())
    load_demo()
    demo = _counts(client, Partnership.objects.get(slug="northvale"))
    grown = {"from small": _grown(small, national), "from the demo": _grown(demo, national)}
    assert grown == {"from small": {}, "from the demo": {}}, (
        f"queries grew with the data (fewer rows, national size): {grown}"
    )

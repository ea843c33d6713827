"""The benchmarked pages make as many SQL queries at national size as at demo size: each page's
count, measured on a partnership with a few reviews, does not grow when the partnership has
many times more reviews, recommendations, actions, updates and QA letters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dhr.models import Agency, AgencyContact, AuditEvent, Partnership, Role, User
from dhr.tests.demo_data import load_demo
from qa_feedback.models import QALetter
from qa_feedback.seed import Seeder
from reviews.models import Review, Status


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


@pytest.mark.slow
@pytest.mark.django_db
def test_queries_per_page_do_not_grow_with_the_data(client):
    # Small: one partnership of 100 reviews, enough for every stage and every section of each
    # page to appear (a section's one query is there or not; what must not grow is the rest).
    _seed(1, 100, 800)
    small = _counts(client, Partnership.objects.get())
    # Then a partnership four times its size, in a fresh load.
    Review.objects.all().delete()
    for model in (AuditEvent, Partnership, Agency, User):
        model.objects.all().delete()
    _seed(1, 400, 3200)
    large = _counts(client, Partnership.objects.get())
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"queries grew with the data (small, large): {grown}"


@pytest.mark.slow
@pytest.mark.django_db
def test_pages_make_no_more_queries_at_national_size_than_at_demo_size(
    client, django_assert_max_num_queries
):
    """Each page's queries on the demo (`load_demo`: 16 reviews at every stage, 36 actions) are
    the most it may make for a partnership of 400 reviews, 3,200 recommendations and their
    actions, updates and QA letters: more than any real partnership holds (the national data is
    3,000 reviews across 350)."""
    load_demo()
    demo = _counts(client, Partnership.objects.get(slug="northvale"))
    _seed(1, 400, 3200)
    coordinator, contact, pages = _pages(Partnership.objects.get(slug__startswith="national-"))
    for name, url in pages.items():
        client.force_login(contact if name == "your actions" else coordinator)
        client.get(url)  # the session's first request
        with django_assert_max_num_queries(demo[name], info=name):
            assert client.get(url).status_code == 200

"""Faults: the database dropping every connection in the middle of a request (as a restart or
failover does), a worker killed in the middle of a task, and a backup restored into a fresh
database. Redis stopped and email failures are tested with the queue (reviews/tests/test_worker.py,
reviews/tests/test_chase.py)."""

import contextlib

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from simple_history.models import HistoricalRecords

from reviews.models import Review
from reviews.tests.factories import ReviewProceedingFactory


def _terminate_own_connection():
    """What a restart does to every backend: the server ends it, mid-transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_mid_request_gives_a_clear_page_and_saves_nothing(
    client, people, monkeypatch
):
    review = ReviewProceedingFactory(partnership=people.home)
    versions = review.history.count()
    client.force_login(people.coordinator)
    original = HistoricalRecords.create_historical_record

    def dies_after_the_review_is_written(self, instance, *args, **kwargs):
        # The review's UPDATE has run in the request's transaction; its history is next.
        if isinstance(instance, Review):
            # The server ends the very statement that ends the connection.
            with contextlib.suppress(DatabaseError):
                _terminate_own_connection()
        return original(self, instance, *args, **kwargs)

    target = (HistoricalRecords, "create_historical_record")
    monkeypatch.setattr(*target, dies_after_the_review_is_written)
    response = client.post(reverse("reviews:pseudonym", args=[review.pk]), {"pseudonym": "Zoe"})
    monkeypatch.setattr(*target, original)

    assert response.status_code == 503
    page = response.content.decode()
    assert "lost touch with its database" in page
    assert "Nothing you entered on that page was saved" in page
    assert response["Retry-After"] == "60"
    connection.close()  # the test's own connection was the one ended
    review.refresh_from_db()
    assert review.victim_pseudonym == "Mary"
    assert review.history.count() == versions
    # And the next request works.
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 200

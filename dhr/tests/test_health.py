"""The health-check URLs answer 200 when their part works and 503 when it does not, to anyone,
saying no more than that."""

import time

import pytest
from django.db import DatabaseError
from django.urls import reverse

from dhr import health
from dhr.celery import app
from dhr.tests.queue import real_worker


def test_the_web_process_answers_without_the_database(client):
    # No `db` fixture: any query would fail this test.
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_database_check(client, db, monkeypatch):
    assert client.get(reverse("health_database")).json() == {"status": "ok"}

    class Gone:
        def cursor(self):
            raise DatabaseError("gone")

    monkeypatch.setattr(health, "connection", Gone())
    response = client.get(reverse("health_database"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "problem": "the database does not answer"}


def test_the_redis_check(client, db, settings):
    assert client.get(reverse("health_redis")).status_code == 200
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get(reverse("health_redis"))
    assert response.status_code == 503
    assert response.json()["problem"] == "Redis does not answer"


def test_the_worker_check_without_a_worker(client, db):
    response = client.get(reverse("health_worker"))
    assert response.status_code == 503
    assert response.json()["problem"] == "no worker answers"


@pytest.mark.django_db(transaction=True)
def _until_it_answers(seconds: float = 30.0) -> None:
    """start_worker returns before the worker listens for pings (its own readiness check needs
    a result backend, which the service has none of): on a busy machine the first ping came
    too soon, and the check said 503. Wait until the worker has answered one ping."""
    deadline = time.monotonic() + seconds
    while not app.control.ping(timeout=0.5):
        assert time.monotonic() < deadline, "the test worker never answered a ping"


@pytest.mark.slow
@pytest.mark.worker
def test_the_worker_check_with_a_worker(client):
    with real_worker():
        _until_it_answers()
        response = client.get(reverse("health_worker"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "workers": 1}


def test_checks_are_read_only(client, db):
    assert client.post(reverse("health")).status_code == 405

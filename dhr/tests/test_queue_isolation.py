"""Each run of the suite has the broker to itself: its messages go under its own key prefix,
and emptying the queue before a real-worker test removes only its own (dhr/settings/test.py)."""

import redis
from django.conf import settings

from dhr.celery import app
from dhr.tests.queue import empty_queue

ANOTHER_RUNS_QUEUE = "test-another-run:celery"


def test_a_run_queues_under_its_own_prefix_and_empties_only_its_own_keys():
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]
    assert prefix.startswith("test-")
    assert prefix != "test-another-run:"
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.rpush(ANOTHER_RUNS_QUEUE, b"another run's task")
    try:
        empty_queue()
        app.send_task("dhr.tasks.deliver_email", args=[0])
        assert client.llen(f"{prefix}celery") == 1
        assert client.llen("celery") == 0  # nothing without the prefix, where any run would see it
        empty_queue()
        assert client.llen(f"{prefix}celery") == 0
        assert client.lrange(ANOTHER_RUNS_QUEUE, 0, -1) == [b"another run's task"]
    finally:
        client.delete(ANOTHER_RUNS_QUEUE)

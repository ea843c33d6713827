"""For tests that run a real Celery worker on the real queue (this test worker's own Redis
database, and this run's own keys in it: see dhr/settings/test.py)."""

import contextlib
import logging
import time
from collections.abc import Iterator

import redis
from celery.contrib.testing.worker import TestWorkController, start_worker
from django.conf import settings

from dhr.celery import app


def _own_keys(client: redis.Redis) -> list[bytes]:
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]
    return list(client.scan_iter(match=f"{prefix}*", count=1000))


def empty_queue() -> None:
    """Remove the messages earlier tests of this run left on the broker, so that a worker
    started now runs only what this test queues. Only this run's keys: another suite on the
    same machine may be using the same Redis database."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    if keys := _own_keys(client):
        client.delete(*keys)


def tidy_up() -> None:
    """At the end of a run, its keys go (the queues' bindings a worker left): a run that cannot
    reach Redis left none."""
    with contextlib.suppress(redis.RedisError):
        empty_queue()


@contextlib.contextmanager
def real_worker(shutdown_timeout: float = 30) -> Iterator[TestWorkController]:
    """A real Celery worker in a thread of this process, taking tasks from this test worker's
    broker until the block ends. Starting it sets up Celery's logging, which leaves the root
    logger at ERROR: its level and handlers are put back afterwards, so that the tests this
    process runs next still log (and capture) their warnings."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=shutdown_timeout
        ) as worker:
            yield worker
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers


def wait_for(condition, seconds: float = 60.0) -> bool:
    """Whether `condition()` came true within `seconds`, asked every tenth of a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False

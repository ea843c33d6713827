"""For tests that run a real Celery worker on the real queue (this test worker's own Redis
database, see dhr/settings/test.py)."""

import time

import redis
from django.conf import settings


def empty_queue() -> None:
    """Empty the test broker's Redis database of messages earlier tests left in it, so that a
    worker started now runs only what this test queues."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def wait_for(condition, seconds: float = 60.0) -> bool:
    """Whether `condition()` came true within `seconds`, asked every tenth of a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False

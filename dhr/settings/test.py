"""`make test`: the real PostgreSQL and Redis on this machine; email kept in memory.

Under pytest-xdist each worker (PYTEST_XDIST_WORKER: gw0, gw1, ...) has its own test database
(pytest-django adds the worker to its name: test_dhr_gw0), its own Redis database for the
Celery broker and its own media folder. And each run of the suite has its own prefix on every
key the broker writes (DHR_TEST_RUN), so that two suites on one machine (a fresh clone's beside
a working copy's) never take each other's tasks: the tests that start a real worker empty only
their own run's keys (dhr/tests/queue.py)."""

import os
import uuid

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dhr")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from dhr.settings.base import *  # noqa: F403
from dhr.settings.base import BASE_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# Redis databases 13 and 14 are the deploy rehearsal test's and the benchmarks'; 15 is a run
# without workers; worker gwN takes 12 - N.
BROKER_DB = 12 - int(WORKER.removeprefix("gw")) if WORKER else 15
if BROKER_DB < 0:
    raise ImproperlyConfigured(f"Too many test workers: {WORKER} has no Redis database")
CELERY_BROKER_URL = f"redis://127.0.0.1:6379/{BROKER_DB}"
# Celery takes the environment's broker before the settings', and the processes a test starts
# inherit it: set, not defaulted, as pytest's main process has set it before starting workers.
os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
# One run's prefix, the same in pytest's main process, its workers and the processes they start
# (each inherits the environment it is set in here).
TEST_RUN = os.environ.setdefault("DHR_TEST_RUN", uuid.uuid4().hex[:12])
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "global_keyprefix": f"test-{TEST_RUN}:",
}
MEDIA_ROOT = BASE_DIR / "test-artifacts" / (f"media-{WORKER}" if WORKER else "media")

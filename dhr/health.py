"""Health checks for load balancers and monitoring: one URL per part, anonymous, cheap, saying
only "ok" or what is wrong (no versions, no hosts). 200 when the part answers, 503 when not.

    /health/           the web process itself (no database)
    /health/database/  PostgreSQL answers a query
    /health/redis/     the broker answers a ping
    /health/worker/    at least one Celery worker answers a ping within a second
"""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import KombuError

from dhr.celery import app

TIMEOUT = 1.0


def _answer(ok: bool, problem: str = "") -> JsonResponse:
    body = {"status": "ok"} if ok else {"status": "unavailable", "problem": problem}
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def web(request):
    return _answer(True)


@never_cache
@require_GET
def database(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return _answer(False, "the database does not answer")
    return _answer(True)


@never_cache
@require_GET
def broker(request):
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
        client.ping()
    except redis.RedisError:
        return _answer(False, "Redis does not answer")
    return _answer(True)


@never_cache
@require_GET
def worker(request):
    try:
        replies = app.control.ping(timeout=TIMEOUT)
    except (KombuError, OSError):  # the broker itself is down: no worker answers either
        replies = []
    if not replies:
        return _answer(False, "no worker answers")
    return JsonResponse({"status": "ok", "workers": len(replies)})

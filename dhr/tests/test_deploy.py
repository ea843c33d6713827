"""The deployment as docs/deploy.md describes it: gunicorn with deploy/gunicorn.conf.py and the
production settings serves the health checks (directly, over HTTP, as a load balancer asks),
redirects everything else to HTTPS, and sends HSTS behind the proxy."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn():
    port = _free_port()
    s = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "dhr.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "dhr.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _get(f"{base}/health/")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start")
    yield base
    process.terminate()
    process.wait(timeout=30)


def test_gunicorn_with_the_production_settings(gunicorn):
    status, _, body = _get(f"{gunicorn}/health/")
    assert (status, body) == (200, b'{"status": "ok"}')
    assert _get(f"{gunicorn}/health/database/")[0] == 200
    assert _get(f"{gunicorn}/health/redis/")[0] == 200
    # Everything else goes to HTTPS...
    status, headers, _ = _get(f"{gunicorn}/")
    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1")
    # ...and behind the proxy (which says the request came over HTTPS) HSTS is sent.
    _, headers, _ = _get(f"{gunicorn}/health/", {"X-Forwarded-Proto": "https"})
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_collectstatic_with_the_production_storage(tmp_path):
    """WhiteNoise's manifest storage refuses a stylesheet naming a file that is not there."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "dhr.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "govuk/app.css" in manifest

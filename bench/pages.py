"""Benchmark: the main pages at national size, under load, beside the floor.

Makes a fresh PostgreSQL database (`dhr_bench` by default), loads `seed_national` (350
partnerships, 3,000 reviews, 30,000 recommendations, 60,000 actions, ~240,000 updates), runs
gunicorn with the production settings (HTTPS off, 4 sync workers) and drives each page with
wrk at 8 concurrent connections for --seconds, signed in as the partnership's coordinator (an
agency contact for "Your actions"). The floor is a trivial Django view on the same server
(`/health/`: no database). It also counts each page's SQL queries (one request, in process),
and times the daily chase over the national data (seconds, queries, peak memory).

Prints a table and writes bench/results-pages.json. Needs PostgreSQL and Redis running
(`scripts/ensure-services.sh`) and wrk (`apt-get install wrk`, which `make bench` does).

    .venv/bin/python bench/pages.py [--seconds 10] [--database dhr_bench] [--keep]
"""

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-pages.json"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""
GOALS = {"p95_ms": 100, "p50_ratio": 5, "chase_seconds": 30}


def sh(*args, env=None, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_database(name: str, env: dict) -> None:
    sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", name)
    # The settings docs/deploy.md recommends for the service's database (SSD storage; short
    # queries that JIT compilation only slows down).
    for setting in ("random_page_cost = 1.1", "jit = off"):
        sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
           f"ALTER DATABASE {name} SET {setting}")  # fmt: skip
    python = str(ROOT / ".venv" / "bin" / "python")
    sh(python, "manage.py", "migrate", "--noinput", "-v0", env=env)
    started = time.monotonic()
    sh(python, "manage.py", "seed_national", env=env, stdout=subprocess.DEVNULL)
    print(f"seed_national: {time.monotonic() - started:.0f} s")


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def targets() -> dict:
    """The pages, the people to view them as, and a session cookie for each person."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dhr.middleware import SIGNED_IN_AT
    from dhr.models import AgencyContact, Partnership, Role
    from qa_feedback.models import QALetter
    from reviews.models import Status

    # The partnership with the most reviews: the heaviest dashboard.
    partnership = max(
        Partnership.objects.filter(slug__startswith="national-"), key=lambda p: p.reviews.count()
    )
    coordinator = partnership.memberships.get(role=Role.COORDINATOR).user
    device, _ = TOTPDevice.objects.get_or_create(
        user=coordinator, name="Bench", defaults={"confirmed": True}
    )
    review = partnership.reviews.filter(status=Status.MONITORING).first()
    letter = QALetter.objects.filter(review__partnership=partnership).first()
    # The agency contact with the most actions: the heaviest "Your actions".
    contact = max(
        AgencyContact.objects.select_related("agency", "user")[:60],
        key=lambda c: c.agency.actions.count(),
    ).user

    def cookie(user, verified: bool) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SIGNED_IN_AT] = time.time()
        if verified:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    lead, agency = cookie(coordinator, True), cookie(contact, False)
    return {
        "partnership": partnership,
        "users": {"coordinator": coordinator, "agency": contact},
        "pages": {
            "floor (trivial view)": (reverse("health"), None),
            "dashboard": (reverse("dashboard"), lead),
            "review list with filters": (
                reverse("reviews:list") + "?status=monitoring&q=DHR",
                lead,
            ),
            "review page": (reverse("reviews:detail", args=[review.pk]), lead),
            "action plan": (reverse("recommendations:plan", args=[review.pk]), lead),
            "your actions (agency)": (reverse("recommendations:your_actions"), agency),
            "tracker report": (reverse("recommendations:tracker", args=[partnership.slug]), lead),
            "QA letter": (reverse("qa_feedback:letter", args=[letter.review_id, letter.pk]), lead),
        },
    }


def queries_per_page(found: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, (url, cookie) in found["pages"].items():
        client = Client(HTTP_HOST="127.0.0.1")
        if cookie:
            key, value = cookie.split("=", 1)
            client.cookies[key] = value
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "dhr.wsgi"],
        cwd=ROOT,
        # No recycling of workers: it is for slow leaks over days, and at the floor's few
        # thousand requests a second it would restart every worker every few seconds, and
        # measure the restarts (p95 of 2 s) instead of the requests.
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "4",
             "LOG_LEVEL": "WARNING", "GUNICORN_MAX_REQUESTS": "0"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start:\n" + log.read_text()[-3000:])


def wrk(url: str, cookie: str | None, seconds: int, script: Path) -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), *headers,
         url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    requests, errors, duration, p50, p95 = re.search(r"RESULT (.*)", out).group(1).split()
    return {
        "requests": int(requests),
        "errors": int(errors),
        "rps": round(int(requests) / (int(duration) / 1e6), 1),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
    }


def chase_figures() -> dict:
    """The daily chase over the national data, in a fresh process for its own peak memory."""
    # Queries counted by a wrapper: connection.queries_log keeps only the last 9,000.
    code = """
import json, resource, time, django
django.setup()
from django.db import connection
from django.utils import timezone
from reviews.chase import chase_run

count = 0
def counted(execute, sql, params, many, context):
    global count
    count += 1
    return execute(sql, params, many, context)

start = time.monotonic()
with connection.execute_wrapper(counted):
    result = chase_run(today=timezone.localdate())
print(json.dumps({
    "seconds": round(time.monotonic() - start, 2), "queries": count,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "reminders": len(result.planned), "escalations": result.escalations_proposed,
}))
"""
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database", default="dhr_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database kept by an earlier --keep run"
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    static = Path(tempfile.mkdtemp(prefix="dhr-bench-static-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dhr.settings.production",
        "SECRET_KEY": "bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{options.database}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if not options.reuse:
        setup_database(options.database, env)
    python = str(ROOT / ".venv" / "bin" / "python")
    sh(python, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    django_setup(env)
    found = targets()
    queries = queries_per_page(found)
    script = static / "report.lua"
    script.write_text(WRK_SCRIPT)
    port = free_port()
    server = start_gunicorn(env, port, static / "gunicorn.log")
    pages = {}
    try:
        for name, (url, cookie) in found["pages"].items():
            wrk(f"http://127.0.0.1:{port}{url}", cookie, 2, script)  # warm up
            pages[name] = {**wrk(f"http://127.0.0.1:{port}{url}", cookie, options.seconds, script),
                           "queries": queries[name], "url": url}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor = pages["floor (trivial view)"]["p50_ms"]
    for figures in pages.values():
        figures["p50_ratio"] = round(figures["p50_ms"] / floor, 1) if floor else None
    chase = chase_figures()
    results = {
        "data": "seed_national defaults",
        "concurrency": 8,
        "seconds": options.seconds,
        "pages": pages,
        "chase": chase,
        "goals": GOALS,
        "bench_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'x floor':>8} {'queries':>8} {'req/s':>8}"
          f" {'errors':>7}")  # fmt: skip
    for name, f in pages.items():
        flag = " " if f["p95_ms"] <= GOALS["p95_ms"] and (f["p50_ratio"] or 0) <= 5 else "!"
        print(f"{name:28} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f} {f['p50_ratio']:8.1f} "
              f"{f['queries']:8d} {f['rps']:8.1f} {f['errors']:7d} {flag}")  # fmt: skip
    print(f"\nchase over the national data: {chase['seconds']} s, {chase['queries']} queries, "
          f"peak {chase['peak_rss_mb']} MB, {chase['reminders']} deadlines planned")  # fmt: skip
    print(f"goals: p95 <= {GOALS['p95_ms']} ms, p50 <= {GOALS['p50_ratio']} x floor, chase < "
          f"{GOALS['chase_seconds']} s ('!' marks a page that misses)")  # fmt: skip
    print(f"written to {RESULTS.relative_to(ROOT)}")
    shutil.rmtree(static, ignore_errors=True)
    from django.db import connections

    connections.close_all()
    if not options.keep:
        sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", options.database)


if __name__ == "__main__":
    main()

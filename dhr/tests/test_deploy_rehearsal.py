"""A rehearsal of docs/deploy.md's "One machine", in a scratch folder with its own database and
Redis number: the environment file (docs/env.example's variables), `dhr-manage` for collectstatic
(with the manifest), migrate, the database settings, the deploy check, the first administrator
and the first partnership; gunicorn and a Celery worker started with that file as systemd
would; the four health checks; signing in through the real pages (two-factor set-up included);
the worker sending the partnership's invitations; a backup restored with equal row counts.
Everything it starts is stopped at the end."""

import base64
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django_otp.oath import TOTP

pytestmark = pytest.mark.slow

BASE = Path(settings.BASE_DIR)
DOCS = (BASE / "docs" / "deploy.md").read_text()
DB = "dhr_rehearsal"
SERVER = "postgres://postgres@127.0.0.1:5432"
ADMIN = ("admin@rehearsal.example.org", "Ada Rehearsal", "a-long-rehearsal-passphrase")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(database: str, sql: str) -> None:
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as db:
        db.execute(sql)


@pytest.fixture
def scratch(tmp_path):
    """The folders and the environment file of step 2 and 5, in a scratch folder."""
    port = _free_port()
    for name in ("media", "static", "backups", "mail"):
        (tmp_path / name).mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": "dhr.settings.production",
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "ALLOWED_HOSTS": "dhr.example.org,127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "DATABASE_URL": f"{SERVER}/{DB}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "DEFAULT_FROM_EMAIL": "DHR case manager <dhr@rehearsal.example.org>",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        "WORKER_CONCURRENCY": "1",
        "WEB_CONCURRENCY": "2",
    }
    # Every variable docs/env.example names is set here too.
    example = (BASE / "docs" / "env.example").read_text()
    named = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))
    assert named - set(env) <= {"EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_HOST_USER",
                                "EMAIL_HOST_PASSWORD"}  # fmt: skip
    env_file = tmp_path / "env"
    env_file.write_text(
        "".join(f'{k}="{v}"\n' if " " in v else f"{k}={v}\n" for k, v in env.items())
    )
    env_file.chmod(0o600)
    for name in (DB, f"{DB}_restored"):
        _psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql("postgres", f'CREATE DATABASE "{DB}"')
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)
    yield tmp_path, env_file, port
    for name in (DB, f"{DB}_restored"):
        _psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _clean_env() -> dict:
    """The machine's environment, less the test run's own settings: as a root shell has it."""
    drop = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE"}  # fmt: skip
    return {k: v for k, v in os.environ.items() if k not in drop}


def _manage(env_file: Path, *args: str, extra: dict | None = None) -> str:
    """`dhr-manage ARGS`, as the docs type it (the service's user is root here)."""
    assert f"dhr-manage {args[0]}" in DOCS, f"the docs never run dhr-manage {args[0]}"
    result = subprocess.run(
        [BASE / "deploy" / "dhr-manage", *args],
        env={**_clean_env(), "DHR_ENV_FILE": str(env_file), "DHR_APP": str(BASE),
             "DHR_USER": "root", **(extra or {})},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _service(env_file: Path, command: str, log: Path) -> subprocess.Popen:
    """A process started with the environment file loaded, as systemd's EnvironmentFile does
    (and the docs' `set -a; . /etc/dhr/env; set +a`)."""
    with log.open("w") as out:  # the child keeps its own copy of the file
        return subprocess.Popen(
            ["sh", "-c", f'set -a; . "{env_file}"; set +a; exec {command}'],
            cwd=BASE, env=_clean_env(), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Browser:
    """Just enough of a browser over plain HTTP to gunicorn: nginx's X-Forwarded-Proto (so the
    service sees HTTPS, as behind the proxy) and its cookies, Secure ones included."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.50",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}  # fmt: skip
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Origin": origin, "Referer": origin + path}  # fmt: skip
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, response.getheader("Location") or "", text

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        status, _, page = self.get(path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **form})


def _wait(condition, seconds=60.0, what="it"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)  # asked again soon: each wait ends on what it waits for
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


def _row_counts(database: str) -> dict[str, int]:
    with psycopg.connect(f"{SERVER}/{database}") as db:
        tables = [r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_the_one_machine_deployment_as_documented(scratch):
    tmp, env_file, port = scratch

    # Step 6: static files (with WhiteNoise's manifest), tables, settings, the deploy check.
    _manage(env_file, "collectstatic", "--noinput")
    assert (tmp / "static" / "staticfiles.json").exists()
    _manage(env_file, "migrate")
    assert "scripts/db-settings.sql" in DOCS
    subprocess.run(["psql", f"{SERVER}/{DB}", "-q", "-v", "ON_ERROR_STOP=1", "-f",
                    BASE / "scripts" / "db-settings.sql"], check=True)  # fmt: skip
    assert "no issues" in _manage(env_file, "check", "--deploy")

    # Step 7: the services.
    web = _service(env_file, f"{BASE}/.venv/bin/gunicorn -c deploy/gunicorn.conf.py dhr.wsgi",
                   tmp / "web.log")  # fmt: skip
    worker = _service(env_file, f"{BASE}/.venv/bin/celery -A dhr worker --pool=solo "
                      "--concurrency=1 --loglevel=INFO", tmp / "worker.log")  # fmt: skip
    try:
        browser = Browser(port)

        def up(path):
            try:
                return browser.get(path)[0] == 200
            except OSError:
                return False

        for path in ("/health/", "/health/database/", "/health/redis/", "/health/worker/"):
            _wait(lambda path=path: up(path), what=f"{path} answering 200")

        # Step 10: the first administrator and the first partnership.
        email, name, password = ADMIN
        _manage(env_file, "createsuperuser", "--noinput", extra={
            "DJANGO_SUPERUSER_EMAIL": email, "DJANGO_SUPERUSER_NAME": name,
            "DJANGO_SUPERUSER_PASSWORD": password})  # fmt: skip
        _manage(env_file, "create_partnership", "--name", "Rehearsal CSP", "--area", "Rehearsal",
                "--coordinator", "Rae Coordinator <rae@rehearsal.example.org>",
                "--chair", "Cal Chair <cal@rehearsal.example.org>")  # fmt: skip

        # A task run by the worker: the invitations, written by the mail backend.
        def invitations():
            return [p.read_text() for p in (tmp / "mail").glob("*.log")]

        _wait(lambda: len(invitations()) == 2, what="the worker sending the invitations")
        assert all("Choose your password" in message for message in invitations())

        # Signing in through the real pages: password, then setting up an authenticator app.
        status, location, _ = browser.post(
            "/account/sign-in/", {"username": email, "password": password}
        )
        assert (status, location) == (302, "/"), (tmp / "web.log").read_text()[-2000:]
        status, location, _ = browser.get("/")
        assert location.startswith("/account/two-factor/set-up/")
        _, _, page = browser.get("/account/two-factor/set-up/")
        secret = unescape(page.split('id="secret">', 1)[1].split("<", 1)[0]).replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        status, location, _ = browser.post(
            "/account/two-factor/set-up/", {"code": f"{TOTP(key).token():06d}"}
        )
        assert location.startswith("/account/recovery-codes/")
        status, _, page = browser.get("/")
        assert status == 200
        assert "Rehearsal CSP" in browser.get("/administration/")[2]
        assert "Ada Rehearsal" in page

        # Step 11's backup, restored into an empty database: every table, every row.
        dump = subprocess.run(
            [BASE / "scripts" / "backup.sh", f"{SERVER}/{DB}", tmp / "media", tmp / "backups"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        _psql("postgres", f'CREATE DATABASE "{DB}_restored"')
        subprocess.run([BASE / "scripts" / "restore.sh", dump, f"{SERVER}/{DB}_restored"],
                       capture_output=True, text=True, check=True)  # fmt: skip
        before, after = _row_counts(DB), _row_counts(f"{DB}_restored")
        assert after == before
        assert before["dhr_partnership"] == 1
        assert before["dhr_outgoingemail"] == 2
    finally:
        _stop(web)
        _stop(worker)
    assert web.returncode is not None
    assert worker.returncode is not None
    shutil.rmtree(tmp / "static", ignore_errors=True)

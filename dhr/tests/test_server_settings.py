"""Nothing runs on the wrong settings by accident on a server: the local settings refuse to load
there, a worker or beat will not start without a settings module, and `dhr-manage` runs any
command with the service's environment file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

BASE = Path(settings.BASE_DIR)
# The machine's environment without the test run's own settings.
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "DHR_ENV_FILE"}
}


def _run(args, env, timeout=60):
    return subprocess.run(
        args, cwd=BASE, env={**CLEAN, **env}, capture_output=True, text=True, timeout=timeout
    )


def test_the_local_settings_refuse_to_run_where_the_production_environment_file_is(tmp_path):
    marker = tmp_path / "env"
    marker.write_text("DJANGO_SETTINGS_MODULE=dhr.settings.production\n")
    database = tmp_path / "would-be.sqlite3"
    result = _run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        {"DHR_ENV_FILE": str(marker), "DATABASE_URL": f"sqlite:///{database}"},
    )
    assert result.returncode != 0
    assert "run management commands with `dhr-manage COMMAND`" in result.stderr
    assert not database.exists()  # nothing was written


def test_the_local_settings_refuse_postgresql_with_debug_off(tmp_path):
    result = _run(
        [sys.executable, "manage.py", "check"],
        {
            "DHR_ENV_FILE": str(tmp_path / "none"),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dhr",
            "DEBUG": "false",
        },
    )
    assert result.returncode != 0
    assert "set DJANGO_SETTINGS_MODULE=dhr.settings.production" in result.stderr


def test_the_local_settings_still_serve_make_run(tmp_path):
    result = _run(
        [sys.executable, "manage.py", "check"],
        {"DHR_ENV_FILE": str(tmp_path / "none"), "DATABASE_URL": f"sqlite:///{tmp_path}/db"},
    )
    assert result.returncode == 0, result.stderr


def test_a_worker_will_not_start_without_a_settings_module():
    result = _run([sys.executable, "-m", "celery", "-A", "dhr", "worker", "--pool=solo"], {})
    assert result.returncode != 0
    assert "DJANGO_SETTINGS_MODULE is not set" in result.stderr


def test_dhr_manage_runs_a_command_with_the_service_s_environment(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text(
        "DJANGO_SETTINGS_MODULE=dhr.settings.production\n"
        "SECRET_KEY=rehearsal-secret-with-enough-length-and-variety-1234567890\n"
        "ALLOWED_HOSTS=dhr.example.org\n"
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/dhr\n"
        'DEFAULT_FROM_EMAIL="DHR case manager <dhr@example.org>"\n'
    )
    script = "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG)"
    result = _run(
        [BASE / "deploy" / "dhr-manage", "shell", "-c", script],
        {"DHR_ENV_FILE": str(env_file), "DHR_APP": str(BASE), "DHR_USER": "root"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "dhr.settings.production False"


def test_dhr_manage_says_what_is_missing(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("SECRET_KEY=x\n")
    result = _run(
        [BASE / "deploy" / "dhr-manage", "check"],
        {"DHR_ENV_FILE": str(env_file), "DHR_APP": str(BASE), "DHR_USER": "root"},
    )
    assert result.returncode == 1
    assert "does not set DJANGO_SETTINGS_MODULE" in result.stderr
    result = _run([BASE / "deploy" / "dhr-manage", "check"], {"DHR_ENV_FILE": "/nonexistent"})
    assert "cannot read /nonexistent" in result.stderr

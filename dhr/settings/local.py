"""`make run`: SQLite, eager tasks, email printed to the console. Nothing to start.

Never on a server: these settings refuse to load where a production environment file exists
(`/etc/dhr/env`, or `DHR_ENV_FILE`), or when `DATABASE_URL` points at PostgreSQL with DEBUG
off. A command typed on a server without the service's environment (`python manage.py
migrate` instead of `dhr-manage migrate`) then stops with a message, instead of quietly
migrating a new SQLite file.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SERVER_ENV_FILE = Path(os.environ.get("DHR_ENV_FILE", "/etc/dhr/env"))

if SERVER_ENV_FILE.exists():
    raise ImproperlyConfigured(
        f"This is a server ({SERVER_ENV_FILE} exists), but the local settings were loaded: run "
        "management commands with `dhr-manage COMMAND`, which loads the service's environment "
        "(see docs/deploy.md)."
    )
if os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")) and os.environ.get(
    "DEBUG", ""
).lower() in ("0", "false", "off", "no"):
    raise ImproperlyConfigured(
        "DATABASE_URL points at PostgreSQL with DEBUG off, but the local settings were loaded: "
        "set DJANGO_SETTINGS_MODULE=dhr.settings.production (see docs/deploy.md)."
    )

os.environ.setdefault("SECRET_KEY", "local-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from dhr.settings.base import *  # noqa: E402, F403

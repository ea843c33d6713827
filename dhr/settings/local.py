"""`make run`: SQLite, eager tasks, email printed to the console. Nothing to start."""

import os

os.environ.setdefault("SECRET_KEY", "local-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from dhr.settings.base import *  # noqa: F403

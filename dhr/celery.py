"""The Celery app. Broker: Redis (CELERY_BROKER_URL). Tasks run eagerly under `make run`.

There is no default settings module: a worker or beat started without DJANGO_SETTINGS_MODULE
(outside its systemd unit, which reads /etc/dhr/env) stops at once instead of running with the
local settings' DEBUG and eager tasks."""

import os

from celery import Celery
from django.core.exceptions import ImproperlyConfigured

if not os.environ.get("DJANGO_SETTINGS_MODULE"):
    raise ImproperlyConfigured(
        "DJANGO_SETTINGS_MODULE is not set: start the worker and beat from their systemd units "
        "(which read /etc/dhr/env), or set it (dhr.settings.production on a server)."
    )

app = Celery("dhr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

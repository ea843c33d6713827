"""The Celery app. Broker: Redis (CELERY_BROKER_URL). Tasks run eagerly under `make run`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhr.settings.local")

app = Celery("dhr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

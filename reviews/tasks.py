"""Celery tasks of the reviews app: take ids or dates, call a service."""

from celery import shared_task
from django.utils import timezone

from dhr.jobs import file_job_run
from reviews.chase import chase_run
from reviews.digest import digest_send
from reviews.records import record_zip_job, retention_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def chase() -> dict:
    """The daily chase (scheduled at 07:00 Europe/London by django-celery-beat). Safe to run
    again after a crash: the reminder log sends nothing twice."""
    return chase_run(today=timezone.localdate()).as_dict()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def digest() -> int:
    """The morning digest (07:30 Europe/London, after the chase). Safe to run again: each
    person's digest of a day is sent once."""
    return digest_send(today=timezone.localdate())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retention() -> dict:
    """The daily retention run (scheduled at 02:30 Europe/London). Safe to run again: an
    anonymised review is no longer due."""
    run = retention_run(today=timezone.localdate())
    return {"outcome": run.outcome, "summary": run.summary}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def make_record_zip(job_id: int) -> str:
    """A review's whole record for the lead who asked (see `reviews.records`)."""
    return file_job_run(job_id, record_zip_job).state

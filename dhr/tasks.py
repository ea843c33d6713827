"""Celery tasks of the core: take ids, call a service; retries and failure handling only."""

from celery import shared_task

from dhr.email import email_attempt


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_email(email_id: int) -> str:
    return email_attempt(email_id=email_id).status

"""Celery tasks of the core: take ids, call a service; retries and failure handling only."""

from celery import shared_task

from dhr.email import email_deliver, email_dispatch


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_email(email_id: int) -> str:
    delivery = email_deliver(email_id=email_id)
    if delivery.retry_in is not None:
        email_dispatch(email_id=email_id, countdown=int(delivery.retry_in.total_seconds()))
    return delivery.status

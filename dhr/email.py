"""Outgoing email: written to the outbox (`OutgoingEmail`) in the transaction that decides to
send it, delivered by a worker after commit, retried with back-off when the mail server fails,
and marked failed (and shown to the coordinators) after the last attempt.

A message that cannot be queued (Redis down) stays pending in the outbox and the next chase run
delivers it: nothing is lost and no page fails because the broker is away.
"""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from dhr.models import OutgoingEmail, Partnership
from dhr.queue import enqueue
from dhr.wording import wording_of

logger = logging.getLogger(__name__)
Status = OutgoingEmail.Status


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 1, 4, 16, 64 minutes (by default)."""
    return timedelta(seconds=settings.EMAIL_RETRY_BASE_SECONDS * 4 ** (attempts - 1))


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def email_compose(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    partnership: Partnership | None = None,
) -> OutgoingEmail:
    """An email rendered for the outbox, not yet written. `template` names a pair:
    `<template>.txt` (plain text) and `<template>.html`."""
    # The service's name as the partnership's people know it (dhr.wording).
    context = {**context, "service_name": wording_of(partnership).service}
    return OutgoingEmail(
        partnership=partnership,
        to=sorted(set(to)),
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
    )


def email_queue(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    partnership: Partnership | None = None,
    dispatch: bool = True,
    attachment: tuple[str, bytes, str] | None = None,
) -> OutgoingEmail:
    """Write an email to the outbox and, once the caller's transaction commits, hand it to a
    worker (unless `dispatch` is false: the caller delivers it itself). `template` is as in
    `email_compose`. `attachment` is (file name, bytes, content type)."""
    email = email_compose(
        to=to, subject=subject, template=template, context=context, partnership=partnership
    )
    email.save(force_insert=True)
    if attachment is not None:
        name, content, content_type = attachment
        email.attachment.save(f"{uuid.uuid4().hex}{Path(name).suffix}", ContentFile(content))
        email.attachment_name, email.attachment_type = name, content_type
        email.save(update_fields=["attachment", "attachment_name", "attachment_type"])
    if dispatch:
        transaction.on_commit(lambda: email_dispatch(email_id=email.pk))
    return email


def email_queue_many(*, emails: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """`email_queue(dispatch=False)` for a job that writes thousands and delivers them itself:
    the emails (from `email_compose`, without attachments) are written to the outbox in one
    statement instead of one each."""
    return OutgoingEmail.objects.bulk_create(emails)


def email_dispatch(*, email_id: int, countdown: int = 0) -> None:
    """Hand the email to a worker; if none can be reached, it waits in the outbox."""
    enqueue("dhr.tasks.deliver_email", email_id, countdown=countdown)


# What an attempt changes: the rest of the row (the message itself) is written once, when queued.
DELIVERY_FIELDS = ["status", "attempts", "next_attempt_at", "last_error", "sent_at", "attachment"]


@dataclass(frozen=True)
class Delivery:
    status: str
    retry_in: timedelta | None = None


def email_deliver(*, email_id: int, connection: BaseEmailBackend | None = None) -> Delivery:
    """One attempt to send the email, if it is due. The row is locked while it is sent, so two
    workers never send the same email; an email already sent, or whose next attempt has not
    come yet, is left alone (two retry chains for one email converge on one).

    `connection` is a mail connection kept open from one email to the next (a job sending
    many: one SMTP session instead of one each); opening it is part of the attempt, and after
    a failure it is closed, so that the next email starts on a fresh one."""
    with transaction.atomic():
        email = emails_due().select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None:
            return Delivery(status="skipped")
        if not email.to:
            email.status, email.next_attempt_at = Status.FAILED, None
            email.last_error = "There is nobody to send it to: add the people to the service"
            email.save(update_fields=DELIVERY_FIELDS)
            return Delivery(status=email.status)
        email.attempts += 1
        message = EmailMultiAlternatives(
            email.subject, email.body, to=email.to, connection=connection
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        try:
            if email.attachment:
                with email.attachment.open("rb") as stored:
                    message.attach(email.attachment_name, stored.read(), email.attachment_type)
            if connection is not None:
                connection.open()  # once: it stays open for the next email
            message.send()
        except Exception as error:  # any failure of the mail server is recorded, not raised
            if connection is not None:
                _close_quietly(connection)
            email.last_error = f"{type(error).__name__}: {error}"[:500]
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                email.status, email.next_attempt_at = Status.FAILED, None
                logger.error("Email %s failed for good: %s", email.pk, email.last_error)
                delay = None
            else:
                delay = retry_delay(email.attempts)
                email.status, email.next_attempt_at = Status.RETRYING, timezone.now() + delay
                logger.warning("Email %s failed, retrying: %s", email.pk, email.last_error)
        else:
            email.status, email.sent_at, email.next_attempt_at = Status.SENT, timezone.now(), None
            email.last_error = ""
            delay = None
        if email.status in (Status.SENT, Status.FAILED) and email.attachment:
            # Its copy is needed only to send it: the original is kept where it belongs.
            email.attachment.delete(save=False)
        email.save(update_fields=DELIVERY_FIELDS)
        return Delivery(status=email.status, retry_in=delay)


@contextmanager
def mail_connection() -> Iterator[BaseEmailBackend]:
    """One mail connection for a job that sends many emails, to pass to each `email_attempt`:
    opened by the first attempt, closed at the end whatever happened."""
    connection = get_connection()
    try:
        yield connection
    finally:
        _close_quietly(connection)


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Close a connection that may be broken already (that is why it is being closed)."""
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed", exc_info=True)


def email_attempt(*, email_id: int, connection: BaseEmailBackend | None = None) -> Delivery:
    """One attempt to send the email and, if it failed, the next attempt queued after its
    back-off (the chase picks it up too, should the queue be away). `connection` as in
    `email_deliver`."""
    delivery = email_deliver(email_id=email_id, connection=connection)
    if delivery.retry_in is not None:
        email_dispatch(email_id=email_id, countdown=int(delivery.retry_in.total_seconds()))
    return delivery


def emails_due(now=None):
    """Emails waiting for delivery: pending ones (a worker may never have had them) and those
    whose next retry has come."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.RETRYING, next_attempt_at__lte=now)
    ).order_by("pk")

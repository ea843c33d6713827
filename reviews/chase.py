"""The chase: every morning, a reminder for each deadline that has reached one of its
partnership's reminder steps, to the people who must act, each sent at most once.

1. Plan: the open deadlines (`deadlines.open_deadlines`) and the step each has reached today
   (`clocks.reminder_step`), less those already in the reminder log.
2. Record: a partnership at a time, in one transaction, the reminder log rows (unique on
   deadline and step) and their emails in the outbox, each written in bulk. A second run, or
   two runs at once, cannot record one twice.
3. Deliver: every email waiting in the outbox, this run's and any left by an earlier run that
   was killed or could not reach the queue, one attempt each (each in its own transaction, over
   one mail connection); a failure is retried later with back-off (see `dhr.email`).

`python manage.py chase` and the beat-scheduled task `reviews.tasks.chase` both call
`chase_run`.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from dhr.email import (
    absolute_url,
    email_attempt,
    email_compose,
    email_queue_many,
    emails_due,
    mail_connection,
)
from dhr.models import OutgoingEmail, Partnership, Role
from dhr.people import Directory
from reviews import extensions
from reviews.deadlines import Chase, Deadline, open_deadlines
from reviews.models import Reminder, Review

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    deadline: Deadline
    step: int

    @property
    def key(self) -> dict:
        return {
            "object_type": self.deadline.object_type,
            "object_id": self.deadline.object_id,
            "cycle": self.deadline.cycle,
            "step": self.step,
        }

    def as_dict(self) -> dict:
        return {
            "review": self.deadline.review.reference if self.deadline.review else "",
            "partnership": self.deadline.partnership.slug,
            "what": self.deadline.what,
            "due": self.deadline.due.isoformat(),
            "step": self.step,
        }


@dataclass
class ChaseResult:
    reminders_sent: int = 0
    reminders_failed: int = 0
    escalations_proposed: int = 0
    other_emails_sent: int = 0
    planned: list[Planned] = field(default_factory=list)

    def as_dict(self, *, dry_run: bool = False) -> dict:
        result = {
            "reminders_sent": self.reminders_sent,
            "reminders_failed": self.reminders_failed,
            "escalations_proposed": self.escalations_proposed,
        }
        if dry_run:
            result["would_send"] = [p.as_dict() for p in self.planned]
        return result


def chase_plan(*, today: date) -> list[Planned]:
    """The reminders due today that the log does not hold yet."""
    partnerships = {p.pk: p for p in Partnership.objects.all()}
    if not partnerships:
        return []
    furthest = max(max(p.reminder_days_before, default=0) for p in partnerships.values())
    found = open_deadlines(
        reviews=Review.objects.all(), today=today, until=today + timedelta(days=furthest)
    )
    planned = []
    for deadline in found:
        step = deadline.reminder_step(today)
        if step is not None:
            planned.append(Planned(deadline, step))
    if not planned:
        return []
    logged = set(
        Reminder.objects.filter(
            object_type__in={p.deadline.object_type for p in planned},
            object_id__in={p.deadline.object_id for p in planned},
        ).values_list("object_type", "object_id", "cycle", "step")
    )
    return [p for p in planned if tuple(p.key.values()) not in logged]


def _recipients(deadline: Deadline, directory: Directory) -> tuple[list[str], dict]:
    """Who is chased, and what the email tells them beyond the deadline itself. Agency contacts
    cannot open review pages (they see only their own actions), so they are told whom to send
    their report to instead of being given a link."""
    partnership_id = deadline.partnership.pk
    coordinators = directory.role(partnership_id, Role.COORDINATOR)
    link = {"url": absolute_url(deadline.url)}
    if deadline.chase == Chase.CHAIRS:
        return [*directory.role(partnership_id, Role.CHAIR), *coordinators], link
    if deadline.chase == Chase.COORDINATORS:
        return coordinators, link
    contacts = directory.agency(deadline.agency.pk, partnership_id)
    if contacts and deadline.agency_may_open:
        return contacts, link
    if contacts:
        return contacts, {"send_to": coordinators}
    return coordinators, {
        **link,
        "note": f"{deadline.agency.name} has no contact for {deadline.partnership.name} in this "
        "service, so this reminder comes "
        "to you: please chase them, and ask an administrator to add their contact.",
    }


def _subject(deadline: Deadline, today: date) -> str:
    title = deadline.title
    if deadline.days_left < 0:
        days = -deadline.days_left
        return f"Overdue by {days} day{'s' if days != 1 else ''}: {deadline.what}, {title}"
    if deadline.days_left == 0:
        return f"Due today: {deadline.what}, {title}"
    days = deadline.days_left
    return f"Due in {days} day{'s' if days != 1 else ''}: {deadline.what}, {title}"


def _reminder_email(planned: Planned, today: date, directory: Directory) -> OutgoingEmail:
    deadline = planned.deadline
    to, extra = _recipients(deadline, directory)
    return email_compose(
        to=to,
        subject=_subject(deadline, today),
        template="email/reminder",
        context={"deadline": deadline, "overdue_days": -deadline.days_left, **extra},
        partnership=deadline.partnership,
    )


def reminders_record(
    *, planned: list[Planned], today: date, directory: Directory | None = None
) -> list[Reminder]:
    """Log the reminders and write their emails, all together; returns those logged. One that
    another run logged first (two runs at once) is left out, with its email: the unique log
    row decides, so the other run's insert waits for this one to commit and then skips it."""
    directory = directory or Directory()
    emails = [_reminder_email(p, today, directory) for p in planned]
    if not emails:
        return []
    with transaction.atomic():
        email_queue_many(emails=emails)  # chase_run delivers them straight after
        reminders = [
            Reminder(
                partnership=p.deadline.partnership,
                review=p.deadline.review,
                what=p.deadline.what,
                due_on=p.deadline.due,
                email=email,
                **p.key,
            )
            for p, email in zip(planned, emails, strict=True)
        ]
        # In one order, so that two runs at once wait for each other without a deadlock.
        reminders.sort(key=lambda r: (r.object_type, r.object_id, r.cycle, r.step))
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
        logged = list(Reminder.objects.filter(email__in=emails))
        if len(logged) < len(emails):
            kept = {r.email_id for r in logged}
            OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails if e.pk not in kept]).delete()
    return logged


def _by_partnership(planned: list[Planned]) -> list[list[Planned]]:
    batches: dict[int, list[Planned]] = {}
    for p in planned:
        batches.setdefault(p.deadline.partnership.pk, []).append(p)
    return list(batches.values())


def chase_run(*, today: date, dry_run: bool = False) -> ChaseResult:
    result = ChaseResult(planned=chase_plan(today=today))
    if dry_run:
        result.escalations_proposed = sum(
            propose(today=today, dry_run=True) for propose in extensions.escalation_proposers()
        )
        return result
    directory = Directory()
    # A transaction a partnership: a run killed half-way leaves whole partnerships logged.
    for batch in _by_partnership(result.planned):
        reminders_record(planned=batch, today=today, directory=directory)
    reminder_emails = set(
        Reminder.objects.filter(email__in=emails_due()).values_list("email_id", flat=True)
    )
    # After the reminders are recorded, so that a failing proposer cannot hold them back.
    for propose in extensions.escalation_proposers():
        try:
            result.escalations_proposed += propose(today=today)
        except Exception:
            logger.exception("Proposing escalations failed; the next run tries again")
    # One mail connection for the run (opened by the first attempt), not one an email.
    with mail_connection() as connection:
        for email_id in emails_due().values_list("pk", flat=True):
            try:
                delivery = email_attempt(email_id=email_id, connection=connection)
            except Exception:  # one broken email must not stop the others
                logger.exception("Delivering email %s failed", email_id)
                continue
            if delivery.status == "skipped":
                continue
            sent = delivery.status == OutgoingEmail.Status.SENT
            if email_id in reminder_emails:
                if sent:
                    result.reminders_sent += 1
                else:
                    result.reminders_failed += 1
            elif sent:
                result.other_emails_sent += 1
    logger.info("Chase for %s: %s", today, result.as_dict())
    return result

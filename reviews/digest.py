"""The morning digest: one email to each person with something waiting for them, their
dashboard's "Waiting for you" grouped the same way, sent once a day after the morning chase
(`reviews.tasks.digest`, 07:30) unless they turned it off on their account page. None when
nothing is waiting. Safe to run again: a person's digest of a day is sent once."""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse

from dhr.email import absolute_url, email_queue
from dhr.models import User
from reviews.models import DigestSent
from reviews.selectors import reviews_visible_to
from reviews.work import work_for


def digest_send(*, today: date) -> int:
    """Queue today's digests; the number queued."""
    queued = 0
    already = DigestSent.objects.filter(sent_on=today).values("user")
    for user in User.objects.filter(is_active=True, morning_digest=True).exclude(pk__in=already):
        work = work_for(user, reviews=reviews_visible_to(user), today=today)
        if not work.mine:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, sent_on=today)
                count = work.mine_count
                email_queue(
                    to=[user.email],
                    subject=f"Waiting for you: {count} task{'s' if count != 1 else ''}",
                    template="email/digest",
                    context={
                        "user": user,
                        "groups": work.mine,
                        "count": count,
                        "absolute": absolute_url(""),
                        "dashboard": absolute_url(reverse("dashboard")),
                        "account": absolute_url(reverse("account")),
                    },
                )
        except IntegrityError:
            continue  # another run sent it meanwhile
        queued += 1
    return queued

"""The daily chase at 07:00 Europe/London, in django-celery-beat's schedule.

Installed after every `migrate` (and after a test flushes the tables), only when missing, so
that an administrator's change to it in the Django admin (Periodic tasks) is kept.
"""

from django_celery_beat.models import CrontabSchedule, PeriodicTask

DAILY_CHASE = "Daily chase of every deadline"


def daily_chase_install(**kwargs) -> None:
    if PeriodicTask.objects.filter(name=DAILY_CHASE).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.create(name=DAILY_CHASE, task="reviews.tasks.chase", crontab=crontab)

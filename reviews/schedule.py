"""The jobs beat starts by itself, in django-celery-beat's schedule (Europe/London):

- the daily chase of every deadline at 07:00 (`reviews.tasks.chase`);
- the morning digest of what waits for each person at 07:30 (`reviews.tasks.digest`);
- the daily retention run at 02:30 (`reviews.tasks.retention`), before anyone is at work.

Installed after every `migrate` (and after a test flushes the tables), each only when missing,
so that an administrator's change to one in the Django admin (Periodic tasks) is kept.
"""

from django_celery_beat.models import CrontabSchedule, PeriodicTask

DAILY_CHASE = "Daily chase of every deadline"
DAILY_DIGEST = "Morning digest of what waits for each person"
DAILY_RETENTION = "Daily retention run"
# name -> (task, hour, minute)
SCHEDULE = {
    DAILY_CHASE: ("reviews.tasks.chase", "7", "0"),
    DAILY_DIGEST: ("reviews.tasks.digest", "7", "30"),
    DAILY_RETENTION: ("reviews.tasks.retention", "2", "30"),
}


def schedule_install(**kwargs) -> None:
    """Every job of SCHEDULE that is not in the schedule yet."""
    for name, (task, hour, minute) in SCHEDULE.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/London",
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)

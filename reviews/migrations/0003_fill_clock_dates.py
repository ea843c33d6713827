"""Work out the stored statutory dates of the reviews recorded before they were kept.

Frozen here, not imported from `reviews.clocks`, so that later changes to the clocks never
change what this migration did: every review then ran under the 2016 guidance (decision one
calendar month after the notification, report six after the decision to proceed), had no
extensions, and every parallel proceeding paused it.
"""

import calendar
from datetime import timedelta

from django.db import migrations


def _add_months(start, months):
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def _paused_days(spans, after):
    days = set()
    for started, ended in spans:
        day = max(started, after + timedelta(days=1))
        while day <= ended:
            days.add(day)
            day += timedelta(days=1)
    return len(days)


def fill(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    for review in Review.objects.all():
        review.decision_due_on = _add_months(review.notified_on, 1)
        if review.proceed and review.decided_on:
            proceedings = list(review.proceedings.values_list("started_on", "ended_on"))
            ended = [(s, e) for s, e in proceedings if e is not None]
            running = [max(s, review.decided_on) for s, e in proceedings if e is None]
            statutory = _add_months(review.decided_on, 6)
            review.report_due_on = statutory + timedelta(
                days=_paused_days(ended, review.decided_on)
            )
            review.report_paused_since = min(running) if running else None
        review.save(update_fields=["decision_due_on", "report_due_on", "report_paused_since"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_clocks_extensions_reminders")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

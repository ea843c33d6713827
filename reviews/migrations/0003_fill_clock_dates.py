"""Work out the stored statutory dates of the reviews already recorded."""

from django.db import migrations

from reviews import clocks


def fill(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    for review in Review.objects.all():
        pauses = [
            clocks.Pause(p.started_on, p.ended_on)
            for p in review.proceedings.filter(pauses_review=True)
        ]
        review.decision_due_on = clocks.decision_due(review)
        review.report_due_on, review.report_paused_since = clocks.stored_report_due(
            review, pauses=pauses, extension=None
        )
        review.save(update_fields=["decision_due_on", "report_due_on", "report_paused_since"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_clocks_extensions_reminders")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

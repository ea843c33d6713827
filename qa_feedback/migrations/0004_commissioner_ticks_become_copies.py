"""A "Copy sent to the Domestic Abuse Commissioner" ticked on the old checklist becomes the
copy recorded (`ReportCopy`), with the tick's date and who ticked it, so that the step the
service now checks stays done and its deadline is not chased (docs/decisions/0014)."""

from django.db import migrations


def ticks_to_copies(apps, schema_editor):
    PublicationStep = apps.get_model("qa_feedback", "PublicationStep")
    ReportCopy = apps.get_model("qa_feedback", "ReportCopy")
    have = set(ReportCopy.objects.filter(agency__isnull=True).values_list("review_id", flat=True))
    ReportCopy.objects.bulk_create(
        ReportCopy(
            review_id=step.review_id,
            sent_on=step.done_on,
            sent_to=step.note[:200],
            recorded_by_id=step.done_by_id,
        )
        for step in PublicationStep.objects.filter(item="commissioner")
        if step.review_id not in have
    )


class Migration(migrations.Migration):
    dependencies = [("qa_feedback", "0003_report_copies_and_own_publication_steps")]

    operations = [migrations.RunPython(ticks_to_copies, migrations.RunPython.noop)]

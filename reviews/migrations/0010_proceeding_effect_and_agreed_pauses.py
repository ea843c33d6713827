"""Parallel proceedings no longer stop the report's clock by themselves (decision 0013): each
says what the CSP agreed (nothing, an extension, a pause a chair agrees). Existing pauses are
marked agreed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


KEPT = (
    "Paused before a pause of the clock needed a chair's agreement: kept as it was, as agreed "
    "(decision 0013)."
)


def mark_existing_pauses_agreed(apps, schema_editor):
    """Pauses recorded before this change stay as they are: a proceeding that paused the review
    is marked as an agreed pause (who agreed and when were not recorded then); one that did not
    has no effect on the timescale. Its history rows are read the same way."""
    for name in ("ParallelProceeding", "HistoricalParallelProceeding"):
        model = apps.get_model("reviews", name)
        model.objects.filter(pauses_review=True).update(
            effect="pause", pause_status="agreed", pause_decision_comment=KEPT
        )
        model.objects.filter(pauses_review=False).update(effect="none", pause_status="")
    _checks_now(schema_editor)


def _checks_now(schema_editor):
    """Run the deferred constraint checks of the rows just updated, so that the columns can be
    altered next in the same transaction (PostgreSQL refuses while checks are pending)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def pauses_back(apps, schema_editor):
    """Going back: only an agreed pause paused the review."""
    for name in ("ParallelProceeding", "HistoricalParallelProceeding"):
        model = apps.get_model("reviews", name)
        model.objects.update(pauses_review=False)
        model.objects.filter(pause_status="agreed").update(pauses_review=True)
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_decision_route_and_safeguarding_notice"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="extension",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="extensions",
                to="reviews.parallelproceeding",
            ),
        ),
        migrations.AddField(
            model_name="historicalextension",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reviews.parallelproceeding",
            ),
        ),
        migrations.AddField(
            model_name="historicalparallelproceeding",
            name="effect",
            field=models.CharField(
                choices=[
                    ("none", "No change: the report's timescale stays as it is"),
                    ("extension", "An alternative timescale: a new date for the report"),
                    ("pause", "A pause of the report's clock while this runs"),
                ],
                default="none",
                max_length=10,
                verbose_name="effect on the report's timescale",
            ),
        ),
        migrations.AddField(
            model_name="historicalparallelproceeding",
            name="pause_decided_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalparallelproceeding",
            name="pause_decided_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalparallelproceeding",
            name="pause_decision_comment",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="historicalparallelproceeding",
            name="pause_requested_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalparallelproceeding",
            name="pause_requested_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalparallelproceeding",
            name="pause_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not asked for"),
                    ("requested", "Awaiting a chair"),
                    ("agreed", "Agreed"),
                    ("refused", "Refused"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="parallelproceeding",
            name="effect",
            field=models.CharField(
                choices=[
                    ("none", "No change: the report's timescale stays as it is"),
                    ("extension", "An alternative timescale: a new date for the report"),
                    ("pause", "A pause of the report's clock while this runs"),
                ],
                default="none",
                max_length=10,
                verbose_name="effect on the report's timescale",
            ),
        ),
        migrations.AddField(
            model_name="parallelproceeding",
            name="pause_decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="parallelproceeding",
            name="pause_decided_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="parallelproceeding",
            name="pause_decision_comment",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="parallelproceeding",
            name="pause_requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="parallelproceeding",
            name="pause_requested_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="parallelproceeding",
            name="pause_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not asked for"),
                    ("requested", "Awaiting a chair"),
                    ("agreed", "Agreed"),
                    ("refused", "Refused"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_existing_pauses_agreed, pauses_back),
        migrations.RemoveField(
            model_name="historicalparallelproceeding",
            name="pauses_review",
        ),
        migrations.RemoveField(
            model_name="parallelproceeding",
            name="pauses_review",
        ),
        migrations.AddConstraint(
            model_name="parallelproceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("pause_status__in", ["requested", "agreed"]), _negated=True),
                    ("effect", "pause"),
                    _connector="OR",
                ),
                name="proceeding_pause_only_when_asked_for",
            ),
        ),
    ]

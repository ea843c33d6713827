"""The Home Office QA panel's views recorded before the panel's view kept the decision it
considered (0013, docs/decisions/0016) get it now: from the review row when no fresh decision
has been made since, otherwise from the review's history, at the last version that held that
decision (before the fresh decision). Where the history does not hold it, the fields stay
empty. The decision's due date is worked out as the clocks did: a month from the notification,
or from the panel's earlier request to reconsider."""

import calendar

from django.db import migrations

# What a fresh decision's history version is saved with (`services.review_record_decision`).
FRESH = "Fresh decision"
KEPT = ("decided_by_id", "decision_reasons", "home_office_told_on", "family_told_on")
# The decision's month, the same under each guidance version (`clocks.RULES`).
DECISION_MONTHS = 1


def _add_months(start, months):
    """`clocks.add_months`, as it was: clamped to the end of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )


def _decision_considered(review, qa_view, versions):
    """The decision the panel's view was on, as the review kept it: its row while no fresh
    decision has been made since, else its last history version with that decision."""
    fresh = (
        versions.filter(
            history_date__gt=qa_view.recorded_at, history_change_reason__startswith=FRESH
        )
        .order_by("history_date", "history_id")
        .first()
    )
    if fresh is None and review.decided_on == qa_view.decision_on:
        source = review
    else:
        held = versions.filter(decided_on=qa_view.decision_on)
        if fresh is not None:
            held = held.filter(history_date__lt=fresh.history_date)
        source = held.order_by("history_date", "history_id").last()
        if source is None:
            return {}
    return {name: getattr(source, name) for name in KEPT}


def keep_the_decisions_considered(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    HistoricalReview = apps.get_model("reviews", "HistoricalReview")
    DecisionQAView = apps.get_model("reviews", "DecisionQAView")
    HistoricalDecisionQAView = apps.get_model("reviews", "HistoricalDecisionQAView")
    reviews = Review.objects.filter(pk__in=DecisionQAView.objects.values("review_id"))
    for review in reviews.order_by("pk"):
        versions = HistoricalReview.objects.filter(id=review.pk)
        clock_from = review.notified_on  # what the considered decision's month ran from
        for qa_view in DecisionQAView.objects.filter(review=review).order_by("received_on", "pk"):
            kept = _decision_considered(review, qa_view, versions)
            kept["decision_due_on"] = (
                _add_months(clock_from, DECISION_MONTHS) if clock_from else None
            )
            DecisionQAView.objects.filter(pk=qa_view.pk).update(**kept)
            HistoricalDecisionQAView.objects.filter(id=qa_view.pk).update(**kept)
            if qa_view.view == "reconsider":
                clock_from = qa_view.received_on


class Migration(migrations.Migration):
    dependencies = [("reviews", "0013_decision_qa_view_keeps_the_decision")]

    operations = [
        # Going back, the fields go with 0013.
        migrations.RunPython(keep_the_decisions_considered, migrations.RunPython.noop),
    ]

"""The migration that turns the old checklist's "Copy sent to the Domestic Abuse Commissioner"
tick into the copy recorded (0004): its date and who ticked it kept, a copy already recorded
left as it is."""

from datetime import date

import pytest

from dhr.tests.migrating import migrate
from qa_feedback.models import ReportCopy
from reviews.tests.factories import ReviewApprovedFactory

# Migrated inside the test's transaction, undone by its rollback (dhr/tests/migrating.py).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BEFORE = [("qa_feedback", "0003_report_copies_and_own_publication_steps")]
AFTER = [("qa_feedback", "0004_commissioner_ticks_become_copies")]


def test_a_commissioner_tick_becomes_the_copy_recorded(people):
    ticked = ReviewApprovedFactory(partnership=people.home)
    recorded = ReviewApprovedFactory(partnership=people.home)
    apps = migrate(BEFORE)
    Step = apps.get_model("qa_feedback", "PublicationStep")
    Copy = apps.get_model("qa_feedback", "ReportCopy")
    for review in (ticked, recorded):
        Step.objects.create(
            review_id=review.pk,
            item="commissioner",
            done_on=date(2026, 3, 9),
            done_by_id=people.coordinator.pk,
            note="Emailed",
        )
    Step.objects.create(
        review_id=ticked.pk, item="pcc", done_on=date(2026, 3, 9), done_by_id=people.chair.pk
    )
    Copy.objects.create(
        review_id=recorded.pk, sent_on=date(2026, 3, 1), recorded_by_id=people.chair.pk
    )
    migrate(AFTER)
    copy = ReportCopy.objects.get(review=ticked)
    assert (copy.agency, copy.sent_on, copy.recorded_by, copy.sent_to) == (
        None,
        date(2026, 3, 9),
        people.coordinator,
        "Emailed",
    )
    assert ReportCopy.objects.get(review=recorded).sent_on == date(2026, 3, 1)
    assert ReportCopy.objects.count() == 2

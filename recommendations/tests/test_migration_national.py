"""The migration adding national recommendations' addressee and reply (0009) leaves every
recommendation recorded before it valid: a national one keeps its text, scope and lead agency,
its addressee blank until a coordinator sets it (the plan asks for it), and nothing chased."""

import pytest
from django.utils import timezone

from dhr.tests.migrating import migrate, migrate_to_latest
from recommendations.models import Recommendation
from recommendations.selectors import action_plan
from reviews.tests.factories import ReviewSubmittedFactory

# Migrated inside the test's transaction, undone by its rollback (dhr/tests/migrating.py).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BEFORE = [("recommendations", "0008_escalation_action_removed")]


def test_an_earlier_national_recommendation_stays_valid_with_a_blank_addressee(people):
    review = ReviewSubmittedFactory(partnership=people.home)
    old = migrate(BEFORE).get_model("recommendations", "Recommendation")
    pk = old.objects.create(
        review_id=review.pk,
        number=1,
        text="The Home Office should issue guidance.",
        scope="national",
        lead_agency_id=people.involved_agency.pk,
    ).pk
    migrate_to_latest()

    recommendation = Recommendation.objects.get(pk=pk)
    recommendation.full_clean()
    assert (recommendation.addressee, recommendation.sent_to_body_on) == ("", None)
    assert recommendation.lead_agency == people.involved_agency
    [(shown, _)] = action_plan(review=review, today=timezone.localdate())
    assert shown.reply_due is None
    assert shown.reply_overdue_days is None

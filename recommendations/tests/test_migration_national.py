"""The migration adding national recommendations' addressee and reply (0009) leaves every
recommendation recorded before it valid: a national one keeps its text, scope and lead agency,
its addressee blank until a coordinator sets it (the plan asks for it), and nothing chased."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from recommendations.models import Recommendation
from recommendations.selectors import action_plan
from reviews.tests.factories import ReviewSubmittedFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("recommendations", "0008_escalation_action_removed")]


@pytest.fixture
def at_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_earlier_national_recommendation_stays_valid_with_a_blank_addressee(people, at_latest):
    review = ReviewSubmittedFactory(partnership=people.home)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("recommendations", "Recommendation")
    pk = old.objects.create(
        review_id=review.pk,
        number=1,
        text="The Home Office should issue guidance.",
        scope="national",
        lead_agency_id=people.involved_agency.pk,
    ).pk
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    recommendation = Recommendation.objects.get(pk=pk)
    recommendation.full_clean()
    assert (recommendation.addressee, recommendation.sent_to_body_on) == ("", None)
    assert recommendation.lead_agency == people.involved_agency
    [(shown, _)] = action_plan(review=review, today=timezone.localdate())
    assert shown.reply_due is None
    assert shown.reply_overdue_days is None

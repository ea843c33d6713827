"""seed_national: fictional data of the national shape, of the size asked for, whose dates fit
each review's stage, and whose pages work."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, OuterRef
from django.urls import reverse

from dhr.models import AgencyContact, Membership, Partnership, Role
from qa_feedback.models import QALetter
from recommendations.models import Action, ActionUpdate, Recommendation
from reviews.models import Review, Status


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command(
        "seed_national", "--partnerships", "6", "--reviews", "90", "--recommendations", "400",
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_the_data_has_the_size_asked_for(seeded):
    assert "Seeded in" in seeded
    assert Partnership.objects.filter(slug__startswith="national-").count() == 6
    assert Review.objects.count() == 90
    assert Recommendation.objects.count() == 400
    assert Action.objects.count() == 800
    assert ActionUpdate.objects.count() > 800
    assert Membership.objects.filter(role=Role.COORDINATOR).count() == 6
    # Every record written has its history.
    assert Review.history.count() == 90
    assert Action.history.count() == 800


def test_dates_fit_each_review_s_stage(seeded):
    statuses = set(Review.objects.values_list("status", flat=True))
    assert len(statuses) >= 8
    for review in Review.objects.all():
        if review.status in (Status.NOTIFIED,):
            assert review.decided_on is None
        if review.submitted_on:
            assert review.decided_on < review.drafting_started_on < review.submitted_on
            assert review.report_due_on is not None
        if review.status == Status.NOT_PROCEEDING:
            assert review.proceed is False
            assert not review.recommendations.exists()
        if review.status == Status.CONCLUDED:
            assert (
                not Action.objects.filter(recommendation__review=review)
                .exclude(status=Action.Status.COMPLETED)
                .exists()
            )
    assert QALetter.objects.filter(review__qa_feedback_received_on__isnull=True).count() == 0


def test_loading_it_twice_is_refused(seeded):
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_national", "--partnerships", "1", "--reviews", "1", stdout=io.StringIO())


def test_a_seeded_coordinator_s_pages_work(seeded, client):
    partnership = Partnership.objects.filter(slug__startswith="national-").first()
    coordinator = partnership.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    review = (
        partnership.reviews.filter(status=Status.MONITORING).first() or partnership.reviews.first()
    )
    for url in (
        reverse("dashboard"),
        reverse("reviews:list"),
        reverse("reviews:detail", args=[review.pk]),
        reverse("recommendations:plan", args=[review.pk]),
        reverse("recommendations:tracker", args=[partnership.slug]),
    ):
        assert client.get(url).status_code == 200, url


def test_every_seeded_action_s_agency_has_a_contact_serving_its_partnership(seeded):
    """The seed's contacts are named per partnership: each reaches its agency's actions."""
    serving = AgencyContact.objects.filter(
        agency=OuterRef("owner_agency"),
        partnerships=OuterRef("recommendation__review__partnership"),
    )
    owned = Action.objects.filter(owner_agency__isnull=False)
    assert owned.exists()
    assert not owned.filter(~Exists(serving)).exists()

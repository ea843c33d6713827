"""No lost updates: two people open the same record (a review, an action, a QA point); the
second to save is refused with who changed it and when, their input kept, and can then check
it and save again."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from dhr.models import Role
from qa_feedback.tests.factories import letter_with_points
from recommendations.models import Action
from recommendations.tests.factories import plan_for
from reviews.models import Status
from reviews.tests.factories import MembershipFactory, ReviewProceedingFactory


@pytest.fixture
def two(people):
    """The coordinator, and a second coordinator of the same partnership, each signed in."""
    second = MembershipFactory(partnership=people.home, role=Role.COORDINATOR).user
    first_client, second_client = Client(), Client()
    first_client.force_login(people.coordinator)
    second_client.force_login(second)
    return first_client, second_client, second


def _version(page: str) -> str:
    return re.search(r'name="_version" value="(\d+)"', page).group(1)


def _race(two, url, mine: dict, theirs: dict):
    """Both open the page; the second coordinator saves first; then the first saves."""
    first, second, second_user = two
    my_version = _version(first.get(url).content.decode())
    their_version = _version(second.get(url).content.decode())
    assert my_version == their_version
    assert second.post(url, {**theirs, "_version": their_version}).status_code == 302
    return first.post(url, {**mine, "_version": my_version}), second_user


def _refused_with_who_and_when(response, second_user, kept: str):
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"{second_user.name} changed this at" in page
    assert "Nothing you entered has been saved" in page
    assert kept in page  # the input is kept
    return page


def test_a_review_saved_by_someone_else_meanwhile(two, people):
    review = ReviewProceedingFactory(partnership=people.home)
    url = reverse("reviews:pseudonym", args=[review.pk])
    response, second_user = _race(two, url, {"pseudonym": "Mine"}, {"pseudonym": "Theirs"})
    page = _refused_with_who_and_when(response, second_user, 'value="Mine"')
    review.refresh_from_db()
    assert review.victim_pseudonym == "Theirs"
    # Saving again from the page as it is now works.
    first = two[0]
    assert first.post(url, {"pseudonym": "Mine", "_version": _version(page)}).status_code == 302
    review.refresh_from_db()
    assert review.victim_pseudonym == "Mine"


def test_an_action_saved_by_someone_else_meanwhile(two, people):
    plan = plan_for(people, Status.MONITORING)
    action = plan.action
    url = reverse(
        "recommendations:action_edit", args=[plan.review.pk, plan.recommendation.pk, action.pk]
    )
    base = {
        "owner_agency": action.owner_agency_id,
        "target_date_0": "31",
        "target_date_1": "3",
        "target_date_2": "2030",
        "completion_evidence": "The audit report",
    }
    response, second_user = _race(
        two, url, {**base, "description": "My wording"}, {**base, "description": "Their wording"}
    )
    _refused_with_who_and_when(response, second_user, "My wording")
    assert Action.objects.get(pk=action.pk).description == "Their wording"


def test_a_qa_point_answered_by_someone_else_meanwhile(two, people):
    review = ReviewProceedingFactory(partnership=people.home, status=Status.QA_FEEDBACK)
    point = letter_with_points(review, 1).points.get()
    url = reverse("qa_feedback:point", args=[review.pk, point.pk])
    base = {"status": "addressed", "owner": "", "category": point.category}
    response, second_user = _race(
        two,
        url,
        {**base, "response": "Paragraph 4.2 now says so"},
        {**base, "response": "Rewrote section 5"},
    )
    _refused_with_who_and_when(response, second_user, "Paragraph 4.2 now says so")
    point.refresh_from_db()
    assert point.response == "Rewrote section 5"


def test_without_a_change_in_between_the_save_goes_through(two, people):
    review = ReviewProceedingFactory(partnership=people.home)
    url = reverse("reviews:pseudonym", args=[review.pk])
    first = two[0]
    version = _version(first.get(url).content.decode())
    assert first.post(url, {"pseudonym": "Anya", "_version": version}).status_code == 302

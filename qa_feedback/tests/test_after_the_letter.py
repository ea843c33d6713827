"""What the review offers and says after a QA letter: the letter's outcome decides the way on.
A panel that asks to see the report again ("revise and resubmit", "inadequate") is answered by
resubmitting it; after any other letter ("may be published once revised", "adequate") a chair
approves the report for publication, and nothing offers or waits for a resubmission. The words
keep their capitals ("QA", not "qa")."""

import pytest
from django.urls import reverse

from dhr.errors import TransitionError
from qa_feedback.models import Outcome, QAPoint
from qa_feedback.tests.factories import letter_with_points
from reviews import services as review_services
from reviews import workflow
from reviews.models import Status
from reviews.tests.factories import ReviewQAFeedbackFactory, ReviewRevisingFactory

SEE_AGAIN = [Outcome.RESUBMIT, Outcome.INADEQUATE]
PUBLISHED_AFTER = [Outcome.PUBLISH_AFTER_REVISION, Outcome.ADEQUATE]
RESUBMIT = "A coordinator to resubmit the revised report to the QA panel"
APPROVE = "A CSP chair to confirm the QA points are answered and approve publication"


def _offered(review, user) -> set[str]:
    return {transition.name for transition, _ in workflow.available(review, user)}


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("outcome", SEE_AGAIN)
def test_a_letter_asking_to_see_the_report_again_is_answered_by_resubmitting(
    client, people, outcome
):
    review = ReviewRevisingFactory(partnership=people.home)
    letter_with_points(review, 1, outcome=outcome)
    assert "resubmit" in _offered(review, people.coordinator)
    assert "approve_for_publication" not in _offered(review, people.chair)
    assert workflow.waiting_on_others(review, people.chair) == [RESUBMIT]
    assert workflow.waiting_on_others(review, people.coordinator) == []

    html = _page(client, people.chair, review.get_absolute_url())
    assert f"<li>{RESUBMIT}</li>" in html
    assert "qa panel" not in html
    assert "approve publication" not in html
    html = _page(client, people.coordinator, reverse("qa_feedback:review", args=[review.pk]))
    assert reverse("reviews:transition", args=[review.pk, "resubmit"]) in html

    client.force_login(people.chair)
    url = reverse("reviews:transition", args=[review.pk, "approve_for_publication"])
    response = client.get(url)
    assert response.status_code == 403
    assert "The panel asked to see the report again" in response.content.decode()


def test_resubmitting_says_so_with_its_capitals(client, people):
    review = ReviewRevisingFactory(partnership=people.home)
    letter_with_points(review, 1, outcome=Outcome.RESUBMIT)
    client.force_login(people.coordinator)
    response = client.post(
        reverse("reviews:transition", args=[review.pk, "resubmit"]),
        {"on_0": "2", "on_1": "12", "on_2": "2025"},
        follow=True,
    )
    assert "Done: resubmit the revised report to the QA panel" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Status.SUBMITTED


@pytest.mark.parametrize("outcome", SEE_AGAIN)
def test_before_revising_a_chair_waits_for_the_coordinator_to_start(people, outcome):
    review = ReviewQAFeedbackFactory(partnership=people.home)
    letter_with_points(review, 1, outcome=outcome)
    assert workflow.waiting_on_others(review, people.chair) == [
        "A coordinator to start revising the report"
    ]
    assert workflow.waiting_on_others(review, people.coordinator) == []


@pytest.mark.parametrize("outcome", PUBLISHED_AFTER)
def test_a_letter_letting_the_report_be_published_never_says_resubmit(client, people, outcome):
    review = ReviewRevisingFactory(partnership=people.home)
    letter = letter_with_points(review, 1, outcome=outcome)
    assert "resubmit" not in _offered(review, people.coordinator)
    assert "approve_for_publication" in _offered(review, people.chair)
    # Not yet waiting for the chair: the point is the coordinator's to answer first.
    assert workflow.waiting_on_others(review, people.coordinator) == []
    letter.points.update(status=QAPoint.Status.ADDRESSED, response="Paragraph 5.1 reworded")
    assert workflow.waiting_on_others(review, people.coordinator) == [APPROVE]
    assert workflow.waiting_on_others(review, people.chair) == []

    for user in (people.coordinator, people.chair):
        for url in (review.get_absolute_url(), reverse("qa_feedback:review", args=[review.pk])):
            assert "resubmit" not in _page(client, user, url).lower()
    html = _page(client, people.coordinator, review.get_absolute_url())
    assert f"<li>{APPROVE}</li>" in html

    # Nor is it made by hand, from its page or by a service call.
    client.force_login(people.coordinator)
    url = reverse("reviews:transition", args=[review.pk, "resubmit"])
    response = client.get(url)
    assert response.status_code == 403
    assert "The panel did not ask to see the report again" in response.content.decode()
    with pytest.raises(TransitionError, match="did not ask to see the report again"):
        review_services.review_transition(
            review=review, by=people.coordinator, action="resubmit", on=review.revision_started_on
        )
    review.refresh_from_db()
    assert review.status == Status.REVISING


@pytest.mark.parametrize("outcome", PUBLISHED_AFTER)
def test_before_revising_the_coordinator_starts_revising_and_waits_for_the_chair(people, outcome):
    review = ReviewQAFeedbackFactory(partnership=people.home)
    letter = letter_with_points(review, 1, outcome=outcome)
    assert _offered(review, people.coordinator) == {"start_revising"}
    assert workflow.waiting_on_others(review, people.coordinator) == []  # the point first
    letter.points.update(status=QAPoint.Status.ADDRESSED, response="Paragraph 5.1 reworded")
    assert workflow.waiting_on_others(review, people.coordinator) == [APPROVE]
    assert workflow.waiting_on_others(review, people.chair) == [
        "A coordinator to start revising the report"
    ]

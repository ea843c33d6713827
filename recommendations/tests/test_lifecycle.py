"""After submission: the action plan is monitored until every action is completed or no longer
applies, and a chair confirms the closing audit."""

from datetime import date

import pytest
from django.urls import reverse

from dhr.errors import NotAllowed, TransitionError
from recommendations import services
from reviews import services as review_services
from reviews.models import Status
from reviews.tests.factories import ReviewMonitoringFactory

ON = date(2026, 6, 1)


@pytest.fixture
def monitored(people):
    review = ReviewMonitoringFactory(partnership=people.home)
    recommendation = services.recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Train", "scope": "local", "lead_agency": people.involved_agency},
    )
    action = services.action_save(
        recommendation=recommendation,
        by=people.coordinator,
        data={
            "description": "Train staff",
            "owner_agency": people.involved_agency,
            "target_date": ON,
            "completion_evidence": "Records",
        },
    )
    return review, action


def _conclude(review, by):
    return review_services.review_conclude(
        review=review, by=by, on=ON, closing_audit="Checked every action's evidence"
    )


def test_a_review_with_open_actions_cannot_conclude(people, monitored):
    review, _ = monitored
    with pytest.raises(TransitionError, match="Complete or close the 1 open action"):
        _conclude(review, people.chair)
    review.refresh_from_db()
    assert review.status == Status.MONITORING


def test_a_review_without_a_plan_cannot_conclude(people):
    review = ReviewMonitoringFactory(partnership=people.home)
    with pytest.raises(TransitionError, match="Record the action plan"):
        _conclude(review, people.chair)


def test_once_every_action_is_closed_a_chair_concludes(people, monitored):
    review, action = monitored
    update = services.action_update_submit(
        action=action,
        by=people.agency_contact,
        new_status="not_applicable",
        narrative="The service closed",
        not_applicable_reason="The service was decommissioned",
    )
    services.action_update_accept(update=update, by=people.coordinator)
    with pytest.raises(NotAllowed):
        _conclude(review, people.coordinator)
    review = _conclude(review, people.chair)
    assert (review.status, review.concluded_on, review.concluded_by) == (
        Status.CONCLUDED,
        ON,
        people.chair,
    )
    assert review.history.latest().history_change_reason == "Conclude the review"


def test_the_conclude_page_lists_what_is_missing_and_explains_bad_input(client, people, monitored):
    review, _ = monitored
    client.force_login(people.chair)
    url = reverse("reviews:conclude", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Complete or close the 1 open action" in page
    response = client.post(url, {"on_0": "", "on_1": "", "on_2": "", "closing_audit": ""})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the date the review concluded" in page
    assert "Enter what the closing audit found" in page
    response = client.post(
        url, {"on_0": "1", "on_1": "6", "on_2": "2026", "closing_audit": "All checked"}
    )
    assert "Complete or close the 1 open action" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Status.MONITORING
    client.force_login(people.coordinator)
    assert client.get(url).status_code == 403


def test_an_update_left_waiting_holds_the_conclusion(people, monitored):
    review, action = monitored
    done = services.action_update_submit(
        action=action, by=people.agency_contact, new_status="completed", narrative="Done"
    )
    services.action_update_submit(
        action=action, by=people.agency_contact, new_status="completed", narrative="Again"
    )
    services.action_update_accept(update=done, by=people.coordinator)
    with pytest.raises(TransitionError, match="Accept or return the 1 update waiting"):
        _conclude(review, people.chair)


def test_the_closing_audit_waits_for_the_chair_only_once_every_action_is_closed(people):
    """The review page's "Waiting for" names the chair's closing audit only when the chair can
    confirm it: while an action is open, the review waits for the agencies, not the chair."""
    from recommendations.models import Action
    from recommendations.tests.factories import plan_for
    from reviews import workflow

    plan = plan_for(people, Status.MONITORING)
    audit = "A CSP chair to confirm the closing audit"
    assert audit not in workflow.waiting_on_others(plan.review, people.coordinator)
    Action.objects.filter(pk=plan.action.pk).update(status=Action.Status.COMPLETED)
    assert audit in workflow.waiting_on_others(plan.review, people.coordinator)

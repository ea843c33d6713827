"""An action's page: its updates and its whole history, who did what and when."""

from datetime import UTC, date, datetime

import time_machine
from django.urls import reverse

from recommendations import services
from reviews.tests.factories import ReviewSubmittedFactory


def test_the_action_page_shows_every_change_with_who_made_it(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    with time_machine.travel(datetime(2026, 7, 7, 2, 30, tzinfo=UTC), tick=False) as clock:
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
                "target_date": "2026-06-01",
                "completion_evidence": "Records",
            },
        )
        update = services.action_update_submit(
            action=action, by=people.agency_contact, new_status="completed", narrative="Trained"
        )
        # 2:40am UTC in July is 3:40am in the UK (BST).
        clock.move_to(datetime(2026, 7, 7, 2, 40, 2, tzinfo=UTC))
        services.action_update_accept(update=update, by=people.coordinator)
    client.force_login(people.agency_contact)
    page = client.get(reverse("recommendations:action", args=[action.pk])).content.decode()
    history = page[page.index('id="history"') :]
    for what, who in [
        ("Action added", people.coordinator),
        ("Update sent", people.agency_contact),
        ("Update accepted", people.coordinator),
        ("Update accepted: completed", people.coordinator),
    ]:
        assert what in history
        assert who.name in history
    assert history.index("Update accepted") < history.index("Action added")  # newest first
    for change in [
        "Reviewed at: not set → 7 July 2026 at 3:40am",
        f"Reviewed by: not set → {people.coordinator.name}",
        "State: Awaiting the coordinator → Accepted",
        "Status: Not started → Completed",
        "Completed on: not set → 7 July 2026",
    ]:
        assert change in history, change


def test_the_history_says_what_changed(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    recommendation = services.recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Train", "scope": "local", "lead_agency": people.involved_agency},
    )
    data = {
        "description": "Train staff",
        "owner_agency": people.involved_agency,
        "target_date": date(2026, 6, 1),
        "completion_evidence": "Records",
    }
    action = services.action_save(recommendation=recommendation, by=people.coordinator, data=data)
    services.action_save(
        recommendation=recommendation,
        by=people.coordinator,
        data={**data, "target_date": date(2026, 9, 30)},
        action=action,
    )
    client.force_login(people.coordinator)
    page = client.get(reverse("recommendations:action", args=[action.pk])).content.decode()
    history = page[page.index('id="history"') :]
    assert "Action changed" in history
    assert "Target date: 1 June 2026 → 30 September 2026" in history


def test_the_plan_says_when_it_last_changed_including_a_recommendation(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("recommendations:plan", args=[review.pk])
    assert "last updated" not in client.get(url).content.decode()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=UTC), tick=False):
        services.recommendation_save(
            review=review,
            by=people.coordinator,
            data={"text": "Train", "scope": "local", "lead_agency": people.involved_agency},
        )
    assert "last updated 2 March 2026" in client.get(url).content.decode()

"""Guidance versions side by side: a partnership picks the version new reviews start under, a
review keeps it, and the DARDR draft's scoping review is shown, recorded and chased only for
the reviews under it."""

from datetime import date

from django.core import mail
from django.urls import reverse

from reviews import services
from reviews.chase import chase_run
from reviews.tests.factories import (
    PoliceFactory,
    ReviewProceedingFactory,
    ReviewReadyForSetUpFactory,
)
from reviews.tests.test_services import _notification


def test_a_review_starts_under_its_partnership_s_guidance_and_keeps_it(people):
    police = PoliceFactory()
    services.partnership_update_settings(
        partnership=people.home, by=people.coordinator, data={"guidance_version": "2024-draft"}
    )
    people.home.refresh_from_db()
    dardr = services.review_notify(
        partnership=people.home, by=people.coordinator, data=_notification(police)
    )
    services.partnership_update_settings(
        partnership=people.home, by=people.coordinator, data={"guidance_version": "2016"}
    )
    people.home.refresh_from_db()
    dhr = services.review_notify(
        partnership=people.home, by=people.coordinator, data=_notification(police)
    )
    dardr.refresh_from_db()
    assert (dardr.guidance_version, dhr.guidance_version) == ("2024-draft", "2016")


def test_the_scoping_review_is_asked_for_only_under_the_dardr_draft(client, people):
    old = ReviewProceedingFactory(partnership=people.home)
    new = ReviewProceedingFactory(partnership=people.home, guidance_version="2024-draft")
    client.force_login(people.coordinator)
    assert "scoping" not in client.get(reverse("reviews:set_up", args=[old.pk])).content.decode()
    set_up = client.get(reverse("reviews:set_up", args=[new.pk])).content.decode()
    assert "Date the scoping review was completed" in set_up
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Scoping review due" in page
    assert "Draft" in page
    assert "Scoping review due" not in client.get(old.get_absolute_url()).content.decode()


def test_the_scoping_review_is_chased_until_it_is_recorded(people):
    # Decided 20 February 2025: the scoping review is due two months on, 20 April. (Its terms
    # of reference were agreed: the scoping review is all there is to chase.)
    review = ReviewReadyForSetUpFactory(partnership=people.home, guidance_version="2024-draft")
    chase_run(today=date(2025, 4, 20))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Due today"]
    assert "Scoping review" in mail.outbox[0].subject
    services.review_update_set_up(
        review=review, by=people.coordinator, data={"scoping_completed_on": date(2025, 4, 25)}
    )
    mail.outbox.clear()
    chase_run(today=date(2025, 4, 27))  # the first overdue step, had it not been recorded
    assert mail.outbox == []

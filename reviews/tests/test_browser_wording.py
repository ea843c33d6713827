"""Rule 13 (issue 20), clicked through in a real Chromium with an axe-core check on every page: a
coordinator switches the partnership to the wording "Domestic Abuse Related Death Review" on its
settings page, and its review pages then say so."""

import pytest
from playwright.sync_api import expect

from dhr.models import Role
from reviews.tests.factories import MembershipFactory, PartnershipFactory, ReviewFactory
from reviews.tests.test_browser_journey import follow, open_review, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_switches_to_dardr_wording_and_sees_it_on_a_review_page(browser_page):
    bp, page = browser_page, browser_page.page
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    review = ReviewFactory(partnership=partnership, victim_pseudonym="Ada")
    header = page.locator(".govuk-service-navigation__service-name")

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_review(bp, review.public_title)
    expect(header).to_have_text("Domestic homicide reviews")

    follow(bp, "Dashboard")
    follow(bp, "Deadlines and reminders: Northvale CSP")
    wording = page.get_by_role("group", name="What the partnership calls its reviews")
    expect(wording.get_by_label("Domestic Homicide Review (DHR)")).to_be_checked()
    wording.get_by_label("Domestic Abuse Related Death Review (DARDR)").check()
    press(bp, "Save settings")
    expect(page.get_by_role("alert")).to_contain_text("Settings saved")
    expect(wording.get_by_label("Domestic Abuse Related Death Review (DARDR)")).to_be_checked()
    expect(header).to_have_text("Domestic abuse related death reviews")

    open_review(bp, review.public_title)
    expect(header).to_have_text("Domestic abuse related death reviews")
    expect(page).to_have_title(f"{review.public_title} - Domestic abuse related death reviews")
    partnership.refresh_from_db()
    assert partnership.review_wording == "dardr"

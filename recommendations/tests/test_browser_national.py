"""National recommendations clicked through in a real Chromium, with axe on every page: a
coordinator selects the national body of a recommendation recorded before the service asked
for it (as the migration leaves them), records when it was sent (the reply then shows overdue)
and records the body's reply, each form first sent with a mistake.

Dates are relative to the real today: the browser keeps the session cookie by its own clock."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dhr.models import Role
from recommendations.models import Recommendation
from recommendations.tests.factories import RecommendationFactory
from recommendations.tests.test_browser_plans import open_plan
from recommendations.themes import themes_install
from reviews.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    PartnershipFactory,
    ReviewSubmittedFactory,
)
from reviews.tests.test_browser_clocks import error_summary_shows, long_date
from reviews.tests.test_browser_journey import fill_date, go, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TEXT = "The Home Office should publish guidance on sharing information during trials."
REPLY = "NHS England will add the guidance to its safeguarding framework next year."


@pytest.fixture
def cast():
    themes_install()
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    police = AgencyFactory(name="Northvale Police")
    review = ReviewSubmittedFactory(partnership=partnership)
    old = RecommendationFactory(review=review, text=TEXT, scope="national", lead_agency=police)
    return review, coordinator, old


def test_a_coordinator_sets_the_body_and_records_its_reply(browser_page, cast):
    bp, page = browser_page, browser_page.page
    review, coordinator, old = cast
    sent = timezone.localdate() - timedelta(days=60)  # the reply was due 4 days ago

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_plan(bp, review.public_title)
    section = page.get_by_role("region", name="Recommendation 1")
    expect(section).to_contain_text("Not recorded")

    # The body: the page asks for it, and will not save without it.
    go(bp, section.get_by_role("link", name="Select the national body for recommendation 1"))
    expect(page.get_by_text("recorded before the service asked")).to_be_visible()
    press(bp, "Save recommendation")
    error_summary_shows(
        bp,
        "Select the national body the recommendation is addressed to",
        "Select at least one theme",
    )
    expect(page.get_by_label("Recommendation", exact=True)).to_have_value(TEXT)
    page.get_by_label("Information sharing and multi-agency working").check()
    bodies = page.get_by_role("group", name="If national: which national body is it addressed to?")
    # Another body reveals a question for its name, and is refused without one.
    name = page.get_by_label("Name of the national body")
    expect(name).to_be_hidden()
    bodies.get_by_label("Another national body").check()
    expect(name).to_be_visible()
    fill_date(bp, "Date it was sent to the national body", sent)
    press(bp, "Save recommendation")
    error_summary_shows(bp, "Enter the name of the national body")
    expect(bodies.get_by_label("Another national body")).to_be_checked()
    expect(name).to_be_visible()
    page.get_by_role("link", name="Enter the name of the national body").click()
    expect(name).to_be_focused()
    bodies.get_by_label("NHS England").check()
    expect(name).to_be_hidden()
    press(bp, "Save recommendation")
    expect(page.get_by_role("alert")).to_contain_text("Recommendation 1 saved")
    section = page.get_by_role("region", name="Recommendation 1")
    expect(section).to_contain_text("NHS England")
    expect(section).to_contain_text(long_date(sent))
    expect(section.locator(".govuk-tag--red")).to_have_text("Reply 4 days overdue")

    # The reply: a date without what was said is refused, the date kept.
    go(bp, section.get_by_role("link", name="Record the sending or the reply for recommendation 1"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Recommendation 1: the national body's reply"
    )
    expect(page.get_by_text("Reply 4 days overdue")).to_be_visible()
    today = timezone.localdate()
    fill_date(bp, "Date of the reply", today)
    press(bp, "Save")
    error_summary_shows(bp, "Enter what the national body replied")
    reply_date = page.get_by_role("group", name="Date of the reply", exact=True)
    expect(reply_date.get_by_label("Year")).to_have_value(str(today.year))
    page.get_by_label("What the national body replied").fill(REPLY)
    press(bp, "Save")
    expect(page.get_by_role("alert")).to_contain_text("the national body's reply saved")
    section = page.get_by_role("region", name="Recommendation 1")
    expect(section).to_contain_text(REPLY)
    expect(section).to_contain_text(f"Reply of {long_date(today)}")
    expect(section.locator(".govuk-tag--red")).to_have_count(0)

    old = Recommendation.objects.get(pk=old.pk)
    assert (old.addressee, old.sent_to_body_on, old.body_replied_on) == (
        "nhs_england",
        sent,
        today,
    )
    bp.finish()

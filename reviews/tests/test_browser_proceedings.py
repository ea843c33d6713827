"""Parallel proceedings and the terms of reference, clicked through in a real Chromium with an
axe-core check on every page on the way (decision 0013): an inquest recorded with no effect, a
trial for which the partnership agreed an alternative timescale (the extension's form, reached
from the proceeding and prefilled), and the terms of reference shown overdue on the review page,
then agreed late. (A pause a chair agrees: test_browser_clocks.py.)"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dhr.models import Role
from reviews.tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    ReviewAgencyReportsFactory,
    ReviewProceedingFactory,
)
from reviews.tests.test_browser_journey import fill_date, follow, open_review, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership():
    return PartnershipFactory(name="Northvale CSP", slug="northvale")


@pytest.fixture
def coordinator(partnership):
    return MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


EFFECT = "What has the partnership agreed about the overview report's timescale?"


def test_an_inquest_with_no_effect_then_a_trial_with_an_extension(
    browser_page, partnership, coordinator
):
    bp, page = browser_page, browser_page.page
    review = ReviewAgencyReportsFactory(partnership=partnership)
    today = timezone.localdate()
    due_before = review.report_due_on

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_review(bp, review.public_title)
    follow(bp, "Parallel proceedings")
    expect(page.locator("#no-proceedings")).to_have_text("None recorded.")

    # 1. An inquest, left at its default: no effect on the timescale.
    press(bp, "Add a proceeding")
    page.get_by_role("group", name="Type of proceeding").get_by_label("Inquest").check()
    fill_date(bp, "Date it started", today - timedelta(days=20))
    page.get_by_label("Outcome (optional)").fill("Opened and suspended")
    press(bp, "Save and continue")
    expect(page.get_by_role("alert")).to_contain_text("Parallel proceeding saved")
    inquest = page.locator(".govuk-summary-card").filter(has_text="Inquest")
    expect(inquest.locator("[data-effect]")).to_have_attribute("data-effect", "none")
    expect(inquest).to_contain_text("the report's due date did not move")

    # 2. A trial: the partnership agreed a new date. The form goes on to the extension's.
    press(bp, "Add a proceeding")
    page.get_by_role("group", name="Type of proceeding").get_by_label("Criminal trial").check()
    fill_date(bp, "Date it started", today - timedelta(days=5))
    page.get_by_role("group", name=EFFECT).get_by_label(
        "A new date for the report (an extension): ask the CSP chair to approve it next"
    ).check()
    press(bp, "Save and continue")
    expect(page.get_by_role("alert")).to_contain_text("now ask the chair for the extension")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for an extension")
    reason = page.get_by_label("Why is more time needed?")
    expect(reason).to_have_value(
        f"Criminal trial from {long_date(today - timedelta(days=5))} (still running): the "
        "partnership agreed an alternative timescale for the overview report because of it."
    )
    new_due = today + timedelta(days=200)
    fill_date(bp, "New date the report is due", new_due)
    press(bp, "Ask the CSP chair for an extension")
    expect(page.get_by_role("alert")).to_contain_text("Extension requested")

    # The review page: the date has not moved, and says why.
    expect(page.locator("#report-due")).to_contain_text(long_date(due_before))
    not_moved = page.locator("#report-not-moved")
    expect(not_moved).to_contain_text("Inquest from")
    expect(not_moved).to_contain_text("no pause or extension was agreed")
    expect(not_moved).to_contain_text(
        f"an extension to {long_date(new_due)} was asked for instead (awaiting a decision)"
    )
    follow(bp, "See the parallel proceedings")
    trial = page.locator(".govuk-summary-card").filter(has_text="Criminal trial")
    expect(trial).to_contain_text(f"An extension to {long_date(new_due)} was asked for")
    expect(trial).to_contain_text("does not move unless a CSP chair approves it")


def test_the_terms_of_reference_overdue_then_agreed_late(browser_page, partnership, coordinator):
    bp, page = browser_page, browser_page.page
    today = timezone.localdate()
    notified = today - timedelta(days=40)
    review = ReviewProceedingFactory(
        partnership=partnership, notified_on=notified, decided_on=notified + timedelta(days=20)
    )
    due = review.decision_due_on  # the same month as the decision (briefing 6.5)

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    expect(page.locator('#waiting-for-you [data-kind="terms-of-reference"]')).to_have_count(1)
    open_review(bp, review.public_title)
    row = page.locator("#terms-of-reference-due")
    expect(row).to_contain_text(long_date(due))
    late = (today - due).days
    expect(row).to_contain_text(f"{late} day{'s' if late != 1 else ''} overdue")
    expect(page.locator('#overdue [data-kind="terms-of-reference"]')).to_have_count(1)

    follow(bp, "Record the terms of reference")
    page.get_by_label("Terms of reference", exact=True).fill("What lessons are to be learned")
    fill_date(bp, "Date the terms of reference were agreed", today)
    press(bp, "Save and continue")
    expect(page.get_by_role("alert")).to_contain_text("Set-up details saved")
    follow(bp, "Back")
    row = page.locator("#terms-of-reference-due")
    expect(row).to_contain_text(f"Agreed {long_date(today)}")
    expect(row).to_contain_text(f"{late} day{'s' if late != 1 else ''} late")
    expect(page.locator('#overdue [data-kind="terms-of-reference"]')).to_have_count(0)

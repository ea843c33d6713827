"""After a chair approves the report, clicked through in a real Chromium with axe on every page
(issue 20, rules 8 and 9): the coordinator follows the overdue Commissioner's copy from their
queue and records it and an agency's senior manager's copy (a bad date explained first); a
coordinator adds, rewords and removes the partnership's own publication step, and ticks it on
a review approved afterwards. The checklist from a 2023 letter is clicked through in
test_browser_qa."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qa_feedback.models import OwnPublicationStep, ReportCopy
from qa_feedback.tests.factories import QALetterFactory
from reviews.models import AgencyReport
from reviews.tests.factories import ReviewApprovedFactory
from reviews.tests.test_browser_clocks import error_summary_shows, long_date
from reviews.tests.test_browser_journey import fill_date, follow, go, open_review, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


COMMISSIONER = "Copy of the report for the Domestic Abuse Commissioner"


def _dashboard(bp) -> None:
    go(bp, bp.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard"))
    expect(bp.page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def test_a_coordinator_records_the_copies_of_the_approved_report(browser_page, people):
    bp, page = browser_page, browser_page.page
    today = timezone.localdate()
    approved = today - timedelta(days=30)  # the copy was due two days ago (28 days)
    review = ReviewApprovedFactory(partnership=people.home, approved_for_publication_on=approved)
    QALetterFactory(review=review)
    AgencyReport.objects.create(
        review=review, agency=people.involved_agency, requested_on=approved, due_on=approved
    )

    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    # Their queue says what to do; the review page, what is overdue.
    item = page.locator('#waiting-for-you [data-kind="commissioner-copy"]')
    expect(item).to_contain_text("Send the Domestic Abuse Commissioner a copy of the report")
    open_review(bp, review.public_title)
    expect(page.locator("#overdue")).to_contain_text(COMMISSIONER)
    _dashboard(bp)
    go(bp, item.get_by_role("link"))
    expect(
        page.get_by_role("heading", level=2, name="Copies of the approved report")
    ).to_be_visible()
    expect(page.locator("#commissioner-copy")).to_contain_text("2 days overdue")

    # The senior manager of the agency that wrote a report: a date before the approval first.
    agencies = page.locator("#agency-copies")
    expect(agencies).to_contain_text(people.involved_agency.name)
    name = re.escape(people.involved_agency.name)
    go(bp, agencies.get_by_role("link", name=re.compile(rf"^Record it\W+the copy to {name}$")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Copy to the senior manager of {people.involved_agency.name}"
    )
    fill_date(bp, "Date it was sent", approved - timedelta(days=1))
    page.get_by_label("Sent to (optional)").fill("Director of Nursing")
    page.get_by_label("Through a secure file transfer").check()
    press(bp, "Save")
    error_summary_shows(
        bp,
        "The date it was sent must be on or after the CSP chair's approval for publication, "
        f"{long_date(approved)}",
    )
    expect(page.get_by_label("Sent to (optional)")).to_have_value("Director of Nursing")
    expect(page.get_by_label("Through a secure file transfer")).to_be_checked()
    fill_date(bp, "Date it was sent", approved + timedelta(days=3))
    press(bp, "Save")
    expect(page.get_by_role("alert")).to_contain_text(
        f"Recorded: Copy to the senior manager of {people.involved_agency.name}"
    )
    expect(agencies).to_contain_text(f"Sent {long_date(approved + timedelta(days=3))}")
    expect(agencies).to_contain_text("Through a secure file transfer, to Director of Nursing")

    # The Commissioner's copy, late: recorded with its date and how it went.
    go(bp, page.locator("#commissioner-copy").get_by_role("link", name=re.compile("^Record it")))
    fill_date(bp, "Date it was sent", today)
    page.get_by_label("By email").check()
    press(bp, "Save")
    expect(page.get_by_role("alert")).to_contain_text(
        "Recorded: Copy to the Domestic Abuse Commissioner"
    )
    expect(page.locator("#commissioner-copy")).to_contain_text(f"Sent {long_date(today)}")
    expect(page.locator("#commissioner-copy")).to_contain_text("2 days late")

    # The checklist's row says the same, and corrects the date on the copy's own form.
    go(bp, page.get_by_role("link", name="Back to the publication checklist"))
    row = page.locator('#checklist [data-step="commissioner"]')
    expect(row).to_contain_text(f"Done {long_date(today)}")
    expect(row).to_contain_text("2 days late")
    expect(row).to_contain_text(f"Due by {long_date(approved + timedelta(days=28))}")
    change = re.compile(r"^Change\W+Copy sent to the Domestic Abuse Commissioner$")
    go(bp, row.get_by_role("link", name=change))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Copy to the Domestic Abuse Commissioner"
    )
    fill_date(bp, "Date it was sent", approved + timedelta(days=28))
    press(bp, "Save")
    expect(page.locator("#commissioner-copy")).not_to_contain_text("late")
    go(bp, page.get_by_role("link", name="Back to the publication checklist"))
    expect(row).to_contain_text(f"Done {long_date(approved + timedelta(days=28))}")
    expect(row).not_to_contain_text("late")
    _dashboard(bp)
    expect(item).to_have_count(0)
    assert ReportCopy.objects.count() == 2


def test_the_checklist_s_commissioner_row_shows_its_date_before_the_copy_goes(browser_page, people):
    bp, page = browser_page, browser_page.page
    approved = timezone.localdate() - timedelta(days=30)  # due two days ago
    review = ReviewApprovedFactory(partnership=people.home, approved_for_publication_on=approved)
    QALetterFactory(review=review)
    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    open_review(bp, review.public_title)
    follow(bp, "Home Office QA")
    row = page.locator('#checklist [data-step="commissioner"]')
    expect(row).to_contain_text("Not done")
    expect(row).to_contain_text(f"Due by {long_date(approved + timedelta(days=28))}")
    expect(row.locator(".govuk-tag--red")).to_have_text("2 days overdue")
    expect(row.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    go(bp, row.get_by_role("link", name=re.compile("^Record the copy")))
    expect(
        page.get_by_role("heading", level=2, name="Copies of the approved report")
    ).to_be_visible()


def test_a_partnership_adds_its_own_publication_step(browser_page, people):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    follow(bp, f"Publication steps: {people.home.name}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The partnership's own publication steps"
    )
    expect(page.get_by_text("The partnership has no steps of its own.")).to_be_visible()
    press(bp, "Save the step")
    error_summary_shows(bp, "Enter what the step is")
    page.get_by_label("What is the step?").fill("Brief the Safeguarding Adults Board")
    press(bp, "Save the step")
    expect(page.get_by_role("alert")).to_contain_text("Step added")
    steps = page.locator("#own-steps")
    go(bp, steps.get_by_role("link", name=re.compile("^Change")))
    page.get_by_label("What is the step?").fill("Brief the Safeguarding Adults Board chair")
    press(bp, "Save the step")
    expect(steps).to_contain_text("Brief the Safeguarding Adults Board chair")
    page.get_by_label("What is the step?").fill("Tell the Community Safety Board")
    press(bp, "Save the step")
    go(bp, steps.get_by_role("link", name=re.compile("^Remove\\W+Tell the Community")))
    press(bp, "Remove the step")
    expect(page.get_by_role("alert")).to_contain_text("Step removed: Tell the Community")
    expect(steps).not_to_contain_text("Tell the Community Safety Board")

    # A review approved today has the step on its checklist, to tick like the others.
    step = OwnPublicationStep.objects.get(removed_on__isnull=True)
    review = ReviewApprovedFactory(
        partnership=people.home, approved_for_publication_on=timezone.localdate()
    )
    QALetterFactory(review=review)
    open_review(bp, review.public_title)
    follow(bp, "Home Office QA")
    row = page.locator(f'#checklist [data-step="own-{step.pk}"]')
    expect(row).to_contain_text("The partnership's own step")
    expect(row).to_contain_text("Not done")
    expect(page.locator("#checklist")).not_to_contain_text("Tell the Community Safety Board")
    go(bp, row.get_by_role("link", name=re.compile("^Mark as done")))
    press(bp, "Mark as done")
    expect(page.get_by_role("alert")).to_contain_text(f"Done: {step.text}")
    expect(row).to_contain_text(f"Done {long_date(timezone.localdate())}")

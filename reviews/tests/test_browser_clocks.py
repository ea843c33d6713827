"""The overview report's clock, clicked through in a real Chromium: an extension asked for and
approved, a pause, the partnership's reminder settings and the dashboard's deadlines, with an
axe-core check on every page on the way.

Dates are relative to the real today: the browser keeps the session cookie by its own clock,
so the server's clock cannot be moved without signing everyone out."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dhr.models import OutgoingEmail, Role
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    ReviewAgencyReportsFactory,
    ReviewDecisionPendingFactory,
    ReviewFactory,
    ReviewReadyForSetUpFactory,
    agreed_pause,
)
from reviews.tests.test_browser_journey import (
    fill_date,
    follow,
    go,
    open_review,
    press,
    sign_in,
    sign_out,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser fixtures (see reviews/tests/browser.py).


@pytest.fixture
def partnership():
    return PartnershipFactory(name="Northvale CSP", slug="northvale")


@pytest.fixture
def coordinator(partnership):
    return MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user


@pytest.fixture
def chair(partnership):
    return MembershipFactory(partnership=partnership, role=Role.CHAIR).user


def long_date(day: date) -> str:
    """As the pages write a date: 7 March 2027."""
    return f"{day.day} {day:%B %Y}"


def error_summary_shows(bp: CheckedPage, *messages: str) -> None:
    page = bp.page
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(list(messages))


def test_an_extension_asked_for_by_the_coordinator_and_approved_by_the_chair(
    browser_page, partnership, coordinator, chair
):
    bp, page = browser_page, browser_page.page
    review = ReviewAgencyReportsFactory(partnership=partnership)
    title = review.public_title
    new_due = timezone.localdate() + timedelta(days=60)

    # 1. The coordinator asks for an extension, first forgetting to fill the form in.
    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_review(bp, title)
    expect(page.locator("#report-moves")).to_have_text("Nothing: the statutory six months apply")
    follow(bp, "Ask for an extension")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for an extension")
    press(bp, "Ask the CSP chair for an extension")
    error_summary_shows(bp, "Enter the new date the report is due", "Enter why more time is needed")
    fill_date(bp, "New date the report is due", new_due)
    page.get_by_label("Why is more time needed?").fill("The criminal trial is listed late.")
    press(bp, "Ask the CSP chair for an extension")
    expect(page.get_by_role("alert")).to_contain_text(
        "Extension requested: the CSP chair has been told"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    awaiting = page.locator("#awaiting-extension")
    expect(awaiting).to_contain_text(f"An extension to {long_date(new_due)} was asked for")
    expect(awaiting).to_contain_text("is awaiting the CSP chair's decision")
    expect(awaiting.get_by_role("link", name="Decide the extension")).to_have_count(0)
    expect(page.get_by_role("link", name="Ask for an extension")).to_have_count(0)
    expect(page.locator("#report-due")).not_to_contain_text(long_date(new_due))
    sign_out(bp)

    # 2. The chair approves it: the report is now due on the new date.
    sign_in(bp, chair)
    open_review(bp, title)
    follow(bp, "Decide the extension")
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide an extension")
    expect(page.locator("#extension")).to_contain_text(long_date(new_due))
    page.get_by_role("group", name="Do you approve the extension?").get_by_label(
        "Yes, approve it"
    ).check()
    press(bp, "Record the decision")
    expect(page.get_by_role("alert")).to_contain_text("Extension approved")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#report-due")).to_contain_text(long_date(new_due))
    expect(page.locator("#report-due")).to_contain_text("Adjusted from the statutory date")
    expect(page.locator("#report-moves")).to_contain_text(
        f"An agreed extension to {long_date(new_due)}"
    )
    expect(page.locator("#awaiting-extension")).to_have_count(0)
    expect(page.locator("#extensions")).to_contain_text("Approved")

    # 3. The timeline shows the extension moving the date.
    follow(bp, "Timeline")
    timeline = page.get_by_role("table", name="The review's dates in order")
    expect(timeline).to_have_id("timeline")
    expect(timeline).to_contain_text(f"Extension to {long_date(new_due)} asked for")
    approved = timeline.get_by_role("row").filter(
        has_text=f"Extension to {long_date(new_due)} approved"
    )
    expect(approved).to_contain_text("Timescale changed")
    expect(timeline).to_contain_text("Overview report due (adjusted)")


def test_a_parallel_proceeding_pauses_the_report_once_a_chair_agrees(
    browser_page, partnership, coordinator, chair
):
    """Decision 0013: recording a trial moves nothing; the coordinator asks for a pause, and
    the report's clock stops only once a chair agrees it."""
    bp, page = browser_page, browser_page.page
    review = ReviewAgencyReportsFactory(partnership=partnership)
    started = timezone.localdate() - timedelta(days=10)

    # 1. The coordinator records the trial and asks for a pause, first forgetting to say.
    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_review(bp, review.public_title)
    expect(page.locator("#report-due")).not_to_contain_text("Paused")
    follow(bp, "Parallel proceedings")
    press(bp, "Add a proceeding")
    page.get_by_role("group", name="Type of proceeding").get_by_label("Criminal trial").check()
    fill_date(bp, "Date it started", started)
    press(bp, "Save and continue")
    error_summary_shows(bp, "Select what the partnership agreed about the report's timescale")
    expect(
        page.get_by_role("group", name="Type of proceeding").get_by_label("Criminal trial")
    ).to_be_checked()
    effect = page.get_by_role(
        "group", name="What has the partnership agreed about the overview report's timescale?"
    )
    pause = "A pause of the clock while this runs: ask the CSP chair to agree it"
    effect.get_by_label(pause).check()
    press(bp, "Save and continue")
    expect(page.get_by_role("alert")).to_contain_text("the pause has been put to the CSP chair")
    card = page.locator(".govuk-summary-card").filter(has_text="Criminal trial")
    expect(card).to_contain_text("Ongoing")
    expect(card).to_contain_text("Pause awaiting a CSP chair")
    expect(card.get_by_role("link", name=re.compile("Agree or refuse"))).to_have_count(0)

    follow(bp, "Back to the review")
    expect(page.locator("#report-due")).not_to_contain_text("Paused")
    expect(page.locator("#report-not-moved")).to_contain_text(
        "a pause of the clock is awaiting a CSP chair's agreement"
    )
    sign_out(bp)

    # 2. The chair agrees it: the report's clock stops.
    sign_in(bp, chair)
    open_review(bp, review.public_title)
    follow(bp, "Parallel proceedings")
    # (Named with the proceeding for screen readers: visually hidden text.)
    go(
        bp,
        page.get_by_role(
            "link", name=re.compile(r"^Agree or refuse the pause\s*: Criminal trial$")
        ),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree a pause of the clock")
    expect(page.locator("#pause")).to_contain_text(f"Criminal trial from {long_date(started)}")
    press(bp, "Record the decision")
    error_summary_shows(bp, "Select whether you agree the pause")
    page.get_by_role(
        "group", name="Do you agree, for the partnership, to pause the clock while this runs?"
    ).get_by_label("Yes, agree the pause").check()
    press(bp, "Record the decision")
    expect(page.get_by_role("alert")).to_contain_text("Pause of the clock agreed")
    expect(page.locator(".govuk-summary-card")).to_contain_text(
        f"agreed by {chair.name} on {long_date(timezone.localdate())}"
    )
    follow(bp, "Back to the review")
    report_due = page.locator("#report-due")
    expect(report_due.locator(".govuk-tag")).to_have_text("Paused")
    expect(report_due).to_contain_text(f"since {long_date(started)}")
    moves = page.locator("#report-moves")
    expect(moves).to_contain_text("paused by parallel proceedings, so far")
    expect(moves).to_contain_text("A CSP chair agreed each pause")


def test_a_coordinator_changes_the_reminder_settings(browser_page, partnership, coordinator):
    bp, page = browser_page, browser_page.page
    days = page.get_by_label("Send reminders this many days before each deadline")

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    follow(bp, "Deadlines and reminders: Northvale CSP")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines and reminders")
    days.fill("fortnight")
    press(bp, "Save settings")
    message = "Enter the days as whole numbers separated by commas, like 14, 3, 0"
    error_summary_shows(bp, message)
    expect(page.locator(".govuk-form-group--error", has=days)).to_contain_text(message)
    expect(days).to_have_value("fortnight")
    page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
    expect(days).to_be_focused()

    days.fill("21, 7, 0")
    press(bp, "Save settings")
    expect(page.get_by_role("alert")).to_contain_text("Settings saved")
    expect(days).to_have_value("21, 7, 0")
    partnership.refresh_from_db()
    assert partnership.reminder_days_before == [21, 7, 0]

    # The days to send the Domestic Abuse Commissioner the approved report (issue 20, rule 8).
    commissioner = page.get_by_label(
        "Days to send the Domestic Abuse Commissioner a copy of the approved report"
    )
    expect(commissioner).to_have_value("28")
    commissioner.fill("0")
    press(bp, "Save settings")
    error_summary_shows(bp, "The days to send the Commissioner a copy must be at least 1")
    expect(commissioner).to_have_value("0")
    commissioner.fill("21")
    press(bp, "Save settings")
    expect(page.get_by_role("alert")).to_contain_text("Settings saved")
    partnership.refresh_from_db()
    assert partnership.commissioner_copy_days == 21


def test_a_chair_reads_the_reminder_settings_but_cannot_change_them(browser_page, partnership):
    bp, page = browser_page, browser_page.page
    partnership.reminder_days_before = [21, 7, 0]
    partnership.save()
    chair = MembershipFactory(partnership=partnership, role=Role.CHAIR).user

    bp.start(reverse("login"))
    sign_in(bp, chair)
    follow(bp, f"Deadlines and reminders: {partnership.name}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines and reminders")
    settings = page.locator("#settings")
    expect(settings).to_contain_text("21, 7, 0")
    expect(settings).to_contain_text("Multi-agency statutory guidance for the conduct of DHRs")
    expect(settings).to_contain_text("Days to send the Domestic Abuse Commissioner a copy")
    expect(page.get_by_text("Only a coordinator can change these.")).to_be_visible()
    expect(page.locator("form").get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("button", name="Save settings")).to_have_count(0)


def test_the_dashboard_shows_what_is_overdue_and_what_is_due_soon(
    browser_page, partnership, coordinator
):
    bp, page = browser_page, browser_page.page
    today = timezone.localdate()
    late = ReviewDecisionPendingFactory(partnership=partnership, victim_pseudonym="Ann")
    own = ReviewFactory(
        partnership=partnership, victim_pseudonym="Dora", notified_on=today - timedelta(days=25)
    )
    soon = ReviewFactory(
        partnership=partnership, victim_pseudonym="Beth", notified_on=today - timedelta(days=10)
    )
    soon_due = soon.decision_due_on
    # Its terms of reference agreed; a chair agreed to pause its clock while an inquest runs.
    paused = ReviewReadyForSetUpFactory(partnership=partnership, victim_pseudonym="Cara")
    agreed_pause(
        paused,
        coordinator=coordinator,
        chair=MembershipFactory(partnership=partnership, role=Role.CHAIR).user,
        kind="inquest",
        started_on=today - timedelta(days=3),
    )
    OutgoingEmail.objects.create(
        partnership=partnership,
        to=["nobody@example.org"],
        subject="Due in 3 days: a reminder that could not go",
        body="-",
        status=OutgoingEmail.Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: nobody@example.org",
    )

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)  # the dashboard, checked with axe with every section shown
    expect(page.locator("#paused")).to_contain_text(paused.public_title)
    expect(page.locator("#failed-emails")).to_contain_text("a reminder that could not go")
    # The coordinator's own: the decision to put to the chair, within the first reminder.
    expect(page.locator("#waiting-for-you-heading")).to_have_text("Waiting for you 1")
    [mine] = page.locator("#waiting-for-you [data-kind]").all()
    expect(mine).to_have_attribute("data-kind", "decision")
    expect(mine).to_contain_text(own.public_title)
    # The chair's overdue decision: watched, under "Waiting for others".
    others = page.locator("#waiting-for-others")
    others.get_by_text("Decisions on whether to hold a review (1)").click()
    expect(others).to_contain_text(late.public_title)
    expect(others).to_contain_text("Due 28 February 2025")
    expect(others).to_contain_text("overdue")

    expect(page.locator("#due-soon-heading")).to_have_text("Coming up in the next 30 days 1")
    due_soon = page.locator("#due-soon")
    expect(due_soon.get_by_role("listitem")).to_have_count(1)
    expect(due_soon).to_contain_text(soon.public_title)
    expect(due_soon).to_contain_text(
        f"Decision on whether to hold a review due {long_date(soon_due)}"
    )
    days_left = (soon_due - today).days
    expect(due_soon).to_contain_text(f"({days_left} days left)")

    follow(bp, soon.public_title)
    expect(page.get_by_role("heading", level=1)).to_have_text(soon.public_title)
    expect(page.locator("#statutory-dates")).to_contain_text(long_date(soon_due))

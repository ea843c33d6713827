"""A review from police notification to submission, clicked through in a real Chromium as the
coordinator and the chair would, with an axe-core check on every page on the way."""

import re
from datetime import date

import pytest
from playwright.sync_api import Locator, expect

from dhr import two_factor
from dhr.models import Agency, Role
from dhr.tests.two_factor import app_of, code_for
from recommendations.services import recommendation_save
from reviews.demo import minimal_pdf
from reviews.models import Review
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    PartnershipFactory,
    PoliceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "test-password-1"
NOTIFIED = date(2025, 1, 31)  # decision due one calendar month on: 28 February 2025
REFERRED = date(2025, 2, 3)
DECIDED = date(2025, 8, 31)  # overview report due six calendar months on: 28 February 2026
CHAIR_APPOINTED = date(2025, 9, 10)
TERMS_AGREED = date(2025, 9, 24)
SET_UP_DONE = date(2025, 9, 25)
REPORT_REQUESTED = date(2025, 9, 26)
REPORT_DUE = date(2025, 11, 28)
REPORTS_STAGE = date(2025, 9, 26)
REPORT_RECEIVED = date(2025, 11, 20)
DRAFTING = date(2025, 11, 24)
SIGNED_OFF = date(2026, 2, 20)
SUBMITTED = date(2026, 2, 25)

# The browser fixtures (see reviews/tests/browser.py).


@pytest.fixture
def cast():
    """One partnership with a coordinator and a chair, a police force and an agency."""
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    PoliceFactory(name="Northvale Police")
    AgencyFactory(name="Northvale Hospitals NHS Trust")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    chair = MembershipFactory(partnership=partnership, role=Role.CHAIR).user
    return coordinator, chair


# What a user does, each step ending on a page that has passed axe.


def go(bp: CheckedPage, target: Locator) -> None:
    """Click a link or button that loads a new page, then check that page."""
    with bp.page.expect_navigation():
        target.click()
    bp.check()


def follow(bp: CheckedPage, name: str) -> None:
    go(bp, bp.page.get_by_role("link", name=name, exact=True))


def press(bp: CheckedPage, name: str) -> None:
    """A button, or a link styled and announced as one (GOV.UK start and action buttons)."""
    go(bp, bp.page.get_by_role("button", name=name, exact=True))


def fill_date(bp: CheckedPage, legend: str, day: date) -> None:
    group = bp.page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def decide_to_hold_a_review(bp: CheckedPage, on: date) -> None:
    """On the decision page, the chair decides to hold a review, with a reason and a situation
    of concern."""
    page = bp.page
    page.get_by_role("group", name="Will the partnership hold a review?").get_by_label(
        "Yes, hold a review"
    ).check()
    fill_date(bp, "Date of the decision", on)
    page.get_by_label("Reasons for the decision").fill("The death meets the criteria.")
    page.get_by_label("Risk of serious harm not recognised, not shared or not acted on").check()
    press(bp, "Record decision")
    expect(page.get_by_role("alert")).to_contain_text("Decision recorded")


def sign_in(bp: CheckedPage, user, *, lands_on: str = "Dashboard") -> None:
    """Email and password, then (for those who must use it) the code from their app."""
    needs_code = two_factor.required_for(user)
    app = app_of(user) if needs_code else None
    bp.page.get_by_label("Email address").fill(user.email)
    bp.page.get_by_label("Password").fill(PASSWORD)
    press(bp, "Sign in")
    if needs_code:
        expect(bp.page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        bp.page.get_by_label("Security code").fill(code_for(app))
        press(bp, "Continue")
    expect(bp.page.get_by_role("heading", level=1)).to_have_text(lands_on)


def sign_out(bp: CheckedPage) -> None:
    press(bp, "Sign out")
    expect(bp.page.get_by_role("heading", level=1)).to_have_text("Sign in")


def open_review(bp: CheckedPage, title: str) -> None:
    """From anywhere: the Reviews list, then the review."""
    follow(bp, "Reviews")
    follow(bp, title)
    expect(bp.page.get_by_role("heading", level=1)).to_have_text(title)


def move_on(bp: CheckedPage, action: str, on: date, date_label: str) -> None:
    """On the review page, a transition that needs only a date."""
    press(bp, action)
    fill_date(bp, date_label, on)
    press(bp, action)
    expect(bp.page.get_by_role("alert")).to_contain_text(f"Done: {action[:1].lower()}{action[1:]}")


def summary_value(bp: CheckedPage, key: str) -> Locator:
    row = bp.page.locator(".govuk-summary-list__row").filter(
        has=bp.page.locator(
            ".govuk-summary-list__key",
            has_text=re.compile(rf"^\s*{re.escape(key)}(\s+Confidential)?\s*$"),
        )
    )
    return row.locator(".govuk-summary-list__value")


def stage(bp: CheckedPage) -> Locator:
    return bp.page.locator("p", has_text="Stage:").locator(".govuk-tag").first


def test_a_review_from_notification_to_submission(browser_page, cast, tmp_path):
    bp, page = browser_page, browser_page.page
    coordinator, chair = cast
    title = "DHR-2025-01 'Mary'"

    # 1. The coordinator records the police notification.
    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    press(bp, "Record a police notification")
    page.get_by_label("Police force that notified the partnership").select_option(
        "Northvale Police"
    )
    fill_date(bp, "Date the notification was received", NOTIFIED)
    page.get_by_role("group", name="Type of death").get_by_label("Homicide").check()
    fill_date(bp, "Date of death", date(2025, 1, 27))
    page.get_by_label("Victim's pseudonym").fill("Mary")
    page.get_by_label("Victim's full name").fill("Fictional Victim Name")
    fill_date(bp, "Victim's date of birth", date(1980, 3, 3))
    page.get_by_label("Victim's age band").select_option("35 to 44")
    page.get_by_role("group", name="Victim's sex").get_by_label("Female").check()
    page.get_by_label("Perpetrator's pseudonym (optional)").fill("John")
    page.get_by_label("Perpetrator's full name (optional)").fill("Fictional Perpetrator Name")
    page.get_by_label("Relationship of the perpetrator to the victim").select_option(
        "Current intimate partner"
    )
    press(bp, "Record notification")
    expect(page.get_by_role("alert")).to_contain_text(f"Notification recorded as {title}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(summary_value(bp, "Decision due")).to_contain_text("28 February 2025")
    # The real names stay hidden until asked for.
    expect(page.get_by_text("Fictional Victim Name")).to_have_count(0)
    press(bp, "Show confidential details")
    expect(summary_value(bp, "Victim's name")).to_have_text("Fictional Victim Name")
    expect(stage(bp)).to_have_text("Notified")

    # 2. ... and puts it to the chair.
    move_on(bp, "Put to the CSP chair for a decision", REFERRED, "Date put to the CSP chair")
    expect(stage(bp)).to_have_text("Decision pending")
    sign_out(bp)

    # 3. The chair decides to hold a review.
    sign_in(bp, chair)
    open_review(bp, title)
    press(bp, "Record the decision")
    decide_to_hold_a_review(bp, DECIDED)
    expect(stage(bp)).to_have_text("Proceeding")
    expect(summary_value(bp, "Overview report due")).to_contain_text("28 February 2026")
    expect(summary_value(bp, "Situations of concern")).to_contain_text(
        "Risk of serious harm not recognised"
    )
    sign_out(bp)

    # 4. The coordinator sets the review up: chair, terms of reference, panel.
    sign_in(bp, coordinator)
    open_review(bp, title)
    follow(bp, "Set-up: independent chair, panel and terms of reference")
    page.get_by_label("Independent chair's name").fill("Alex Independent")
    fill_date(bp, "Date the independent chair was appointed", CHAIR_APPOINTED)
    page.get_by_label(
        "The independent chair has confirmed they are independent of every agency"
    ).check()
    page.get_by_label(
        "The independent chair has completed the Home Office DHR chair training"
    ).check()
    page.get_by_label("Terms of reference", exact=True).fill("Terms of reference for the review.")
    fill_date(bp, "Date the terms of reference were agreed", TERMS_AGREED)
    press(bp, "Save and continue")
    expect(page.get_by_role("alert")).to_contain_text("Set-up details saved")
    follow(bp, "Add a panel member")
    page.get_by_label("Name", exact=True).fill("Sam Panel")
    page.get_by_label("Role on the panel").fill("Health representative")
    press(bp, "Add panel member")
    expect(page.get_by_role("alert")).to_contain_text("Sam Panel added to the panel")
    expect(page.get_by_role("table", name="Panel members")).to_contain_text("Sam Panel")
    follow(bp, "Back")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    move_on(bp, "Mark set-up as complete", SET_UP_DONE, "Date set-up was completed")
    expect(stage(bp)).to_have_text("Set up")

    # 5. Agency reports: requested, the stage started, the report received.
    follow(bp, "Agency reports (IMRs)")
    page.get_by_label("Agency", exact=True).select_option("Northvale Hospitals NHS Trust")
    fill_date(bp, "Date the report was requested", REPORT_REQUESTED)
    fill_date(bp, "Date the report is due", REPORT_DUE)
    press(bp, "Request agency report")
    expect(page.get_by_role("alert")).to_contain_text(
        "Report requested from Northvale Hospitals NHS Trust"
    )
    follow(bp, "Back to the review")
    move_on(
        bp, "Start the agency reports stage", REPORTS_STAGE, "Date agency reports were requested"
    )
    expect(stage(bp)).to_have_text("Agency reports")
    follow(bp, "Agency reports (IMRs)")
    follow(bp, "Northvale Hospitals NHS Trust")
    fill_date(bp, "Date the report was received", REPORT_RECEIVED)
    page.get_by_label("Author", exact=True).fill("Jo Author")
    page.get_by_label("The author had no direct involvement").check()
    press(bp, "Save and continue")
    # Arrived, but not yet signed off by the trust's senior manager nor fed back to its staff.
    expect(page.get_by_role("alert")).to_contain_text("received, not yet complete")
    follow(bp, "Northvale Hospitals NHS Trust")
    page.get_by_label("Signed off by (senior manager)").fill("Chief Nurse")
    fill_date(bp, "Date the senior manager signed it off", REPORT_RECEIVED)
    page.get_by_label("Staff involved have had a feedback session").check()
    press(bp, "Save and continue")
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"Report from Northvale Hospitals NHS Trust saved\s*$")
    )
    reports = page.get_by_role("table", name="Requested reports")
    expect(reports).to_contain_text("20 Nov 2025")
    follow(bp, "Back to the review")
    move_on(bp, "Start drafting the overview report", DRAFTING, "Date drafting started")
    expect(stage(bp)).to_have_text("Drafting")

    # 6. The overview report and the executive summary are uploaded.
    follow(bp, "Overview report and executive summary")
    for kind in ("Overview report", "Executive summary"):
        upload = tmp_path / f"{kind.lower().replace(' ', '-')}.pdf"
        upload.write_bytes(minimal_pdf(kind))
        page.get_by_role("group", name="Which document").get_by_label(kind).check()
        page.get_by_label("The file").set_input_files(upload)
        page.get_by_label("What changed (optional)").fill("First draft")
        press(bp, "Upload")
        expect(page.get_by_role("alert")).to_contain_text("uploaded")
        expect(page.get_by_role("table", name="Versions")).to_contain_text(kind)
    follow(bp, "Back to the review")
    sign_out(bp)
    # The action plan written with it (its own browser tests click through it): sign-off needs
    # a recommendation.
    recommendation_save(
        review=Review.objects.get(),
        by=coordinator,
        data={
            "text": "Share risk the same day",
            "scope": "local",
            "lead_agency": Agency.objects.get(name="Northvale Police"),
        },
    )

    # 7. The CSP chair signs the report off; the coordinator submits it.
    sign_in(bp, chair)
    open_review(bp, title)
    move_on(bp, "Sign off the report", SIGNED_OFF, "Date signed off")
    expect(stage(bp)).to_have_text("Signed off")
    sign_out(bp)
    sign_in(bp, coordinator)
    open_review(bp, title)
    move_on(
        bp, "Submit to the Home Office QA panel", SUBMITTED, "Date submitted to the Home Office"
    )
    expect(stage(bp)).to_have_text("Submitted to Home Office QA")

    follow(bp, "History")
    history = page.get_by_role("table", name="Every change to this review, newest first")
    for what in (
        "Notification recorded",
        "Put to the CSP chair for a decision",
        "Decide to hold a review",
        "Mark set-up as complete",
        "Start the agency reports stage",
        "Start drafting the overview report",
        "Sign off the report",
        "Submit to the Home Office QA panel",
    ):
        expect(history).to_contain_text(what)


def test_a_notification_with_bad_input_shows_the_errors_and_keeps_the_answers(browser_page, cast):
    bp, page = browser_page, browser_page.page
    coordinator, _ = cast
    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    press(bp, "Record a police notification")
    page.get_by_label("Police force that notified the partnership").select_option(
        "Northvale Police"
    )
    group = page.get_by_role("group", name="Date the notification was received", exact=True)
    group.get_by_label("Day").fill("31")
    group.get_by_label("Month").fill("2")
    group.get_by_label("Year").fill("2025")
    page.get_by_role("group", name="Type of death").get_by_label("Homicide").check()
    page.get_by_label("Victim's full name").fill("Fictional Victim Name")
    page.get_by_label("Victim's age band").select_option("35 to 44")
    press(bp, "Record notification")

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    messages = {
        "The date the notification was received must be a real date": page.get_by_role(
            "group", name="Date the notification was received", exact=True
        ).get_by_label("Day"),
        "Enter a pseudonym for the victim": page.get_by_label("Victim's pseudonym"),
        "Select the victim's sex": page.get_by_role("group", name="Victim's sex").get_by_label(
            "Female"
        ),
        "Select the relationship of the perpetrator to the victim": page.get_by_label(
            "Relationship of the perpetrator to the victim"
        ),
    }
    expect(summary.get_by_role("link")).to_have_text(list(messages))

    # The answers given are still there (the pseudonym was left empty).
    expect(group.get_by_label("Day")).to_have_value("31")
    expect(group.get_by_label("Month")).to_have_value("2")
    expect(group.get_by_label("Year")).to_have_value("2025")
    expect(
        page.get_by_label("Police force that notified the partnership").locator("option:checked")
    ).to_have_text("Northvale Police")
    expect(page.get_by_role("group", name="Type of death").get_by_label("Homicide")).to_be_checked()
    expect(page.get_by_label("Victim's full name")).to_have_value("Fictional Victim Name")
    expect(page.get_by_label("Victim's age band")).to_have_value("35-44")

    # Each message is by its field too, and its link in the summary goes to the field to fix.
    for message, field in messages.items():
        expect(page.locator(".govuk-form-group--error", has=field)).to_contain_text(message)
        summary.get_by_role("link", name=message).click()
        expect(field).to_be_focused()

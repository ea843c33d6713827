"""The action plan clicked through in a real Chromium, with axe on every page, error pages
included: a coordinator writes a recommendation and its action; an agency contact reports the
action done with evidence, and the coordinator accepts the update or returns it; the plan is
downloaded as a spreadsheet.

Dates are relative to the real today: the browser keeps the session cookie by its own clock."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from dhr.models import Role
from recommendations import services
from recommendations.models import Action, ActionUpdate, Evidence
from recommendations.themes import themes_install
from reviews.demo import minimal_pdf
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import (
    AgencyContactFactory,
    AgencyFactory,
    MembershipFactory,
    PartnershipFactory,
    ReviewSubmittedFactory,
)
from reviews.tests.test_browser_clocks import error_summary_shows, long_date
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

RECOMMENDATION = "Share the risk assessment with the MARAC within one working day."
ACTION = "Audit fifty incident reports for risk shared with the MARAC"
EVIDENCE_NEEDED = "The audit report, signed off by the head of safeguarding"


@pytest.fixture
def cast():
    """A submitted review of Northvale, its coordinator, two agencies and the police's contact.

    The tables are flushed between transactional tests, so the themes the post_migrate hook
    installed are put back first."""
    themes_install()
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    police = AgencyFactory(name="Northvale Police")
    AgencyFactory(name="Northvale Hospitals NHS Trust")
    contact = AgencyContactFactory(agency=police).user
    review = ReviewSubmittedFactory(partnership=partnership)
    return review, coordinator, police, contact


@pytest.fixture
def action(cast):
    """Recommendation 1 with one action owned by the police, not started, due in 60 days."""
    review, coordinator, police, _ = cast
    recommendation = services.recommendation_save(
        review=review,
        by=coordinator,
        data={"text": RECOMMENDATION, "scope": "local", "lead_agency": police},
    )
    return services.action_save(
        recommendation=recommendation,
        by=coordinator,
        data={
            "description": ACTION,
            "owner_agency": police,
            "target_date": timezone.localdate() + timedelta(days=60),
            "completion_evidence": EVIDENCE_NEEDED,
        },
    )


def open_plan(bp: CheckedPage, title: str) -> None:
    open_review(bp, title)
    follow(bp, "Action plan")
    expect(bp.page.get_by_role("heading", level=2, name="Action plan")).to_be_visible()


def action_card(bp: CheckedPage, agency: str):
    return bp.page.locator(".govuk-summary-card").filter(
        has=bp.page.get_by_role("heading", name=agency, exact=True)
    )


def card_value(card, key: str):
    row = card.locator(".govuk-summary-list__row").filter(
        has=card.page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{key}\s*$"))
    )
    return row.locator(".govuk-summary-list__value")


def send_completed_update(bp: CheckedPage, contact, tmp_path) -> None:
    """The police contact reports the action completed, with a PDF as evidence: first without
    saying why it would no longer apply, which is refused."""
    page = bp.page
    sign_in(bp, contact)
    go(bp, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your actions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
    follow(bp, ACTION)
    expect(page.get_by_role("heading", level=1)).to_have_text("Action for Northvale Police")
    press(bp, "Send an update")
    status = page.get_by_role("group", name="Where is the action now?")

    status.get_by_label("No longer applies", exact=True).check()
    page.get_by_label("What has been done").fill("All fifty reports were audited in May.")
    press(bp, "Send update")
    error_summary_shows(bp, "Say why the action no longer applies")
    expect(page.get_by_label("What has been done")).to_have_value(
        "All fifty reports were audited in May."
    )

    status.get_by_label("Completed", exact=True).check()
    evidence = tmp_path / "audit-report.pdf"
    evidence.write_bytes(minimal_pdf("Audit report"))
    page.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    press(bp, "Send update")
    expect(page.get_by_role("alert")).to_contain_text("Update sent")
    expect(page.locator(".govuk-summary-card")).to_contain_text("audit-report.pdf")
    expect(page.locator(".govuk-summary-card")).to_contain_text("Awaiting the coordinator")
    sign_out(bp)


def test_a_coordinator_builds_the_action_plan(browser_page, cast):
    bp, page = browser_page, browser_page.page
    review, coordinator, police, _ = cast
    target = timezone.localdate() + timedelta(days=90)

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_plan(bp, review.public_title)
    expect(page.get_by_text("No recommendations have been recorded yet.")).to_be_visible()

    # The recommendation: sent empty first, then filled in.
    press(bp, "Add a recommendation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a recommendation")
    expect(page.get_by_role("group", name="Who is it for?").get_by_label("Local")).to_be_checked()
    press(bp, "Save recommendation")
    error_summary_shows(
        bp, "Enter the recommendation", "Select the lead agency", "Select at least one theme"
    )
    page.get_by_label("Recommendation", exact=True).fill(RECOMMENDATION)
    page.get_by_role("group", name="Who is it for?").get_by_label("Local").check()
    page.get_by_label("Lead agency").select_option("Northvale Police")
    page.get_by_label("Risk assessment").check()
    page.get_by_label("Information sharing and multi-agency working").check()
    press(bp, "Save recommendation")
    expect(page.get_by_role("alert")).to_contain_text("saved")
    recommendation = page.get_by_role("region", name="Recommendation 1")
    expect(recommendation).to_contain_text(RECOMMENDATION)
    expect(recommendation).to_contain_text("Local. Lead agency: Northvale Police.")
    expect(recommendation).to_contain_text("Risk assessment")
    expect(recommendation).to_contain_text("No actions yet.")

    # Its action, owned by the police.
    link = page.get_by_role("link", name="Add an action to recommendation 1", exact=True)
    expect(link.locator(".govuk-visually-hidden")).to_have_text(" to recommendation 1")
    go(bp, link)  # seen as "Add an action"; a screen reader hears which recommendation
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    owner = page.get_by_label("Agency that owns it")
    expect(owner).to_have_value(str(police.pk))  # the lead agency is offered
    page.get_by_label("What will be done").fill(ACTION)
    owner.select_option("Northvale Police")
    fill_date(bp, "Target date", target)
    page.get_by_label("How completion will be shown").fill(EVIDENCE_NEEDED)
    press(bp, "Save action")
    expect(page.get_by_role("alert")).to_contain_text("Action for Northvale Police saved")

    card = action_card(bp, "Northvale Police")
    expect(card_value(card, "What will be done")).to_have_text(ACTION)
    expect(card_value(card, "Status")).to_have_text("Not started")
    expect(card_value(card, "Target date")).to_have_text(long_date(target))
    expect(card_value(card, "How completion will be shown")).to_have_text(EVIDENCE_NEEDED)
    expect(card_value(card, "Last accepted update")).to_have_text("None yet")

    [saved] = Action.objects.filter(recommendation__review=review)
    assert saved.target_date == target
    assert set(saved.recommendation.themes.values_list("name", flat=True)) == {
        "Risk assessment",
        "Information sharing and multi-agency working",
    }


def test_an_agency_reports_an_action_done_with_evidence_and_the_coordinator_accepts(
    browser_page, cast, action, tmp_path
):
    bp, page = browser_page, browser_page.page
    review, coordinator, _, contact = cast

    bp.start("/account/sign-in/")
    send_completed_update(bp, contact, tmp_path)

    sign_in(bp, coordinator)
    open_plan(bp, review.public_title)
    card = action_card(bp, "Northvale Police")
    expect(card_value(card, "Status")).to_have_text("Not started")
    expect(card_value(card, "Waiting for the coordinator")).to_contain_text("Completed")
    go(bp, card.get_by_role("link", name=f"accept or return the update from {contact.name}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept or return the update")

    # The evidence downloads under the name it was sent with.
    evidence = page.get_by_role("link", name="audit-report.pdf", exact=True)
    with page.expect_download() as download:
        evidence.click()
    assert download.value.suggested_filename == "audit-report.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read().startswith(b"%PDF-")

    page.get_by_label("Yes, accept it").check()
    press(bp, "Record your decision")
    expect(page.get_by_role("alert")).to_contain_text("Update accepted")
    card = action_card(bp, "Northvale Police")
    expect(card_value(card, "Status")).to_have_text("Completed")
    expect(card_value(card, "Last accepted update")).to_contain_text(
        "All fifty reports were audited in May."
    )
    expect(card.get_by_text("Waiting for the coordinator")).to_have_count(0)

    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETED
    assert action.completed_on == timezone.localdate()
    assert Evidence.objects.get().original_name == "audit-report.pdf"


def test_the_coordinator_returns_an_update_with_a_comment(browser_page, cast, action, tmp_path):
    bp, page = browser_page, browser_page.page
    review, coordinator, _, contact = cast
    comment = "Attach the signed-off audit report, not the draft."

    bp.start("/account/sign-in/")
    send_completed_update(bp, contact, tmp_path)

    sign_in(bp, coordinator)
    open_plan(bp, review.public_title)
    follow(bp, f"accept or return the update from {contact.name}")
    expect(page.get_by_role("link", name="audit-report.pdf", exact=True)).to_be_visible()
    page.get_by_label("No, return it to the agency").check()
    press(bp, "Record your decision")  # returning it needs a comment
    error_summary_shows(bp, "Say what the agency needs to change or add")
    expect(page.get_by_label("No, return it to the agency")).to_be_checked()
    page.get_by_label("Comment for the agency").fill(comment)
    press(bp, "Record your decision")
    expect(page.get_by_role("alert")).to_contain_text("Update returned to the agency")
    card = action_card(bp, "Northvale Police")
    expect(card_value(card, "Status")).to_have_text("Not started")
    expect(card_value(card, "Last accepted update")).to_have_text("None yet")
    sign_out(bp)

    # The agency sees it came back, and why; it can send another.
    sign_in(bp, contact)
    go(bp, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your actions"))
    follow(bp, ACTION)
    update = page.locator(".govuk-summary-card")
    expect(update).to_have_count(1)
    expect(update.get_by_role("heading")).to_contain_text("Completed")
    expect(card_value(update, "Coordinator")).to_contain_text("Returned")
    expect(card_value(update, "Coordinator")).to_contain_text(comment)
    expect(page.get_by_role("button", name="Send an update")).to_be_visible()

    assert ActionUpdate.objects.get().state == ActionUpdate.State.RETURNED
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def test_the_action_plan_downloads_as_a_spreadsheet(browser_page, cast, action):
    bp, page = browser_page, browser_page.page
    review, coordinator, _, _ = cast

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_plan(bp, review.public_title)
    expect(page.get_by_text("marked OFFICIAL-SENSITIVE")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)", exact=True).click()
    xlsx = download.value
    assert "OFFICIAL-SENSITIVE" in xlsx.suggested_filename
    assert xlsx.suggested_filename == f"action-plan-{review.reference}-OFFICIAL-SENSITIVE.xlsx"
    with open(xlsx.path(), "rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "OFFICIAL-SENSITIVE"
    column = {name: index for index, name in enumerate(rows[2])}
    assert rows[3][column["Recommendation text"]] == RECOMMENDATION
    assert rows[3][column["Action"]] == ACTION
    assert rows[3][column["Status"]] == "Not started"

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename.endswith("OFFICIAL-SENSITIVE.csv")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["OFFICIAL-SENSITIVE"]
    assert rows[3][rows[2].index("Action")] == ACTION

"""Two journeys of the action plan in a real Chromium, with axe on every page: a coordinator
asks agencies for updates and an agency contact answers with evidence; an agency's overdue
actions on a review lead the chase to propose one escalation covering them, a coordinator adds
another from its page, a chair approves it, and the worker writes the one letter listing them
all, which is kept and sent."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from dhr.models import OutgoingEmail, Role
from dhr.tests.queue import empty_queue, real_worker
from recommendations import services
from recommendations.models import Escalation, RequestedAgency
from recommendations.themes import themes_install
from reviews.chase import chase_run
from reviews.demo import minimal_pdf
from reviews.tests.factories import (
    AgencyContactFactory,
    AgencyFactory,
    MembershipFactory,
    PartnershipFactory,
    ReviewSubmittedFactory,
)
from reviews.tests.test_browser_journey import fill_date, follow, go, press, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER_MS = 60_000


@pytest.fixture
def plan():
    """A submitted review of Northvale with one action owned by the police, due 40 days ago."""
    themes_install()
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    chair = MembershipFactory(partnership=partnership, role=Role.CHAIR).user
    police = AgencyFactory(name="Northvale Police", chief_executive_email="ceo@example.org")
    contact = AgencyContactFactory(agency=police).user
    review = ReviewSubmittedFactory(partnership=partnership)
    recommendation = services.recommendation_save(
        review=review,
        by=coordinator,
        data={"text": "Share risk with the MARAC", "scope": "local", "lead_agency": police},
    )
    action = services.action_save(
        recommendation=recommendation,
        by=coordinator,
        data={
            "description": "Audit fifty incident reports",
            "owner_agency": police,
            "target_date": timezone.localdate() - timedelta(days=40),
            "completion_evidence": "The audit report",
        },
    )
    return partnership, coordinator, chair, contact, action


def test_an_agency_answers_a_request_for_updates_with_evidence(browser_page, plan, tmp_path):
    bp, page = browser_page, browser_page.page
    partnership, coordinator, _, contact, action = plan

    # The coordinator asks every agency with open actions for updates.
    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    follow(bp, f"Requests for updates: {partnership.name}")
    press(bp, "Ask agencies for updates")
    press(bp, "Send the request")  # no date: the error is explained
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date updates are due")
    fill_date(bp, "Date updates are due", timezone.localdate() + timedelta(days=14))
    expect(page.get_by_label("Northvale Police")).to_be_checked()
    press(bp, "Send the request")
    expect(page.get_by_role("alert")).to_contain_text("Request sent to 1 agency")
    expect(page.locator("table")).to_contain_text("Not answered yet")
    sign_out(bp)

    # The agency contact sees the request at the top of their actions and answers it.
    sign_in(bp, contact)
    go(bp, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your actions"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Northvale CSP asks Northvale Police for an update on 1 action"
    )
    follow(bp, "Audit fifty incident reports")
    press(bp, "Send an update")
    page.get_by_label("In progress").check()
    page.get_by_label("What has been done").fill("Thirty of the fifty reports are audited.")
    evidence = tmp_path / "audit-so-far.pdf"
    evidence.write_bytes(minimal_pdf("Audit so far"))
    page.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    press(bp, "Send update")
    expect(page.get_by_role("alert")).to_contain_text("Update sent")
    expect(page.locator(".govuk-summary-card")).to_contain_text("audit-so-far.pdf")
    sign_out(bp)
    assert RequestedAgency.objects.get().answered_on == timezone.localdate()

    # The coordinator accepts it; the request shows the agency answered.
    sign_in(bp, coordinator)
    follow(bp, f"Requests for updates: {partnership.name}")
    expect(page.locator("table")).to_contain_text("Answered")
    page.goto(f"{bp.base_url}/reviews/{action.recommendation.review_id}/action-plan/")
    bp.check()
    follow(bp, "accept or return the update from " + contact.name)
    page.get_by_label("Yes, accept it").check()
    press(bp, "Record your decision")
    expect(page.get_by_role("alert")).to_contain_text("Update accepted")
    expect(page.locator(".govuk-summary-card")).to_contain_text("In progress")
    expect(page.locator(".govuk-summary-card")).to_contain_text("Thirty of the fifty")


def _another_action(action, description, days_late):
    review = action.recommendation.review
    coordinator = review.partnership.memberships.get(role=Role.COORDINATOR).user
    return services.action_save(
        recommendation=action.recommendation,
        by=coordinator,
        data={
            "description": description,
            "owner_agency": action.owner_agency,
            "target_date": timezone.localdate() - timedelta(days=days_late),
            "completion_evidence": "Minutes",
        },
    )


@pytest.mark.worker
def test_an_agency_s_overdue_actions_are_escalated_in_one_letter(browser_page, plan):
    bp, page = browser_page, browser_page.page
    partnership, coordinator, chair, _, action = plan
    _another_action(action, "Brief every response team", 35)
    recent = _another_action(action, "Publish the audit findings", 10)

    # The morning's chase proposes one escalation of the two actions overdue by more than 28
    # days (40 and 35); the one 10 days overdue is not its to escalate yet.
    result = chase_run(today=timezone.localdate())
    assert result.escalations_proposed == 1
    mail.outbox.clear()

    # The coordinator escalates the third from its page: it joins the one awaiting the chair.
    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    page.goto(f"{bp.base_url}/actions/{recent.pk}/")
    bp.check()
    press(bp, "Escalate to the chief executive")
    expect(page.locator("#gathering")).to_contain_text("already awaiting the CSP chair, covering 2")
    press(bp, "Propose the escalation")  # no reason: the error is explained
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why the agency should be escalated"
    )
    page.get_by_label("Why should the agency's chief executive be written to?").fill(
        "The findings were promised to the steering group in the spring."
    )
    press(bp, "Propose the escalation")
    expect(page.get_by_role("alert")).to_contain_text(
        "Added to the escalation already awaiting the CSP chair: it now covers 3 actions"
    )
    sign_out(bp)

    sign_in(bp, chair)
    follow(bp, f"Escalations: {partnership.name}")
    expect(page.locator("#proposed-heading")).to_contain_text("1")
    card = page.locator(".govuk-summary-card")
    expect(card).to_contain_text("3 actions")
    for words in ("Audit fifty incident reports", "40 days overdue", "35 days overdue"):
        expect(card).to_contain_text(words)
    follow(bp, "Approve or decline the escalation to Northvale Police")
    expect(page.get_by_label("Chief executive's email address")).to_have_value("ceo@example.org")
    page.get_by_label("No, decline it").check()
    press(bp, "Record the decision")  # declining needs a reason
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why the escalation is declined"
    )
    page.get_by_label("Yes: write to the chief executive").check()
    page.get_by_label("Comment").fill("The steering group meets on the first of next month.")
    # The worker writes the letter; the chair watches it on the letter's own page.
    empty_queue()  # no earlier test's messages
    with real_worker():
        press(bp, "Record the decision")
        expect(page.get_by_role("alert")).to_contain_text(
            "Escalation approved: the letter to ceo@example.org is being written"
        )
        expect(page.get_by_text("Your file is ready")).to_be_visible(timeout=LETTER_MS)
        page.wait_for_load_state("load")
        if bp.loads > bp.checked:  # the page reloaded itself when the letter was written
            bp.check()
    follow(bp, "Back")  # the escalations page: the letter kept there for every lead
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letter (PDF) to Northvale Police").click()
    letter = download.value
    assert letter.suggested_filename.endswith("OFFICIAL-SENSITIVE.pdf")
    with open(letter.path(), "rb") as pdf:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    text = " ".join(text.split())  # however the table's cells wrapped the words
    # One letter for the three actions, each with how overdue it is.
    for words in (
        "Audit fifty incident reports (recommendation 1)",
        "Brief every response team (recommendation 1)",
        "Publish the audit findings (recommendation 1)",
        "40 days",
        "35 days",
        "10 days",
    ):
        assert words in text
    assert "The steering group meets on the first of next month." in text
    sign_out(bp)

    # The next chase delivers the letter (the worker would, on a real deployment).
    chase_run(today=timezone.localdate())
    [sent] = [m for m in mail.outbox if m.to == ["ceo@example.org"]]
    assert sent.attachments[0][2] == "application/pdf"
    assert OutgoingEmail.objects.get(to=["ceo@example.org"]).status == "sent"

    # The coordinator records the outcome.
    sign_in(bp, coordinator)
    follow(bp, f"Escalations: {partnership.name}")
    follow(bp, "Record the outcome of the escalation to Northvale Police")
    page.get_by_label("The action is back on track").check()
    press(bp, "Record the outcome")
    expect(page.get_by_role("alert")).to_contain_text("Outcome recorded")
    escalation = Escalation.objects.get()
    assert escalation.status == Escalation.Status.CLOSED
    assert escalation.actions.count() == 3

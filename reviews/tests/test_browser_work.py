""" "Waiting for you", clicked through in a real Chromium by a coordinator, a chair and an
agency's contact: each signs in, follows the top item of their queue, does it, and sees it
leave the queue, with an axe-core check on every page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dhr.models import Role
from recommendations import services
from recommendations.models import ActionUpdate
from recommendations.themes import themes_install
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import (
    AgencyContactFactory,
    AgencyFactory,
    MembershipFactory,
    PartnershipFactory,
    ReviewDecisionPendingFactory,
    ReviewMonitoringFactory,
)
from reviews.tests.test_browser_journey import decide_to_hold_a_review, go, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


ACTION = "Audit fifty incident reports for risk shared with the MARAC"


@pytest.fixture
def northvale():
    """A partnership with a coordinator and a chair, and the police with a contact."""
    themes_install()  # flushed between transactional tests
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    police = AgencyFactory(name="Northvale Police")
    return {
        "partnership": partnership,
        "coordinator": MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user,
        "chair": MembershipFactory(partnership=partnership, role=Role.CHAIR).user,
        "police": police,
        "contact": AgencyContactFactory(agency=police).user,
    }


@pytest.fixture
def action(northvale):
    """An action of a review being monitored, owned by the police, due in 60 days."""
    review = ReviewMonitoringFactory(partnership=northvale["partnership"])
    recommendation = services.recommendation_save(
        review=review,
        by=northvale["coordinator"],
        data={
            "text": "Share the risk assessment with the MARAC within one working day.",
            "scope": "local",
            "lead_agency": northvale["police"],
        },
    )
    return services.action_save(
        recommendation=recommendation,
        by=northvale["coordinator"],
        data={
            "description": ACTION,
            "owner_agency": northvale["police"],
            "target_date": timezone.localdate() + timedelta(days=60),
            "completion_evidence": "The audit report",
        },
    )


def top_item(bp: CheckedPage, kind: str):
    """The first item of "Waiting for you", which must be of this kind."""
    first = bp.page.locator("#waiting-for-you [data-kind]").first
    expect(first).to_have_attribute("data-kind", kind)
    return first


def back_to_the_dashboard(bp: CheckedPage) -> None:
    go(bp, bp.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard"))
    expect(bp.page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def queue_is_empty(bp: CheckedPage) -> None:
    expect(bp.page.locator("#waiting-for-you-heading")).to_have_text("Waiting for you 0")
    expect(bp.page.locator("#waiting-for-you")).to_have_text("Nothing is waiting for you.")


def test_a_coordinator_accepts_the_update_at_the_top_of_their_queue(
    browser_page, northvale, action
):
    bp, page = browser_page, browser_page.page
    update = services.action_update_submit(
        action=action,
        by=northvale["contact"],
        new_status="in_progress",
        narrative="Twenty reports audited so far.",
    )
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["coordinator"])
    item = top_item(bp, "update-to-review")
    expect(item).to_contain_text("Update from Northvale Police: in progress")
    go(bp, item.get_by_role("link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept or return the update")
    page.get_by_label("Yes, accept it").check()
    press(bp, "Record your decision")
    expect(page.get_by_role("alert")).to_contain_text("accepted")
    back_to_the_dashboard(bp)
    queue_is_empty(bp)
    update.refresh_from_db()
    assert update.state == ActionUpdate.State.ACCEPTED


def test_a_chair_records_the_overdue_decision_at_the_top_of_their_queue(browser_page, northvale):
    bp = browser_page
    today = timezone.localdate()
    review = ReviewDecisionPendingFactory(
        partnership=northvale["partnership"], notified_on=today - timedelta(days=45)
    )
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["chair"])
    item = top_item(bp, "decision")
    expect(item).to_contain_text(review.public_title)
    expect(item).to_contain_text("overdue")
    go(bp, item.get_by_role("link"))
    decide_to_hold_a_review(bp, today)
    back_to_the_dashboard(bp)
    queue_is_empty(bp)


def test_an_agency_contact_sends_again_the_update_returned_to_them(browser_page, northvale, action):
    bp, page = browser_page, browser_page.page
    update = services.action_update_submit(
        action=action,
        by=northvale["contact"],
        new_status="completed",
        narrative="All fifty audited.",
    )
    comment = "Attach the signed-off audit report, not the draft."
    services.action_update_return(update=update, by=northvale["coordinator"], comment=comment)
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["contact"])
    item = top_item(bp, "action")
    expect(item).to_contain_text("Update returned: send it again")
    expect(item).to_contain_text(comment)
    go(bp, item.get_by_role("link"))
    page.get_by_role("group", name="Where is the action now?").get_by_label(
        "In progress", exact=True
    ).check()
    page.get_by_label("What has been done").fill("Forty audited; the report is being signed off.")
    press(bp, "Send update")
    expect(page.get_by_role("alert")).to_contain_text("Update sent")
    back_to_the_dashboard(bp)
    queue_is_empty(bp)

"""Issue 20's rules 6 and 7 clicked through in a real Chromium, axe on every page: a coordinator
records an agency report that arrived without its staff feedback session; the CSP chair waives
it with a reason; the CSP chair is refused sign-off while the action plan has no
recommendation, then records why the review makes none and signs the report off."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dhr.models import Role
from recommendations.models import Recommendation
from reviews.models import AgencyReport, Status
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    ReviewAgencyReportsFactory,
    ReviewReadyToSignOffFactory,
)
from reviews.tests.test_browser_journey import fill_date, follow, go, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


REASON = "The social worker who held the case has left the council and cannot be reached."
NO_RECOMMENDATIONS = (
    "Every agency followed its procedures; the learning is already in the partnership's "
    "training plan."
)


@pytest.fixture
def eastvale():
    partnership = PartnershipFactory(name="Eastvale CSP", slug="eastvale")
    return {
        "partnership": partnership,
        "coordinator": MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user,
        "chair": MembershipFactory(partnership=partnership, role=Role.CHAIR).user,
    }


def _open(bp: CheckedPage, review, user) -> None:
    """Sign in on the way to the review's page."""
    bp.start(review.get_absolute_url())
    sign_in(bp, user, lands_on=review.public_title)


def _report_arrived_without_feedback(review):
    report = review.agency_reports.get()
    report.agency.name = "Eastvale Council Children's Services"
    report.agency.save()
    AgencyReport.objects.filter(pk=report.pk).update(
        received_on=timezone.localdate(),
        author="Ann Author",
        author_independence_confirmed=True,
        senior_sign_off_by="Sam Senior",
        signed_off_on=timezone.localdate(),
        staff_feedback_held=False,
    )
    return report


def test_a_coordinator_records_the_day_a_report_arrived_without_its_checks(browser_page, eastvale):
    bp, page = browser_page, browser_page.page
    review = ReviewAgencyReportsFactory(partnership=eastvale["partnership"])
    report = review.agency_reports.get()
    _open(bp, review, eastvale["coordinator"])
    follow(bp, "Agency reports (IMRs)")
    follow(bp, report.agency.name)
    fill_date(bp, "Date the report was received", timezone.localdate())
    press(bp, "Save and continue")
    expect(page.get_by_role("alert")).to_contain_text("received, not yet complete")
    expect(page.locator("#agency-reports")).to_contain_text("Received, not yet complete")
    assert AgencyReport.objects.get(pk=report.pk).received_on == timezone.localdate()


def test_the_csp_chair_waives_the_staff_feedback_session_with_a_reason(browser_page, eastvale):
    bp, page = browser_page, browser_page.page
    review = ReviewAgencyReportsFactory(partnership=eastvale["partnership"])
    report = _report_arrived_without_feedback(review)
    _open(bp, review, eastvale["chair"])
    follow(bp, "Agency reports (IMRs)")
    table = page.locator("#agency-reports")
    expect(table).to_contain_text("Received, not yet complete")
    go(bp, table.get_by_role("link", name="Waive a requirement of the report from Eastvale"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waive a requirement")

    press(bp, "Waive the requirement")  # nothing chosen, no reason
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the requirement you waive")
    expect(summary).to_contain_text("Enter why the requirement is waived")
    assert not report.waivers.exists()

    page.get_by_label("The staff feedback session").check()
    page.get_by_label("Why is it waived?").fill(REASON)
    press(bp, "Waive the requirement")
    expect(page.get_by_role("alert")).to_contain_text("The staff feedback session waived")
    expect(table).to_contain_text("waived by the CSP chair")
    expect(table).to_contain_text(REASON)
    expect(table).not_to_contain_text("Received, not yet complete")
    assert AgencyReport.objects.get(pk=report.pk).is_received


def test_the_csp_chair_is_refused_sign_off_without_a_plan_then_gives_the_reason(
    browser_page, eastvale
):
    bp, page = browser_page, browser_page.page
    review = ReviewReadyToSignOffFactory(partnership=eastvale["partnership"])
    Recommendation.objects.filter(review=review).delete()
    _open(bp, review, eastvale["chair"])
    next_steps = page.locator("main")
    expect(next_steps).to_contain_text("Sign off the report: first")
    expect(next_steps).to_contain_text("Add a recommendation to the action plan")
    expect(page.get_by_role("button", name="Sign off the report")).to_have_count(0)

    follow(bp, "Record why the review makes no recommendations")
    press(bp, "Save the reason")  # empty
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the review makes no recommendations"
    )
    page.get_by_label("Why does the review make no recommendations?").fill(NO_RECOMMENDATIONS)
    press(bp, "Save the reason")
    expect(page.get_by_role("alert")).to_contain_text("Reason for making no recommendations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off the report")
    expect(page.locator("#no-recommendations")).to_contain_text(NO_RECOMMENDATIONS)

    fill_date(bp, "Date signed off", timezone.localdate())
    press(bp, "Sign off the report")
    expect(page.get_by_role("heading", level=1)).to_have_text(review.public_title)
    expect(page.locator("#no-recommendations")).to_contain_text(NO_RECOMMENDATIONS)
    review.refresh_from_db()
    assert review.status == Status.SIGNED_OFF
    assert review.signed_off_by == eastvale["chair"]


def test_sign_off_is_refused_on_its_page_while_the_plan_is_empty(browser_page, eastvale):
    """A chair who reaches the sign-off page (a link kept from before the plan was emptied) is
    told what is missing, and the review stays where it is."""
    bp, page = browser_page, browser_page.page
    review = ReviewReadyToSignOffFactory(partnership=eastvale["partnership"])
    _open(bp, review, eastvale["chair"])
    press(bp, "Sign off the report")
    Recommendation.objects.filter(review=review).delete()  # removed meanwhile
    fill_date(bp, "Date signed off", timezone.localdate())
    press(bp, "Sign off the report")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Add a recommendation to the action plan, or record why the review makes none"
    )
    review.refresh_from_db()
    assert review.status == Status.DRAFTING

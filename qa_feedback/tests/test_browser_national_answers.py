"""A QA letter written as the 2014 sample answers the review's national recommendations in its
text: on the recorded letter's page the coordinator is offered to record them, confirms which
answer goes with which recommendation (first sending none, which is refused), and sees the
replies on the action plan. In a real Chromium, with axe on every page."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from dhr.models import Role
from qa_feedback.tests.factories import national_letter
from recommendations.models import Recommendation
from recommendations.themes import themes_install
from reviews.tests.factories import AgencyFactory, MembershipFactory, PartnershipFactory
from reviews.tests.test_browser_clocks import error_summary_shows
from reviews.tests.test_browser_journey import follow, go, open_review, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    themes_install()
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    police = AgencyFactory(name="Northvale Police")
    letter = national_letter(SimpleNamespace(home=partnership, involved_agency=police))
    return letter, coordinator


def test_a_coordinator_confirms_the_letter_s_answers(browser_page, cast):
    bp, page = browser_page, browser_page.page
    letter, coordinator = cast
    review = letter.review

    bp.start("/account/sign-in/")
    sign_in(bp, coordinator)
    open_review(bp, review.public_title)
    follow(bp, "Home Office QA")
    follow(bp, "See the points and their responses")
    banner = page.get_by_role("region", name="National recommendations")
    expect(banner).to_contain_text("answers national recommendations in 4 paragraphs")
    go(bp, banner.get_by_role("link", name="Record the answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record the letter's answers to national recommendations"
    )

    first = page.get_by_role("group", name="Answer 1: which recommendations does it answer?")
    expect(first).to_contain_text("Ministry of Justice colleagues")
    expect(first.get_by_label("Recommendation 3", exact=False)).to_be_checked()
    # Nothing selected at all is refused.
    ticked = page.locator("input[type=checkbox]:checked")
    while ticked.count():
        ticked.first.uncheck()
    press(bp, "Record the answers")
    error_summary_shows(bp, "Select the recommendation at least one answer is to")

    first = page.get_by_role("group", name="Answer 1: which recommendations does it answer?")
    first.get_by_label("Recommendation 3", exact=False).check()
    second = page.get_by_role("group", name="Answer 2: which recommendations does it answer?")
    second.get_by_label("Recommendation 4", exact=False).check()
    press(bp, "Record the answers")
    expect(page.get_by_role("alert")).to_contain_text(
        "The letter's answers recorded against 2 national recommendations"
    )
    expect(page.get_by_role("heading", level=2, name="Action plan")).to_be_visible()
    third = page.get_by_role("region", name="Recommendation 3")
    expect(third).to_contain_text("Action three will be communicated to Ministry of Justice")
    expect(third).to_contain_text("from the Home Office QA letter of 6 February 2026")

    replied = Recommendation.objects.filter(review=review, body_replied_on__isnull=False)
    assert sorted(replied.values_list("number", flat=True)) == [3, 4]
    bp.finish()

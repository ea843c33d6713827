"""The History tab in a real Chromium, axe on every page: its changes read as a person would
write them, and the table fits a phone's screen without scrolling sideways."""

from datetime import date

import pytest
from playwright.sync_api import expect

from reviews import services
from reviews.demo import pdf_upload
from reviews.models import SituationOfConcern
from reviews.tests.factories import ReviewDecisionPendingFactory
from reviews.tests.test_browser_journey import follow, open_review, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_history_reads_as_written_and_fits_a_phone(browser_page, people):
    bp, page = browser_page, browser_page.page
    review = ReviewDecisionPendingFactory(partnership=people.home)
    services.review_record_decision(
        review=review,
        by=people.chair,
        decided_on=date(2025, 2, 7),
        proceed=True,
        reasons="Criteria met",
        situations_of_concern=[SituationOfConcern.MARAC, SituationOfConcern.REPUTATIONAL],
        other_reviews_considered=[],
    )
    services.review_update_set_up(
        review=review,
        by=people.coordinator,
        data={"chair_appointed_on": date(2025, 3, 3), "chair_independence_confirmed": True},
        terms_of_reference_file=pdf_upload("terms-of-reference-v2.pdf"),
    )
    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    open_review(bp, review.public_title)
    follow(bp, "History")
    history = page.get_by_role("table", name="Every change to this review, newest first")
    expect(history).to_contain_text("Independent chair's independence confirmed: No → Yes")
    expect(history).to_contain_text("Decided on: not set → 7 February 2025")
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") == width

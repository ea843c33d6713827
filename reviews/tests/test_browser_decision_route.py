"""The route after a decision not to hold a review, and a 16 or 17 year old's decision, clicked
through in a real Chromium by the coordinator and the chair, with an axe-core check on every
page: the Home Office told (its fields checked first, kept and read back), the QA panel's view,
the chair's fresh decision, a Secretary of State's direction, the safeguarding partners told."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dhr.models import Role
from reviews import clocks
from reviews.models import Review, Status
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    ReviewDecisionPendingFactory,
    ReviewNotProceedingFactory,
)
from reviews.tests.test_browser_journey import (
    decide_to_hold_a_review,
    fill_date,
    follow,
    go,
    open_review,
    press,
    sign_in,
    sign_out,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northvale():
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    return {
        "partnership": partnership,
        "coordinator": MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user,
        "chair": MembershipFactory(partnership=partnership, role=Role.CHAIR).user,
    }


def heading(bp: CheckedPage, text: str) -> None:
    expect(bp.page.get_by_role("heading", level=1)).to_have_text(text)


def alert(bp: CheckedPage, text: str) -> None:
    expect(bp.page.get_by_role("alert")).to_contain_text(text)


def timeline_rows(bp: CheckedPage) -> list[str]:
    """The timeline tab's rows on the decision's route, each as its cells' text."""
    follow(bp, "Timeline")
    rows = bp.page.locator("#timeline tbody tr").all_inner_texts()
    route = ("Decided", "Fresh decision", "Home Office", "Family")
    cells = [" | ".join(part.strip() for part in row.split("\t")) for row in rows]
    return [row for row in cells if row.split(" | ")[1].startswith(route)]


def test_told_then_asked_to_reconsider_then_decided_afresh(browser_page, northvale):
    bp, page = browser_page, browser_page.page
    today = timezone.localdate()
    on = f"{today:%-d %B %Y}"
    short = f"{today:%-d %b %Y}"
    fresh_due = f"{clocks.add_months(today, 1):%-d %B %Y}"
    review = ReviewNotProceedingFactory(
        partnership=northvale["partnership"], home_office_told_on=None
    )
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["coordinator"])
    open_review(bp, review.public_title)
    route = page.locator("#decision-route")
    expect(route).to_contain_text("Not told of the decision yet")

    # Check what the Home Office is told, then confirm when it went.
    follow(bp, "Record when the Home Office was told")
    heading(bp, "Tell the Home Office of the decision")
    fields = page.locator("#notice-fields")
    expect(fields).to_contain_text("Not to hold a review")
    expect(fields).to_contain_text("Criteria not met")
    fill_date(bp, "Date the Home Office was told", today)
    press(bp, "Confirm and record")
    alert(bp, "with what it was sent")
    follow(bp, f"Told {on}")
    heading(bp, f"Home Office told on {on}")
    expect(page.locator("#notice-fields")).to_contain_text("Criteria not met")
    follow(bp, "Back")

    # The panel asks the partnership to reconsider: back to the chair.
    press(bp, "Record the Home Office QA panel's view")
    heading(bp, "Record the Home Office QA panel's view")
    page.get_by_label("Asks the partnership to reconsider the decision").check()
    fill_date(bp, "Date of the panel's letter", today)
    page.get_by_label("The panel's comment (optional)").fill("Was coercive control considered?")
    press(bp, "Record the panel's view")
    alert(bp, "the decision is back with the CSP chair")
    expect(route).to_contain_text("Was coercive control considered?")
    expect(page.locator("#fresh-decision")).to_contain_text("Waiting for the CSP chair")

    # While the fresh decision is awaited, every part of the page says so.
    dates = page.locator("#statutory-dates")
    expect(dates).to_contain_text(f"Fresh decision due {fresh_due}")
    expect(dates).to_contain_text(f"The Home Office QA panel asked for it on {on}")
    expect(dates).to_contain_text("Not yet told of the fresh decision")
    expect(dates).not_to_contain_text("Decided")
    expect(dates).not_to_contain_text("Told")
    expect(page.locator("#decision-heading")).to_have_text("Decision under reconsideration")
    expect(page.locator("#decision-standing")).to_contain_text(
        f"asked on {on} for this decision to be reconsidered"
    )
    expect(page.locator("#decision")).to_contain_text("Criteria not met")
    expect(route).to_contain_text("Not told of the fresh decision yet")
    assert timeline_rows(bp) == [
        "20 Feb 2025 | Decided not to hold a review (due 28 February 2025) | Done",
        f"{short} (today) | Home Office told of the decision | Done",
        f"{short} (today) | Home Office QA panel: asks the partnership to reconsider the "
        "decision | Done",
        f"{clocks.add_months(today, 1):%-d %b %Y} | Fresh decision due (and the Home Office "
        "told of it) | Due",
    ]
    sign_out(bp)

    # The chair finds it waiting in their queue and decides afresh, telling the Home Office.
    sign_in(bp, northvale["chair"])
    item = page.locator("#waiting-for-you [data-kind='decision']").first
    expect(item).to_contain_text("Reconsider the decision not to hold a review")
    go(bp, item.get_by_role("link"))
    heading(bp, "Record the decision")
    told = "When was the Home Office told of the fresh decision? (optional)"
    expect(page.get_by_role("group", name=told, exact=True)).to_contain_text(
        f"The Home Office was told of the earlier decision, of 20 February 2025, on {on}: that "
        "date is kept with the earlier decision."
    )
    family = "When was the family told of the fresh decision? (optional)"
    expect(page.get_by_role("group", name=family, exact=True)).to_contain_text(
        "No date was recorded for telling the family of the earlier decision"
    )
    fill_date(bp, told, today)
    decide_to_hold_a_review(bp, today)
    review.refresh_from_db()
    assert review.status == Status.PROCEEDING
    assert review.decision_qa_views.get().view == "reconsider"

    # The fresh decision stands, the earlier one is kept under it, superseded.
    expect(page.locator("#decision-heading")).to_have_text("Decision")
    expect(page.locator("#decision-standing")).to_contain_text("A fresh decision")
    expect(page.locator("#decision")).to_contain_text("The death meets the criteria.")
    earlier = page.locator("#earlier-decision-1")
    expect(page.get_by_role("heading", name="Earlier decision", exact=True)).to_be_visible()
    expect(page.locator("p", has_text="Superseded")).to_contain_text(
        f"The Home Office QA panel asked on {on} for it to be reconsidered."
    )
    expect(earlier).to_contain_text("Criteria not met")
    expect(earlier).to_contain_text("It was due by 28 February 2025")
    expect(earlier).to_contain_text(on)
    expect(dates).to_contain_text(f"Fresh decision due {fresh_due}")
    expect(dates).to_contain_text(f"Decided {on}")
    expect(dates).to_contain_text(f"Told {on}")
    expect(route).to_contain_text(f"Told {on} (of the earlier decision, of 20 February 2025)")
    expect(route).to_contain_text(f"Told {on} (of the fresh decision, of {on})")
    assert timeline_rows(bp) == [
        "20 Feb 2025 | Decided not to hold a review (due 28 February 2025) | Done",
        f"{short} (today) | Home Office told of the decision | Done",
        f"{short} (today) | Home Office QA panel: asks the partnership to reconsider the "
        "decision | Done",
        f"{short} (today) | Fresh decision: decided to hold a review (due {fresh_due}) | Done",
        f"{short} (today) | Home Office told of the fresh decision | Done",
    ]

    # Each of the two notices says which decision it told.
    follow(bp, "Overview")
    # Both told today: the first link is the earlier decision's notice.
    go(bp, page.get_by_role("link", name=f"Told {on}", exact=True).first)
    expect(page.locator("#notice-decision")).to_contain_text(
        f"The CSP chair made a fresh decision on {on}."
    )
    follow(bp, f"On {on}")
    expect(page.locator("#notice-decision")).to_contain_text(
        "This told the Home Office of the fresh decision"
    )
    expect(page.locator("#notice-fields")).to_contain_text("The death meets the criteria.")


def test_a_direction_opens_the_review_from_its_page(browser_page, northvale):
    bp, page = browser_page, browser_page.page
    today = timezone.localdate()
    review = ReviewNotProceedingFactory(partnership=northvale["partnership"])
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["coordinator"])
    open_review(bp, review.public_title)
    press(bp, "Record a Secretary of State's direction to hold a review")
    heading(bp, "Record a Secretary of State's direction")
    press(bp, "Record the direction and open the review")  # nothing entered
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the direction")
    fill_date(bp, "Date of the direction", today)
    page.get_by_label("Notes (optional)").fill("The Home Office's letter directs a review.")
    press(bp, "Record the direction and open the review")
    alert(bp, "the review is open")
    expect(page.locator("#direction")).to_contain_text(f"Directed {today:%-d %B %Y}")
    review.refresh_from_db()
    assert (review.status, review.directed_on) == (Status.PROCEEDING, today)


def test_a_16_or_17_year_old_s_decision_and_the_safeguarding_partners_notice(
    browser_page, northvale
):
    bp, page = browser_page, browser_page.page
    today = timezone.localdate()
    review = ReviewDecisionPendingFactory(
        partnership=northvale["partnership"],
        victim_age_band="16-17",
        notified_on=today - timedelta(days=20),
    )
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["chair"])
    open_review(bp, review.public_title)
    press(bp, "Record the decision")
    page.get_by_label("The reviews run jointly").check()
    page.get_by_label("Notes on the child review").fill("One panel for both reviews.")
    decide_to_hold_a_review(bp, today)
    sign_out(bp)

    sign_in(bp, northvale["coordinator"])
    item = page.locator("#waiting-for-you [data-kind='safeguarding-notice']").first
    expect(item).to_contain_text(review.public_title)
    go(bp, item.get_by_role("link"))
    heading(bp, "Record when the children's safeguarding partners were told")
    fill_date(bp, "Date the safeguarding partners were told", today)
    press(bp, "Save date")
    alert(bp, "safeguarding partners were told saved")
    expect(page.locator("#safeguarding-notice")).to_contain_text(f"Told {today:%-d %B %Y}")
    review = Review.objects.get(pk=review.pk)
    assert (review.joint_review, review.safeguarding_told_on) == ("joint_cspr", today)

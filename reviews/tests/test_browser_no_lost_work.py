"""No lost work, in a real Chromium: the timeout warning before the idle limit (stay signed in,
or be signed out), and an update typed after the session ended, filled back in after signing
in again; axe-core checks every page on the way, the warning included."""

import pytest
from playwright.sync_api import expect

from recommendations.models import ActionUpdate
from reviews.tests import browser
from reviews.tests.browser import format_violations
from reviews.tests.test_browser_journey import go, press, sign_in
from reviews.tests.test_browser_work import ACTION, action, northvale  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


NARRATIVE = "Thirty of the fifty incident reports audited; the rest by the end of the month."


def _open_the_update_form(bp) -> None:
    go(bp, bp.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your actions"))
    go(bp, bp.page.get_by_role("link", name=ACTION))
    press(bp, "Send an update")


def test_the_timeout_warning_offers_to_stay_signed_in_then_signs_out(
    browser_page,
    northvale,  # noqa: F811
    action,  # noqa: F811
    settings,
):
    settings.SESSION_COOKIE_AGE = 8  # the warning 4 seconds before, at 4 seconds
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["contact"])
    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    expect(dialog).to_be_visible(timeout=8000)
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    violations = browser.axe_violations(page, set())
    assert not violations, format_violations(violations)

    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    go(bp, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your actions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")

    # Nothing done: at the limit, the page goes to sign-in, and back here afterwards.
    expect(dialog).to_be_visible(timeout=8000)
    page.wait_for_url("**/account/sign-in/**", timeout=10000)
    bp.check()
    sign_in(bp, northvale["contact"], lands_on="Your actions")


def test_an_update_sent_after_the_session_ended_is_filled_back_in_after_signing_in(
    browser_page,
    northvale,  # noqa: F811
    action,  # noqa: F811
):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["contact"])
    _open_the_update_form(bp)
    page.get_by_label("In progress").check()
    page.get_by_label("What has been done").fill(NARRATIVE)
    page.context.clear_cookies(name="sessionid")  # 30 minutes pass: the session ends
    press(bp, "Send update")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("main")).to_contain_text(
        "You were signed out after 30 minutes without activity"
    )
    assert not ActionUpdate.objects.exists()

    sign_in(bp, northvale["contact"], lands_on="Send an update")
    expect(page.get_by_label("What has been done")).to_have_value(NARRATIVE)
    expect(page.get_by_label("In progress")).to_be_checked()
    expect(page.locator("main")).to_contain_text("What you typed before has been filled back in")
    press(bp, "Send update")
    expect(page.get_by_role("alert")).to_contain_text("Update sent")
    [update] = ActionUpdate.objects.all()
    assert update.narrative == NARRATIVE

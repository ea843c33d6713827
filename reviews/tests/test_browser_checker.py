"""The axe-core check every browser test relies on finds what it should: a page with faults
fails it, and the same page with them mended passes. Each case runs in both of Debian's
Chromiums, the headless shell the suite uses and the full browser, and so does a real page of
the service: a difference between the two would fail here."""

import pytest
from playwright.sync_api import expect

from dhr.models import Role
from reviews.tests import browser
from reviews.tests.factories import MembershipFactory, ReviewDecisionPendingFactory
from reviews.tests.test_browser_journey import open_review, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=[browser.HEADLESS_SHELL, browser.FULL_CHROMIUM])
def chromium(request, playwright_driver):
    yield from browser.launched(playwright_driver, request.param)


FAULTY = (
    "<!doctype html><html><head><title>Faulty</title></head><body><main>"
    "<h1>Faulty</h1><img src='/chart.png'></main></body></html>"
)
MENDED = (
    "<!doctype html><html lang='en-GB'><head><title>Mended</title></head><body><main>"
    "<h1>Mended</h1><img src='/chart.png' alt='Actions done, by month'></main></body></html>"
)


def _checked_page(context, html: str) -> browser.CheckedPage:
    page = context.new_page()
    page.route(
        "http://checker.test/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    return browser.CheckedPage(page, "http://checker.test")


def test_a_page_with_a_missing_alt_text_and_no_language_fails_the_check(chromium):
    context = browser.new_context(chromium)
    try:
        with pytest.raises(AssertionError) as failure:
            _checked_page(context, FAULTY).start("/faulty/")
    finally:
        context.close()
    assert "image-alt" in str(failure.value)
    assert "html-has-lang" in str(failure.value)


def test_the_same_page_mended_passes(chromium):
    context = browser.new_context(chromium)
    try:
        _checked_page(context, MENDED).start("/mended/")
    finally:
        context.close()


def _page(title: str, body: str, style: str = "") -> str:
    return (
        f"<!doctype html><html lang='en-GB'><head><title>{title}</title><style>"
        ".note {color: #0b0c0c} .faint {color: #c0c0c0}" + style + "</style></head>"
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


def _pages(context, pages: dict[str, str]) -> browser.CheckedPage:
    page = context.new_page()
    page.route(
        "http://checker.test/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body=pages[route.request.url[19:]]
        ),
    )
    return browser.CheckedPage(page, "http://checker.test")


@pytest.mark.parametrize(
    "second",
    [
        "<p class='faint'>Due in 3 days</p>",  # another class
        "<p class='note' style='color: #c8c8c8'>Due in 3 days</p>",  # the same class, restyled
        "<div class='faint'><p class='note'>Checked</p>Due in 3 days</div>",  # new text, new parent
    ],
    ids=["another class", "inline style", "text in a new place"],
)
def test_low_contrast_text_fails_the_check_after_a_page_that_passed(chromium, second):
    """Contrast is checked once per chain of classes and styles, so a text that looks different
    is never taken for one already checked."""
    context = browser.new_context(chromium)
    try:
        checked = _pages(context, {
            "/first/": _page("First", "<p class='note'>Checked</p>" * 3),
            "/second/": _page("Second", "<p class='note'>Checked</p>" + second),
        })  # fmt: skip
        checked.start("/first/")
        with pytest.raises(AssertionError) as failure:
            checked.start("/second/")
    finally:
        context.close()
    assert "color-contrast" in str(failure.value)
    assert "checker.test/second/" in str(failure.value)


def test_contrast_is_checked_once_for_texts_styled_alike(chromium):
    rows = "".join(f"<tr><td class='note'>Action {n}</td></tr>" for n in range(50))
    context = browser.new_context(chromium)
    try:
        checked = _pages(context, {
            "/table/": _page("Table", f"<table><caption>Actions</caption>{rows}</table>"),
            "/again/": _page("Table", f"<table><caption>Actions</caption>{rows}</table>"),
        })  # fmt: skip
        checked.start("/table/")
        # The heading, the caption and one cell: not fifty cells.
        assert len(checked.contrast_checked) == 3
        checked.start("/again/")
        assert len(checked.contrast_checked) == 3
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_coordinators_dashboard_and_review_page_pass_in_either_chromium(browser_page, chromium):
    review = ReviewDecisionPendingFactory()
    coordinator = MembershipFactory(partnership=review.partnership, role=Role.COORDINATOR).user
    browser_page.start("/account/sign-in/")
    sign_in(browser_page, coordinator)
    expect(browser_page.page.locator("#waiting-for-you")).to_have_count(1)
    open_review(browser_page, review.public_title)

"""The axe-core check every browser test relies on finds what it should: a page with faults
fails it, and the same page with them mended passes."""

import pytest

from reviews.tests import browser

pytestmark = pytest.mark.browser

chromium = browser.chromium

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

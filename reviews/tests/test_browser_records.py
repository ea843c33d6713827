"""The whole record for an information request, clicked through in a real Chromium with a real
Celery worker, axe on every page: a chair asks for it on the History tab, watches the worker
make it, and downloads the zip."""

import zipfile

import pytest
from playwright.sync_api import expect

from dhr.tests.queue import empty_queue, real_worker
from reviews.tests.factories import ReviewReadyToSignOffFactory
from reviews.tests.test_browser_journey import follow, open_review, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.worker]


MADE_MS = 60_000


def test_a_chair_has_the_whole_record_made_and_downloads_it(browser_page, people, tmp_path):
    bp, page = browser_page, browser_page.page
    empty_queue()
    review = ReviewReadyToSignOffFactory(partnership=people.home)
    bp.start("/account/sign-in/")
    sign_in(bp, people.chair)
    open_review(bp, review.public_title)
    follow(bp, "History")
    with real_worker():
        press(bp, "Make the whole record (zip, OFFICIAL-SENSITIVE), for an information request")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"The whole record of {review.public_title}"
        )
        expect(page.get_by_text("Your file is ready")).to_be_visible(timeout=MADE_MS)
        page.wait_for_load_state("load")
        if bp.loads > bp.checked:  # the page reloaded itself when the file was made
            bp.check()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download {review.reference}-whole-record").click()
    saved = tmp_path / "record.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert archive.read("README.txt").decode().startswith("OFFICIAL-SENSITIVE")
    follow(bp, "Back")
    expect(page.get_by_role("heading", level=2, name="History")).to_be_visible()

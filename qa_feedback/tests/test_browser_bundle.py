"""The publishable PDF clicked through in a real Chromium with a real Celery worker, axe on every
page: the coordinator asks for the final PDF and watches its progress; the anonymity check
blocks it on a real name left in the report and says where; a chair accepts that finding with a
reason; the coordinator builds it again, watches it finish and downloads it."""

import re

import pytest
from playwright.sync_api import expect

from dhr.tests.queue import empty_queue, real_worker
from qa_feedback.models import PublicationBundle
from qa_feedback.tests.factories import (
    OVERVIEW,
    DraftLetterFactory,
    QALetterFactory,
    ready_to_publish,
)
from reviews.tests.factories import ReviewRevisingFactory
from reviews.tests.test_browser_journey import (
    follow,
    go,
    open_review,
    press,
    sign_in,
    sign_out,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


BUILD_SECONDS = 90_000  # ms: a build takes a few seconds; a loaded CI machine, longer


def _settled(bp) -> None:
    """Once the page has reloaded itself (the build finished), check the page it shows."""
    if bp.loads > bp.checked:
        bp.check()


def _watch_until_finished(bp, text: str) -> None:
    """The progress box is shown while the worker builds; the page reloads when it is done."""
    page = bp.page
    expect(page.get_by_text(text)).to_be_visible(timeout=BUILD_SECONDS)
    page.wait_for_load_state("load")
    _settled(bp)


@pytest.mark.worker
def test_building_watching_and_downloading_the_publishable_pdf(browser_page, people, tmp_path):
    bp, page = browser_page, browser_page.page
    review = ready_to_publish(
        people.home, overview=[*OVERVIEW, ("p", "Dr Varga, the consultant, gave evidence.")]
    )
    empty_queue()  # no earlier test's messages for this test's worker
    with real_worker():
        bp.start("/account/sign-in/")
        sign_in(bp, people.coordinator)
        open_review(bp, review.public_title)
        follow(bp, "Home Office QA")
        follow(bp, "Publishable PDF: build it, check its anonymity, download it")
        press(bp, "Build the final PDF")
        expect(page.get_by_role("alert")).to_contain_text("Final PDF, version 1 is being built")
        # While the worker builds, the page shows how far it has got, then reloads itself.
        progress = page.get_by_role("status")
        if PublicationBundle.objects.get().state in ("queued", "running"):
            expect(progress).to_contain_text("% done")
        _watch_until_finished(bp, "Final PDF, version 1 was not built")
        expect(page.get_by_role("alert")).to_contain_text(
            "The anonymity check found 1 confidential value"
        )
        findings = page.locator("#findings + table")
        expect(findings).to_contain_text("The perpetrator's real name (in part): Varga")
        expect(findings).to_contain_text("Overview report")
        expect(findings).to_contain_text("[Varga]")
        sign_out(bp)

        sign_in(bp, people.chair)
        open_review(bp, review.public_title)
        follow(bp, "Home Office QA")
        follow(bp, "Publishable PDF: build it, check its anonymity, download it")
        page.get_by_role("link", name=re.compile(r"^Accept")).click()
        page.wait_for_load_state("load")
        bp.check()
        press(bp, "Accept it")  # no reason: the error is explained
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter why this may stay in the published report"
        )
        page.get_by_label("Why may this stay in the published report?").fill(
            "Dr Varga is the consultant psychiatrist, not the perpetrator."
        )
        press(bp, "Accept it")
        expect(page.get_by_role("alert", name="Success")).to_contain_text("Accepted")
        expect(page.locator("#findings + table")).to_contain_text("Accepted by")
        sign_out(bp)

        sign_in(bp, people.coordinator)
        open_review(bp, review.public_title)
        follow(bp, "Home Office QA")
        follow(bp, "Publishable PDF: build it, check its anonymity, download it")
        press(bp, "Build the final PDF")
        link = page.get_by_role("link", name="Download final pdf, version 2")
        expect(link).to_be_visible(timeout=BUILD_SECONDS)  # once the page has reloaded itself
        page.wait_for_load_state("load")
        _settled(bp)
        with page.expect_download() as download:
            link.click()
        saved = tmp_path / "bundle.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF-")
        assert download.value.suggested_filename == f"{review.reference}-final-v2.pdf"


def test_the_pages_around_the_pdf_and_the_learning_page_pass_axe(browser_page, people):
    """Adding a term to the anonymity check (with its errors), writing a report in the app,
    discarding a letter being checked, and the partnership's learning from its letters."""
    bp, page = browser_page, browser_page.page
    review = ReviewRevisingFactory(partnership=people.home)
    QALetterFactory(review=review)
    draft = DraftLetterFactory(review__partnership=people.home)

    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    open_review(bp, review.public_title)
    follow(bp, "Home Office QA")
    follow(bp, "Publishable PDF: build it, check its anonymity, download it")
    follow(bp, "Add a name, address or other term")
    page.get_by_label("What to look for").fill("ab")
    press(bp, "Add it")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select what it is")
    expect(summary).to_contain_text("What to look for must be 3 characters or more")
    page.get_by_role("group", name="What is it?").get_by_label("An address").check()
    page.get_by_label("What to look for").fill("14 Larch Crescent")
    press(bp, "Add it")
    expect(page.locator("#terms ~ ul")).to_contain_text("An address: 14 Larch Crescent")
    go(bp, page.get_by_role("link", name=re.compile(r"^write it here\s*: the overview report$")))
    page.get_by_label("The text").fill("# Introduction\n\nWritten in the app.")
    press(bp, "Save")
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Overview report saved")
    expect(page.get_by_role("listitem").filter(has_text="Overview report:")).to_contain_text(
        "written here"
    )
    follow(bp, "Dashboard")
    follow(bp, f"Learning from QA letters: {people.home.name}")
    expect(page.get_by_role("table")).to_contain_text("Language and victim focus")

    open_review(bp, draft.review.public_title)
    follow(bp, "Home Office QA")
    follow(bp, "Finish checking it")
    follow(bp, "Discard this letter")
    press(bp, "Discard the letter")
    expect(page.get_by_role("alert", name="Success")).to_contain_text("The letter was discarded")

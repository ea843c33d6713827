"""Importing a tracker and reading the report, clicked through in a real Chromium with a real
Celery worker, axe on every page: the coordinator downloads the template, uploads the tracker,
reads the preview, is stopped until the new agencies are confirmed, imports, watches the job
finish, reads the report, chooses a period (with a wrong one first), has the worker make the PDF,
watches it and downloads it, and opens the analytics."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dhr.models import Role
from dhr.tests.queue import empty_queue, real_worker
from reviews.tests.factories import MembershipFactory, PartnershipFactory
from reviews.tests.test_browser_journey import follow, go, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.worker]


NORTHVALE = Path(__file__).parent / "trackers" / "northvale.csv"
IMPORT_MS = 60_000


def _expect_figures(page, section: str, label: str, figures: list[str]) -> None:
    """The figures (count, and percent where there is one) of a row of a section's table, as
    shown: their inner text, without each cell's column name, which shows only on a phone."""
    table = page.locator(f"h2#{section} + .govuk-grid-row table")
    row = table.locator("tr", has=page.get_by_role("rowheader", name=label, exact=True))
    expect(row.locator("td")).to_have_text(figures, use_inner_text=True)


def test_importing_a_tracker_and_reading_its_report(browser_page, tmp_path):
    bp, page = browser_page, browser_page.page
    partnership = PartnershipFactory(name="Northvale CSP", slug="northvale")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user

    empty_queue()  # no earlier test's messages for this test's worker
    with real_worker():
        bp.start("/account/sign-in/")
        sign_in(bp, coordinator)
        follow(bp, "Tracker report: Northvale CSP")
        _expect_figures(page, "recommendations", "Recommendations in total", ["0", ""])
        follow(bp, "Import an existing tracker")
        with page.expect_download() as template:
            page.get_by_role("link", name="download the template (Excel)").click()
        assert template.value.suggested_filename == "tracker-template.xlsx"

        # A file that is not a tracker is refused on the page.
        wrong = tmp_path / "notes.csv"
        wrong.write_text("name,notes\nAnna,none\n")
        page.get_by_label("Upload your tracker").set_input_files(str(wrong))
        press(bp, "Check the file")
        expect(page.get_by_role("alert")).to_contain_text("Missing: review_reference")

        page.get_by_label("Upload your tracker").set_input_files(str(NORTHVALE))
        press(bp, "Check the file")
        expect(page.get_by_role("heading", level=1)).to_have_text("Import of northvale.csv")
        expect(page.get_by_text("14 rows read")).to_be_visible()
        new_agencies = page.locator("#new-agencies + p + ul")
        expect(new_agencies).to_contain_text("Northvale Police")
        expect(new_agencies.locator("li")).to_have_count(8)

        # Importing without confirming the new agencies is refused, with the reason.
        press(bp, "Import")
        expect(page.get_by_role("alert")).to_contain_text("Confirm the new agencies")
        page.get_by_label("Add the 8 new agencies listed above").check()
        press(bp, "Import")
        expect(page.get_by_role("heading", name="Tracker imported")).to_be_visible(
            timeout=IMPORT_MS
        )
        page.wait_for_load_state("load")
        if bp.loads > bp.checked:  # the page reloaded itself when the job finished
            bp.check()
        follow(bp, "Read the tracker report")

    _expect_figures(page, "recommendations", "Recommendations in total", ["11", ""])
    _expect_figures(page, "by_status", "Completed", ["4", "36%"])
    _expect_figures(page, "by_lead_agency", "Northvale Police", ["3", "27%"])
    _expect_figures(page, "awaiting_by_lead_agency", "Home Office", ["1", "33%"])
    expect(page.locator("svg.app-chart")).to_have_count(7)

    # A period that ends before it starts is refused, the dates kept.
    page.get_by_text("Choose the period for the review figures").click()
    first = page.get_by_role("group", name="First day of the period")
    last = page.get_by_role("group", name="Last day of the period")
    for group, (d, m, y) in ((first, ("1", "4", "2026")), (last, ("31", "3", "2026"))):
        group.get_by_label("Day").fill(d)
        group.get_by_label("Month").fill(m)
        group.get_by_label("Year").fill(y)
    press(bp, "Show this period")
    expect(page.get_by_role("alert")).to_contain_text("must be on or after the first day")
    expect(last.get_by_label("Day")).to_have_value("31")
    last.get_by_label("Year").fill("2027")
    press(bp, "Show this period")
    expect(page.get_by_text("1 April 2026 to 31 March 2027")).to_be_visible()
    # Imported reviews have no dates: none falls in a dated period.
    _expect_figures(page, "reviews", "Published", ["0"])

    # The PDF is made by the worker: its page shows the progress, then the download.
    with real_worker():
        press(bp, "Make the PDF")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Tracker report for")
        expect(page.get_by_text("Your file is ready")).to_be_visible(timeout=IMPORT_MS)
        page.wait_for_load_state("load")
        if bp.loads > bp.checked:  # the page reloaded itself when the file was made
            bp.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download tracker-report-northvale").click()
    assert download.value.suggested_filename == "tracker-report-northvale-OFFICIAL-SENSITIVE.pdf"
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Recommendations in total 11" in text
    assert "Northvale Police 3 27%" in text
    assert "1 April 2026 to 31 March 2027" in text
    # Back to the report, for the same period.
    follow(bp, "Back")
    expect(page.get_by_text("1 April 2026 to 31 March 2027")).to_be_visible()

    follow(
        bp,
        "Analytics across reviews: themes over time, repeated recommendations, "
        "overdue agencies, timeliness",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Analytics across reviews")
    expect(page.locator("#overdue + table")).to_contain_text("Northvale NHS Foundation Trust")
    go(bp, page.get_by_role("link", name="Tracker report", exact=True))

"""The multi-agency chronology, clicked through in a real Chromium with axe on every page: the
coordinator goes from the review to its agency reports and the chronology, sends the form empty
(the errors), uploads the police's file (a bad row listed by its number) and the GP's (the event
both reported flagged), filters by a person and clears the filter."""

import csv
import io

import pytest
from playwright.sync_api import expect

from reviews import chronology
from reviews.tests.factories import ReviewAgencyReportsFactory
from reviews.tests.test_browser_journey import follow, open_review, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Fictional events.
POLICE = [
    ["14/03/2024", "23:10", "", "Incident log", "Police called by Anna", "Anna, Ben", ""],
    ["02/05/2024", "", "", "Custody record", "Ben arrested for criminal damage", "Ben", ""],
    ["31/02/2024", "", "", "Incident log", "Neighbour reported shouting", "Anna", ""],
]  # fmt: skip
GP = [
    ["14/03/2024", "", "", "GP record", "Police called by Anna, GP told", "Anna", ""],
    ["20/03/2024", "", "", "GP record", "Anna saw the GP about sleeping badly", "Anna", ""],
]  # fmt: skip


def _file(name: str, rows) -> dict:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _, header, _ in chronology.COLUMNS])
    writer.writerows(rows)
    return {"name": name, "mimeType": "text/csv", "buffer": out.getvalue().encode()}


def _upload(bp, agency: str, file: dict) -> None:
    bp.page.get_by_label("Agency", exact=True).select_option(label=agency)
    bp.page.get_by_label("The chronology").set_input_files(file)
    press(bp, "Upload chronology")


def test_a_coordinator_uploads_two_agencies_chronologies_and_filters_the_merge(
    browser_page, people
):
    bp, page = browser_page, browser_page.page
    review = ReviewAgencyReportsFactory(partnership=people.home)
    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    open_review(bp, review.public_title)
    follow(bp, "Agency reports (IMRs)")
    follow(bp, "Multi-agency chronology")
    expect(page.get_by_text("No chronologies received yet.")).to_be_visible()

    press(bp, "Upload chronology")  # nothing chosen
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the agency whose chronology this is")
    expect(summary).to_contain_text("Select the chronology file to upload")

    _upload(bp, people.involved_agency.name, _file("police.csv", POLICE))
    expect(page.get_by_role("alert")).to_contain_text(
        "Chronology from Involved Agency uploaded: 2 rows read, 1 row to correct"
    )
    expect(page.locator("#chronology-files")).to_contain_text(
        "Row 4: the date 31/02/2024 is not a real date"
    )
    _upload(bp, people.other_agency.name, _file("gp.csv", GP))
    expect(page.get_by_text("4 events from 2 agencies.")).to_be_visible()
    rows = page.locator("#chronology tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Also reported by Other")
    expect(rows.nth(1)).to_contain_text("Also reported by Involved Agency")

    page.get_by_label("Filter by person involved").select_option("Ben")
    press(bp, "Apply filters")
    expect(rows).to_have_count(2)
    expect(page.locator("#chronology caption")).to_contain_text("2 of 4 events")
    follow(bp, "Clear filters")
    expect(rows).to_have_count(4)

"""The Home Office QA letter clicked through in a real Chromium, with axe on every page, error
pages included: the coordinator pastes (or uploads) the panel's letter, checks what the app read
from it and records it; revises the report and answers every point; a chair approves the report
for publication; the coordinator ticks the steps the letter asks for, records the copy to the
Domestic Abuse Commissioner (the final PDF checked by the service) and records the publication."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect

from qa_feedback.models import ChecklistItem, PublicationBundle, QALetter, QAPoint
from qa_feedback.tests.files import pdf_file
from qa_feedback.tests.test_parser import sample
from reviews.models import Status
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import ReviewSubmittedFactory
from reviews.tests.test_browser_clocks import error_summary_shows, long_date
from reviews.tests.test_browser_journey import (
    fill_date,
    follow,
    go,
    move_on,
    open_review,
    press,
    sign_in,
    sign_out,
    stage,
    summary_value,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser fixtures (see reviews/tests/browser.py).

LETTER = sample("qa-letter-2023.txt")  # 9 points, dated 18 October 2023, panel 6 September 2023
UNDATED = LETTER.replace("18 October 2023\n", "", 1)  # the same letter, its date line lost
NOTIFIED = date(2022, 11, 7)
LETTER_DATE = date(2023, 10, 18)
PANEL_DATE = date(2023, 9, 6)
RECEIVED = date(2023, 10, 20)
REVISING = date(2023, 10, 23)
APPROVED = date(2023, 12, 4)
STEPS_DONE = date(2024, 1, 12)
PUBLISHED = date(2024, 1, 15)
WEB_LINK = "https://www.example.gov.uk/community-safety/dhr-dora"
SIGNATORY = "Lesley Example, Chair of the Home Office DHR Quality Assurance Panel"
# The publication steps the 2023 letter asks for, in the checklist's order; those ticked.
LETTER_STEPS = [
    ChecklistItem(key).label
    for key in ("home_office", "commissioner", "letter_annexed", "action_plan_annexed", "one_pdf")
]
TICKED_STEPS = [
    (key, ChecklistItem(key).label)
    for key in ("home_office", "letter_annexed", "action_plan_annexed")
]

# How each of the letter's points starts, in the order the letter gives them.
POINT_OPENINGS = [
    "It would be helpful to make a final check on the draft",
    '5.1.17 states "It is not understood at this stage',
    "5.2.1.12 The terms of reference might be trimmed down",
    "15.1.14 states: Dora had prosecuted Neil",
    "Section 15.4 analysis of Northvale and Eastfield",
    "It would have been good to see more probing of the prison service",
    "There is a specific recommendation around information-sharing",
    "The Panel felt that the Action Plan could be strengthened",
    "As a drafting point, some Panel members found the Action Plan",
]
NOT_ACCEPTED = 3  # the point the partnership does not take up


@pytest.fixture
def review(people):
    return ReviewSubmittedFactory(partnership=people.home, notified_on=NOTIFIED)


# What the coordinator does on the QA pages, each step ending on a page that has passed axe.


def point_group(bp: CheckedPage, name: str) -> Locator:
    """On "Check the letter": the fieldset of one point ("Point 3", or "Add a point")."""
    return bp.page.get_by_role("group", name=name, exact=True)


def expect_date(bp: CheckedPage, legend: str, day: date | None) -> None:
    """The date input shows this date (or is empty)."""
    group = bp.page.get_by_role("group", name=legend, exact=True)
    parts = (str(day.day), str(day.month), str(day.year)) if day else ("", "", "")
    for label, value in zip(("Day", "Month", "Year"), parts, strict=True):
        expect(group.get_by_label(label)).to_have_value(value)


def error_group(field: Locator) -> Locator:
    """The GOV.UK form group, marked as in error, around a field."""
    return field.locator(
        "xpath=ancestor::div[contains(concat(' ', @class, ' '), ' govuk-form-group--error ')]"
    )


def open_qa_tab(bp: CheckedPage, title: str) -> None:
    open_review(bp, title)
    follow(bp, "Home Office QA")
    expect(bp.page.get_by_role("heading", level=2, name="Home Office QA")).to_be_visible()


def start_recording_the_letter(bp: CheckedPage, title: str) -> None:
    open_qa_tab(bp, title)
    expect(bp.page.get_by_text("No letter from the Home Office QA panel")).to_be_visible()
    press(bp, "Record the Home Office QA letter")
    expect(bp.page.get_by_role("heading", level=1)).to_have_text("Record the Home Office QA letter")


def read_pasted_letter(bp: CheckedPage) -> None:
    bp.page.get_by_label("Paste the letter's text").fill(LETTER)
    press(bp, "Read the letter")
    expect(bp.page.get_by_role("alert")).to_contain_text(
        "The letter was read: 9 points found. Check them."
    )
    expect(bp.page.get_by_role("heading", level=1)).to_have_text("Check the letter")


def expect_the_letter_proposed(bp: CheckedPage) -> None:
    """The check page offers the letter's dates, decision, signatory and nine points, and one
    empty point at the end to add any the app missed."""
    page = bp.page
    expect_date(bp, "Date of the letter", LETTER_DATE)
    expect_date(bp, "Date of the panel meeting", PANEL_DATE)
    expect_date(bp, "Date the letter was received", None)
    expect(
        page.get_by_role("group", name="What did the panel decide?").get_by_label(
            "May be published once revised"
        )
    ).to_be_checked()
    expect(page.get_by_label("Signed by")).to_have_value(SIGNATORY)
    expect(page.get_by_label("Good practice the panel commends")).to_have_value(
        re.compile("Recommendations 8 and 11 were also flagged")
    )
    texts = page.get_by_label("What the panel says")
    expect(texts).to_have_count(len(POINT_OPENINGS) + 1)
    for n, opening in enumerate(POINT_OPENINGS, start=1):
        expect(point_group(bp, f"Point {n}").get_by_label("What the panel says")).to_have_value(
            re.compile("^" + re.escape(opening))
        )
    expect(point_group(bp, "Point 1").get_by_label("What the panel says")).to_have_value(
        re.compile("GPs were recently trained")  # the Markdown emphasis is gone
    )
    expect(
        point_group(bp, "Point 2").get_by_label("Paragraphs of the report it names")
    ).to_have_value("5.1.17")
    expect(point_group(bp, "Point 4").get_by_label("Category")).to_have_value("language")
    expect(point_group(bp, "Point 6").get_by_label("Category")).to_have_value("agency")
    expect(point_group(bp, "Add a point").get_by_label("What the panel says")).to_have_value("")


def respond(bp: CheckedPage, number: int, status: str, response: str, owner: str = "") -> None:
    """On the letter's page: answer one point and come back to the letter."""
    page = bp.page
    follow(bp, f"Respond to point {number}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Point {number}: the response")
    page.get_by_role("group", name="Where is this point?").get_by_label(status, exact=True).check()
    page.get_by_label("Response", exact=True).fill(response)
    if owner:
        page.get_by_label("Who will address it").fill(owner)
    press(bp, "Save the response")
    expect(page.get_by_role("alert")).to_contain_text(f"Point {number} saved")
    card = page.locator(f"#point-{number}")
    expect(card.locator(".govuk-tag")).to_have_text(status)
    expect(card).to_contain_text(response)


def test_a_qa_letter_from_its_text_to_the_published_report(browser_page, people, review):
    bp, page = browser_page, browser_page.page
    title = review.public_title

    # 1. The coordinator pastes the letter and the app reads it.
    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    start_recording_the_letter(bp, title)
    read_pasted_letter(bp)
    expect_the_letter_proposed(bp)

    # 2. ... checks it, corrects a category, and records it.
    point_group(bp, "Point 6").get_by_label("Category").select_option(
        "Recommendations and action plan"
    )
    fill_date(bp, "Date the letter was received", RECEIVED)
    press(bp, "Record the letter")
    expect(page.get_by_role("alert")).to_contain_text("Letter recorded with 9 points to address")
    expect(
        page.get_by_role("heading", level=2, name="Home Office QA letter of 18 October 2023")
    ).to_be_visible()
    expect(summary_value(bp, "Panel decided")).to_have_text("May be published once revised")
    expect(summary_value(bp, "Panel meeting")).to_have_text("6 September 2023")
    expect(summary_value(bp, "Received")).to_have_text("20 October 2023")
    expect(summary_value(bp, "Signed by")).to_have_text(SIGNATORY)
    expect(page.locator("#progress")).to_have_text("0 of 9 addressed")
    expect(page.locator(".govuk-summary-card")).to_have_count(9)
    expect(page.locator("#point-6")).to_contain_text("Recommendations and action plan")
    expect(page.locator("#point-4")).to_contain_text("Language and victim focus")
    for n in range(1, 10):
        expect(page.locator(f"#point-{n} .govuk-tag")).to_have_text("Open")

    # 3. The review is at "QA feedback received"; the coordinator starts revising the report.
    follow(bp, "Back to Home Office QA")
    expect(stage(bp)).to_have_text("QA feedback received")
    expect(summary_value(bp, "Points answered")).to_have_text("0 of 9 addressed")
    move_on(bp, "Start revising the report", REVISING, "Date revision started")
    expect(stage(bp)).to_have_text("Revising after QA")
    # The panel may see it published once revised: nothing asks for it to be resubmitted.
    expect(page.locator("main")).not_to_contain_text(re.compile("resubmit", re.IGNORECASE))
    # Nor is the chair waited for yet: the points are the coordinator's to answer first.
    expect(page.get_by_role("listitem").filter(has_text="A CSP chair to ")).to_have_count(0)

    # 4. ... and answers every point: eight addressed, one not accepted with the reason.
    follow(bp, "Home Office QA")
    follow(bp, "See the points and their responses")
    for n in range(1, 10):
        if n == NOT_ACCEPTED:
            respond(
                bp,
                n,
                "Not accepted",
                "The terms of reference were agreed with the family and stay as they are.",
            )
        else:
            respond(
                bp,
                n,
                "Addressed",
                f"Revised in the report: see the changes listed for point {n}.",
                owner="The independent chair and author",
            )
    expect(page.locator("#progress")).to_have_text(
        "9 of 9 addressed (1 not accepted, with the reason)"
    )
    expect(page.locator("#point-1")).to_contain_text("The independent chair and author")
    follow(bp, "Back to Home Office QA")
    expect(summary_value(bp, "Points answered")).to_have_text(
        "9 of 9 addressed (1 not accepted, with the reason)"
    )
    sign_out(bp)

    # 5. A chair approves the report for publication.
    sign_in(bp, people.chair)
    open_review(bp, title)
    expect(stage(bp)).to_have_text("Revising after QA")
    move_on(bp, "Approve the report for publication", APPROVED, "Date approved")
    expect(stage(bp)).to_have_text("Approved for publication")
    sign_out(bp)

    # 6. The checklist is the letter's own: the web link, the Commissioner's copy, one PDF under
    # 20 MB, the letter and the action plan annexed. The coordinator ticks the steps the
    # service cannot check, records the Commissioner's copy, and the final PDF (built by the
    # worker: see test_browser_bundle) is checked by the service.
    PublicationBundle.objects.create(
        review=review, number=1, final=True, state=PublicationBundle.State.DONE,
        size=4_200_000, pages=88, requested_by=people.coordinator, finished_at=timezone.now(),
    )  # fmt: skip
    sign_in(bp, people.coordinator)
    open_qa_tab(bp, title)
    checklist = page.locator("#checklist")
    rows = checklist.locator(".govuk-summary-list__row")
    expect(rows.locator(".govuk-summary-list__key")).to_have_text(
        [
            re.compile(rf"^\s*{re.escape(label)}\s+Asked for in the letter\s*$")
            for label in LETTER_STEPS
        ]
    )
    expect(checklist.get_by_text("Not done", exact=True)).to_have_count(4)
    pdf_row = checklist.locator('[data-step="one_pdf"]')
    expect(pdf_row).to_contain_text("Done")
    expect(pdf_row).to_contain_text("4.2 MB, built by the service")
    expect(pdf_row.get_by_role("link")).to_have_count(0)  # checked, not ticked
    today = timezone.localdate()
    for key, label in TICKED_STEPS:
        # The link's hidden text names the step (GOV.UK's hidden-text spacing around the colon).
        go(bp, page.get_by_role("link", name=re.compile(rf"^Mark as done\W+{re.escape(label)}$")))
        expect(page.get_by_role("heading", level=1)).to_have_text(label)
        expect_date(bp, "Date it was done", today)  # offered, changed to when it was done
        fill_date(bp, "Date it was done", STEPS_DONE)
        page.get_by_label("Note (optional)").fill(f"Step {key} done")
        press(bp, "Mark as done")
        expect(page.get_by_role("alert")).to_contain_text(f"Done: {label}")
        row = checklist.locator(f'[data-step="{key}"]')
        expect(row.locator(".govuk-summary-list__value")).to_contain_text(
            f"Done {long_date(STEPS_DONE)}"
        )
    commissioner = checklist.locator('[data-step="commissioner"]')
    go(bp, commissioner.get_by_role("link", name=re.compile(r"^Record the copy")))
    expect(
        page.get_by_role("heading", level=2, name="Copies of the approved report")
    ).to_be_visible()
    go(bp, page.locator("#commissioner-copy").get_by_role("link", name=re.compile("^Record it")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Copy to the Domestic Abuse Commissioner"
    )
    fill_date(bp, "Date it was sent", STEPS_DONE)
    page.get_by_label("By email").check()
    press(bp, "Save")
    expect(page.get_by_role("alert")).to_contain_text(
        "Recorded: Copy to the Domestic Abuse Commissioner"
    )
    follow(bp, "Back to the publication checklist")
    expect(commissioner).to_contain_text(f"Done {long_date(STEPS_DONE)}")
    expect(checklist.get_by_text("Not done", exact=True)).to_have_count(0)
    press(bp, "Record the publication")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the publication")
    fill_date(bp, "Date the report was published", PUBLISHED)
    page.get_by_label("Web link to the published report").fill(WEB_LINK)
    press(bp, "Record the publication")
    expect(page.get_by_role("alert")).to_contain_text("Publication recorded")
    expect(stage(bp)).to_have_text("Published")

    follow(bp, "Home Office QA")
    expect(page.get_by_text("Published on 15 January 2024")).to_be_visible()
    expect(page.get_by_role("link", name=WEB_LINK)).to_have_attribute("href", WEB_LINK)

    review.refresh_from_db()
    assert review.status == Status.PUBLISHED
    assert review.published_on == PUBLISHED
    assert review.published_url == WEB_LINK
    letter = review.qa_letters.get()
    assert letter.state == QALetter.State.RECORDED
    assert letter.received_on == RECEIVED
    statuses = list(letter.points.order_by("number").values_list("status", flat=True))
    assert statuses == [
        QAPoint.Status.NOT_ACCEPTED if n == NOT_ACCEPTED else QAPoint.Status.ADDRESSED
        for n in range(1, 10)
    ]
    assert letter.points.get(number=6).category == "recommendations"


def test_bad_input_on_the_letter_shows_the_errors_keeps_the_answers_and_records_nothing(
    browser_page, people, review
):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    start_recording_the_letter(bp, review.public_title)

    # 1. Nothing pasted, nothing uploaded.
    press(bp, "Read the letter")
    error_summary_shows(bp, "Paste the letter's text or upload its file")
    text = page.get_by_label("Paste the letter's text")
    expect(error_group(text)).to_contain_text("Paste the letter's text or upload its file")
    page.locator(".govuk-error-summary").get_by_role("link").click()
    expect(text).to_be_focused()

    # 2. The letter read, the coordinator blanks a point and gives paragraphs that are not.
    read_pasted_letter(bp)
    fill_date(bp, "Date the letter was received", RECEIVED)
    page.get_by_label("Signed by").fill("Lesley Example")
    point_group(bp, "Point 2").get_by_label("Paragraphs of the report it names").fill("abc")
    point_group(bp, "Point 3").get_by_label("What the panel says").fill("")
    point_group(bp, "Point 5").get_by_label("Category").select_option("Other")
    press(bp, "Record the letter")

    messages = {
        "Enter the paragraphs point 2 names as numbers like 5.1.17, separated by commas": (
            point_group(bp, "Point 2").get_by_label("Paragraphs of the report it names")
        ),
        "Enter the text of point 3, or remove it": point_group(bp, "Point 3").get_by_label(
            "What the panel says"
        ),
    }
    error_summary_shows(bp, *messages)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the letter")
    for message, field in messages.items():
        expect(error_group(field)).to_contain_text(message)
        expect(field).to_have_attribute("aria-invalid", "true")
        page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
        expect(field).to_be_focused()

    # What the coordinator gave, and what the app read, is all still there.
    expect_date(bp, "Date the letter was received", RECEIVED)
    expect_date(bp, "Date of the letter", LETTER_DATE)
    expect(page.get_by_label("Signed by")).to_have_value("Lesley Example")
    expect(
        point_group(bp, "Point 2").get_by_label("Paragraphs of the report it names")
    ).to_have_value("abc")
    expect(point_group(bp, "Point 3").get_by_label("What the panel says")).to_have_value("")
    expect(point_group(bp, "Point 5").get_by_label("Category")).to_have_value("other")
    expect(point_group(bp, "Point 1").get_by_label("What the panel says")).to_have_value(
        re.compile("^" + re.escape(POINT_OPENINGS[0]))
    )
    expect(point_group(bp, "Point 9").get_by_label("What the panel says")).to_have_value(
        re.compile("^" + re.escape(POINT_OPENINGS[8]))
    )
    expect(page.get_by_label("What the panel says")).to_have_count(10)

    # Nothing was recorded: the letter is still being checked and the review has not moved.
    review.refresh_from_db()
    assert review.status == Status.SUBMITTED
    assert review.qa_feedback_received_on is None
    letter = review.qa_letters.get()
    assert letter.state == QALetter.State.DRAFT
    assert letter.received_on is None
    assert letter.signatory == SIGNATORY
    assert letter.points.count() == 9
    assert letter.points.get(number=3).text.startswith(POINT_OPENINGS[2])

    go(bp, page.get_by_role("link", name="Back", exact=True))
    expect(stage(bp)).to_have_text("Submitted to Home Office QA")
    expect(page.get_by_text("A letter is being checked (dated 18 October 2023)")).to_be_visible()

    # 3. Coming back, the coordinator removes the blank point and corrects the paragraphs.
    follow(bp, "Finish checking it")
    fill_date(bp, "Date the letter was received", RECEIVED)
    point_group(bp, "Point 2").get_by_label("Paragraphs of the report it names").fill("5.1.17")
    point_group(bp, "Point 3").get_by_label(
        "Remove this point: it is not something to address"
    ).check()
    press(bp, "Record the letter")
    expect(page.get_by_role("alert")).to_contain_text("Letter recorded with 8 points to address")
    expect(page.locator("#progress")).to_have_text("0 of 8 addressed")
    expect(page.locator("#point-3")).to_contain_text(POINT_OPENINGS[3])
    review.refresh_from_db()
    assert review.status == Status.QA_FEEDBACK


def test_the_letter_uploaded_as_a_pdf_is_read_like_a_pasted_one(
    browser_page, people, review, tmp_path
):
    bp, page = browser_page, browser_page.page
    upload = tmp_path / "qa-letter-dora.pdf"
    upload.write_bytes(pdf_file(LETTER).read())

    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    start_recording_the_letter(bp, review.public_title)
    page.get_by_label("Or upload the letter").set_input_files(upload)
    press(bp, "Read the letter")
    expect(page.get_by_role("alert")).to_contain_text(
        "The letter was read: 9 points found. Check them."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the letter")
    expect(page.get_by_text("qa-letter-dora.pdf")).to_be_visible()
    expect_the_letter_proposed(bp)

    fill_date(bp, "Date the letter was received", RECEIVED)
    press(bp, "Record the letter")
    expect(page.get_by_role("alert")).to_contain_text("Letter recorded with 9 points to address")
    expect(summary_value(bp, "The letter as sent")).to_have_text("qa-letter-dora.pdf")
    expect(page.locator("#progress")).to_have_text("0 of 9 addressed")


def test_a_letter_whose_date_could_not_be_read_is_flagged_and_its_date_asked_for(
    browser_page, people, review
):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    sign_in(bp, people.coordinator)
    start_recording_the_letter(bp, review.public_title)
    page.get_by_label("Paste the letter's text").fill(UNDATED)
    press(bp, "Read the letter")
    expect(page.get_by_role("alert")).to_contain_text(
        "The letter was read: 9 points found. Check them."
    )

    # The page says plainly that the date could not be read, and asks for it.
    expect(page.locator("#date-unread")).to_contain_text(
        "The app could not read the date of the letter."
    )
    written = page.get_by_role("group", name="Date of the letter", exact=True)
    expect(written).to_contain_text("The app could not read it from the letter")
    expect_date(bp, "Date of the letter", None)
    expect_date(bp, "Date of the panel meeting", PANEL_DATE)  # what was read is offered

    # 1. Left empty, it is asked for; what the coordinator gave is kept.
    fill_date(bp, "Date the letter was received", RECEIVED)
    page.get_by_label("Signed by").fill("Lesley Example")
    press(bp, "Record the letter")
    error_summary_shows(bp, "Enter the date of the letter")
    day = written.get_by_label("Day")
    expect(error_group(day)).to_contain_text("Enter the date of the letter")
    expect(day).to_have_attribute("aria-invalid", "true")
    page.locator(".govuk-error-summary").get_by_role("link").click()
    expect(day).to_be_focused()
    expect(page.locator("#date-unread")).to_be_visible()  # still flagged
    expect_date(bp, "Date the letter was received", RECEIVED)
    expect(page.get_by_label("Signed by")).to_have_value("Lesley Example")

    # 2. A date before the review's notification is refused on the field, and kept.
    before = NOTIFIED - timedelta(days=1)
    fill_date(bp, "Date of the letter", before)
    press(bp, "Record the letter")
    too_early = f"The letter's date must be on or after the notification, {long_date(NOTIFIED)}"
    error_summary_shows(bp, too_early)
    expect(error_group(day)).to_contain_text(too_early)
    expect_date(bp, "Date of the letter", before)

    # 3. So is a date to come.
    tomorrow = timezone.localdate() + timedelta(days=1)
    fill_date(bp, "Date of the letter", tomorrow)
    press(bp, "Record the letter")
    error_summary_shows(bp, "The letter's date must be today or in the past")
    expect(error_group(day)).to_contain_text("The letter's date must be today or in the past")
    expect_date(bp, "Date of the letter", tomorrow)

    review.refresh_from_db()
    assert review.status == Status.SUBMITTED
    letter = review.qa_letters.get()
    assert (letter.state, letter.letter_date, letter.received_on) == (
        QALetter.State.DRAFT,
        None,
        None,
    )

    # 4. The date as the letter gives it: the letter is recorded with it.
    fill_date(bp, "Date of the letter", LETTER_DATE)
    press(bp, "Record the letter")
    expect(page.get_by_role("alert")).to_contain_text("Letter recorded with 9 points to address")
    expect(
        page.get_by_role("heading", level=2, name="Home Office QA letter of 18 October 2023")
    ).to_be_visible()
    letter.refresh_from_db()
    assert (letter.state, letter.letter_date) == (QALetter.State.RECORDED, LETTER_DATE)

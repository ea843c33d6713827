"""The QA pages through the test client: bad input on every form (a GOV.UK error summary, the
input kept, nothing saved, no 500), the whole flow's redirects and messages, what each page
shows, and the command-line parser."""

import html
import json
import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from qa_feedback.models import ChecklistItem, PublicationStep, QALetter, QAPoint
from qa_feedback.tests.factories import DraftLetterFactory, QAPointFactory, letter_with_points
from qa_feedback.tests.files import pdf_file, txt_file
from qa_feedback.tests.test_parser import LETTERS, SAMPLES, sample
from reviews.models import Status
from reviews.tests.factories import (
    ReviewApprovedFactory,
    ReviewRevisingFactory,
    ReviewSubmittedFactory,
)


def _date(prefix, day, month, year):
    return {f"{prefix}_0": str(day), f"{prefix}_1": str(month), f"{prefix}_2": str(year)}


def _summary(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    return html


def _check_data(letter, **overrides):
    data = {
        **_date("received_on", 20, 10, 2025),
        **_date("letter_date", 18, 10, 2025),
        **_date("panel_date", 6, 9, 2025),
        "signatory": "Panel chair",
        "outcome": "publish_after_revision",
        "good_practice": "",
        "slots": str(letter.points.count() + 1),
    }
    for n, point in enumerate(letter.points.all(), start=1):
        data[f"point_{n}_text"] = point.text
        data[f"point_{n}_paragraphs"] = ", ".join(point.paragraphs)
        data[f"point_{n}_recommendations"] = ""
        data[f"point_{n}_category"] = point.category
    n = letter.points.count() + 1
    data.update(
        {
            f"point_{n}_text": "",
            f"point_{n}_paragraphs": "",
            f"point_{n}_recommendations": "",
            f"point_{n}_category": "other",
        }
    )
    data.update(overrides)
    return data


# --- reading the letter


def test_reading_needs_text_or_a_file_not_both_and_keeps_what_was_pasted(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:add", args=[review.pk])
    html = _summary(client.post(url, {"text": "  "}))
    assert "Paste the letter&#x27;s text or upload its file" in html
    html = _summary(
        client.post(url, {"text": "Kept text of the letter", "file": txt_file("Dear Chair")})
    )
    assert "not both" in html
    assert "Kept text of the letter" in html
    html = _summary(client.post(url, {"file": txt_file("x", name="letter.exe")}))
    assert "must be a PDF, DOCX, ODT or text file" in html
    assert not QALetter.objects.exists()


def test_a_pasted_letter_goes_to_its_check_page(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    response = client.post(
        reverse("qa_feedback:add", args=[review.pk]),
        {"text": sample("qa-letter-2023.txt")},
        follow=True,
    )
    letter = QALetter.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "qa_feedback:check", args=[review.pk, letter.pk]
    )
    html = response.content.decode()
    assert "The letter was read: 9 points found. Check them." in html
    assert 'name="point_9_text"' in html
    assert 'name="point_10_text"' in html
    assert "Section 15.4 analysis of Northvale and Eastfield" in html


def test_an_uploaded_pdf_letter_is_read(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    client.post(
        reverse("qa_feedback:add", args=[review.pk]),
        {"file": pdf_file(sample("qa-letter-2014.txt"))},
    )
    letter = QALetter.objects.get()
    assert letter.points.count() == 3
    assert letter.original.original_name == "letter.pdf"


# --- checking and recording it


@pytest.fixture
def draft(people):
    letter = DraftLetterFactory(review__partnership=people.home)
    for number in (1, 2):
        QAPointFactory(letter=letter, number=number)
    return letter


def test_bad_input_on_the_check_page_is_explained_kept_and_not_saved(client, people, draft):
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    data = _check_data(
        draft,
        **_date("received_on", 1, 10, 2025),  # before the letter's own date
        **_date("panel_date", 30, 2, 2025),
        point_1_text="",
        point_2_paragraphs="abc",
        point_2_recommendations="eight",
        outcome="",
        signatory="Kept signatory",
    )
    html = _summary(client.post(url, data))
    for message in (
        "The date the letter was received must be on or after its date",
        "The date of the panel meeting must be a real date",
        "Enter the text of point 1, or remove it",
        "Enter the paragraphs point 2 names as numbers like 5.1.17, separated by commas",
        "Enter the recommendations point 2 names as whole numbers like 8, 11",
        "Select what the panel decided",
    ):
        assert escape(message) in html, re.findall(r"<li><a href=[^>]*>([^<]*)<", html)
    assert 'value="Kept signatory"' in html
    assert 'value="abc"' in html
    draft.refresh_from_db()
    assert draft.is_draft
    assert draft.review.status == Status.SUBMITTED


def test_a_removed_point_is_not_recorded_and_an_added_one_is(client, people, draft):
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    data = _check_data(
        draft,
        point_1_remove="on",
        point_3_text="A point the app missed: check 2.4.",
        point_3_paragraphs="2.4",
        point_3_recommendations="3 and 5",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft
    texts = list(draft.points.values_list("number", "text", "recommendation_numbers"))
    assert texts[0][0] == 1
    assert texts[0][1].startswith("Point")
    assert texts[1] == (2, "A point the app missed: check 2.4.", [3, 5])
    assert draft.review.status == Status.QA_FEEDBACK


def test_the_letters_history_shows_each_point_edited_removed_or_added(client, people):
    # 2:40pm UTC in December is 2:40pm in the UK (GMT).
    with time_machine.travel(datetime(2026, 12, 7, 14, 30, tzinfo=UTC), tick=False) as clock:
        draft = DraftLetterFactory(review__partnership=people.home)
        first, second, third = (QAPointFactory(letter=draft, number=n) for n in (1, 2, 3))
        client.force_login(people.coordinator)
        url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
        data = _check_data(
            draft,
            point_1_text="Reword paragraph 5.1 so that it speaks of her, not of the case.",
            point_2_remove="on",
            point_4_text="A point the app missed: check 2.4.",
        )
        clock.move_to(datetime(2026, 12, 7, 14, 40, tzinfo=UTC))
        assert client.post(url, data).status_code == 302
        page = client.get(reverse("qa_feedback:letter", args=[draft.review_id, draft.pk]))

    # The points the app read are kept where they were, renumbered; the removed one is gone.
    assert list(draft.points.values_list("pk", "number")) == [
        (first.pk, 1),
        (third.pk, 2),
        (draft.points.get(number=3).pk, 3),
    ]
    assert not QAPoint.objects.filter(pk=second.pk).exists()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    text = text[text.index("When Who What") :]
    for change in [
        f"Point 1 edited Text: {first.text} → "
        "Reword paragraph 5.1 so that it speaks of her, not of the case.",
        "Point 2 removed",
        "Point 2 edited Number: 3 → 2",
        "Point 3 added",
        "Letter recorded",
        "Recorded at: not set → 7 December 2026 at 2:40pm",
        "State: Being checked → Recorded",
        "Date the letter was received: not set → 20 October 2025",
    ]:
        assert change in text, change
    # A point the coordinator kept is not said to be removed and added again.
    assert "Point 1 removed" not in text
    assert text.count("Point 1 added") == 1  # when the app read it
    assert text.count("Point 3 added") == 2  # read; then the coordinator's new point 3


def test_add_another_point_offers_an_empty_one_and_saves_nothing(client, people, draft):
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    data = _check_data(draft, point_1_text="Edited, kept", add_point="1")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" not in html
    assert 'name="point_4_text"' in html
    assert "Edited, kept" in html
    draft.refresh_from_db()
    assert draft.is_draft
    assert not draft.points.filter(text="Edited, kept").exists()


def test_a_hostile_slot_count_is_bounded(client, people, draft):
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    for slots in ("100000", "-5", "many"):
        response = client.post(url, _check_data(draft, slots=slots))
        assert response.status_code in (200, 302)


def test_discarding_a_draft(client, people, draft):
    client.force_login(people.coordinator)
    response = client.post(reverse("qa_feedback:discard", args=[draft.review_id, draft.pk]))
    assert response.status_code == 302
    assert not QALetter.objects.exists()


def test_a_recorded_letters_check_page_sends_to_the_letter(client, people):
    letter = letter_with_points(ReviewRevisingFactory(partnership=people.home), 1)
    client.force_login(people.coordinator)
    response = client.get(reverse("qa_feedback:check", args=[letter.review_id, letter.pk]))
    assert response.status_code == 302
    assert response.url == reverse("qa_feedback:letter", args=[letter.review_id, letter.pk])


# --- answering the points


def test_the_letter_page_counts_answered_points_and_links_the_recommendations(client, people):
    from recommendations.tests.factories import RecommendationFactory

    review = ReviewRevisingFactory(partnership=people.home)
    letter = letter_with_points(review, 3)
    RecommendationFactory(review=review, number=8)
    letter.points.filter(number=1).update(
        status=QAPoint.Status.ADDRESSED, response="Reworded", recommendation_numbers=[8, 11]
    )
    client.force_login(people.chair)
    html = client.get(reverse("qa_feedback:letter", args=[review.pk, letter.pk])).content.decode()
    assert "1 of 3 addressed" in html
    assert "Recommendation 8</a>" in html
    assert "Recommendation 11 (not in the action plan)" in html
    assert "Respond" not in html  # a chair reads; the coordinator answers


def test_bad_input_on_a_response_is_explained_kept_and_not_saved(client, people):
    letter = letter_with_points(ReviewRevisingFactory(partnership=people.home), 1)
    point = letter.points.get()
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:point", args=[letter.review_id, point.pk])
    for status, message in (
        ("addressed", "Enter how the report was changed to address the point"),
        ("not_accepted", "Enter why the point is not accepted"),
        ("", "Select where this point is"),
    ):
        html = _summary(
            client.post(
                url,
                {"status": status, "response": "", "owner": "Kept owner", "category": "language"},
            )
        )
        assert escape(message) in html
        assert 'value="Kept owner"' in html
    html = _summary(
        client.post(url, {"status": "addressed", "response": "x" * 6001, "category": "language"})
    )
    assert "Response must be 6000 characters or fewer" in html
    point.refresh_from_db()
    assert point.status == QAPoint.Status.OPEN
    assert point.owner == ""


def test_a_response_is_saved_and_the_page_returns_to_the_point(client, people):
    letter = letter_with_points(ReviewRevisingFactory(partnership=people.home), 2)
    point = letter.points.get(number=2)
    client.force_login(people.coordinator)
    response = client.post(
        reverse("qa_feedback:point", args=[letter.review_id, point.pk]),
        {
            "status": "addressed",
            "response": "Paragraph 5.2 reworded.",
            "owner": "Author",
            "category": "language",
        },
    )
    assert response.url.endswith("#point-2")
    point.refresh_from_db()
    assert (point.status, point.response) == ("addressed", "Paragraph 5.2 reworded.")
    page = client.get(reverse("qa_feedback:letter", args=[letter.review_id, letter.pk]))
    [latest, *_] = page.context["history"]
    assert (latest.who, latest.what) == (str(people.coordinator), "Point 2 addressed")
    assert ("Status", "Open", "Addressed") in latest.changes


# --- publication


def test_ticking_a_step_with_a_bad_date_is_explained_and_not_saved(client, people):
    review = ReviewApprovedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:step", args=[review.pk, "home_office"])
    html = _summary(client.post(url, {**_date("done_on", 1, 1, 2999), "note": "Kept note"}))
    assert "The date it was done must be today or in the past" in html
    assert 'value="Kept note"' in html
    assert not PublicationStep.objects.exists()
    assert client.get(reverse("qa_feedback:step", args=[review.pk, "nonsense"])).status_code == 404


def test_ticking_and_unticking_a_step(client, people):
    review = ReviewApprovedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:step", args=[review.pk, "letter_annexed"])
    client.post(url, {**_date("done_on", 2, 3, 2026), "note": "Emailed"})
    step = PublicationStep.objects.get()
    assert (step.item, step.done_on, step.done_by) == (
        ChecklistItem.LETTER_ANNEXED,
        date(2026, 3, 2),
        people.coordinator,
    )
    html = client.get(reverse("qa_feedback:review", args=[review.pk])).content.decode()
    assert "2 March 2026 by" in html
    client.post(url, {"undo": "1"})
    assert not PublicationStep.objects.exists()
    page = client.get(reverse("qa_feedback:review", args=[review.pk]))
    assert [e.what for e in page.context["checklist_history"]] == [
        "Publication step marked as not done: QA letter published with the report, as an annex",
        "Publication step done: QA letter published with the report, as an annex",
    ]
    history = page.content.decode().split("Changes to the checklist")[1]
    assert "Publication step done: QA letter published with the report, as an annex" in history


def test_the_publish_page_lists_what_is_missing_and_refuses_bad_links(client, people):
    review = ReviewApprovedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("reviews:publish", args=[review.pk])
    html = client.get(url).content.decode()
    assert escape("Tick 'Action plan annexed to the report'") in html
    assert "Record the copy sent to the Domestic Abuse Commissioner" in html
    html = _summary(client.post(url, {**_date("on", 2, 3, 2026), "url": "not a link"}))
    assert "Enter a web link in the correct format" in html
    html = _summary(client.post(url, {**_date("on", 2, 3, 2026), "url": "https://example.org"}))
    assert "Before you can do this" in html or "Tick" in html
    review.refresh_from_db()
    assert review.status == Status.APPROVED


def test_the_qa_letter_is_not_recorded_through_the_generic_transition_page(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("reviews:transition", args=[review.pk, "receive_qa_letter"])
    assert client.get(url).status_code == 404


def test_the_review_page_offers_the_qa_steps(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    html = client.get(review.get_absolute_url()).content.decode()
    assert reverse("qa_feedback:add", args=[review.pk]) in html
    assert "Home Office QA" in html  # the tab


def test_the_learning_page_counts_categories_across_letters(client, people):
    for _ in range(2):
        letter_with_points(ReviewRevisingFactory(partnership=people.home), 2)
    other = letter_with_points(ReviewRevisingFactory(partnership=people.home), 1)
    other.points.update(category="anonymity")
    client.force_login(people.chair)
    response = client.get(reverse("qa_feedback:learning", args=[people.home.slug]))
    table = response.context["table"]
    assert response.context["total"] == 3
    first = table[0]
    assert (first.category.value, first.points, first.letters, first.percent_of_letters) == (
        "language",
        4,
        2,
        67,
    )
    anonymity = next(row for row in table if row.category.value == "anonymity")
    assert (anonymity.points, anonymity.letters, anonymity.percent_of_letters) == (1, 1, 33)


# --- the command


@pytest.mark.parametrize(
    ("name", "points", "letter_date", "panel_date"),
    [
        ("qa-letter-2014.txt", 3, "2014-02-06", None),
        ("qa-letter-2023.txt", 9, "2023-10-18", "2023-09-06"),
    ],
)
def test_parse_qa_letter_prints_the_json(name, points, letter_date, panel_date):
    out = StringIO()
    call_command("parse_qa_letter", str(SAMPLES / name), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == {"letter_date", "panel_date", "outcome", "points", "publication_steps"}
    assert (result["letter_date"], result["panel_date"]) == (letter_date, panel_date)
    assert [p["number"] for p in result["points"]] == list(range(1, points + 1))
    assert set(result["points"][0]) == {
        "number",
        "text",
        "paragraphs",
        "recommendations",
        "category",  # issue 20: the proposed category and the theme heading it came from
        "heading",
    }


def test_parse_qa_letter_reads_a_pdf_and_every_fixture(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf_file(sample("qa-letter-2023.txt")).read())
    out = StringIO()
    call_command("parse_qa_letter", str(path), "--json", stdout=out)
    assert len(json.loads(out.getvalue())["points"]) == 9
    for fixture in sorted(LETTERS.glob("*.txt")):
        out = StringIO()
        call_command("parse_qa_letter", str(fixture), "--json", stdout=out)
        expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
        got = json.loads(out.getvalue())
        for key in ("letter_date", "panel_date", "outcome"):
            assert got[key] == expected[key], (fixture.name, key)
        assert [
            (p["number"], p["text"][: len(w["starts_with"])], p["paragraphs"], p["recommendations"])
            for p, w in zip(got["points"], expected["points"], strict=True)
        ] == [
            (w["number"], w["starts_with"], w["paragraphs"], w["recommendations"])
            for w in expected["points"]
        ], fixture.name


def test_parse_qa_letter_explains_a_bad_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("parse_qa_letter", str(tmp_path / "missing.txt"))
    bad = tmp_path / "letter.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(CommandError, match="not a real PDF"):
        call_command("parse_qa_letter", str(bad))


def test_parse_qa_letter_prints_a_readable_summary():
    out = StringIO()
    call_command("parse_qa_letter", str(SAMPLES / "qa-letter-2023.txt"), stdout=out)
    text = out.getvalue()
    assert "Outcome:      May be published once revised" in text
    assert "Points:       9" in text
    assert "paragraphs: 15.4; recommendations: -" in text

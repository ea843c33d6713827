"""Letters of every shape (issue 20): the panel's meeting named in many ways, with ordinals and
without a year; points grouped under theme headings; a letter without a date line; a point
about the IOPC that says "identifying". Each shape is a fictional letter in tests/letters/
(read by `parse_qa_letter --json` here and by test_parser's fixture test) and short examples."""

import json
from datetime import date
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from qa_feedback import demo
from qa_feedback.models import Category, Outcome, QAPoint
from qa_feedback.parser import (
    category_of,
    category_of_heading,
    in_year_before,
    panel_date_of,
    parse_letter,
    theme_of,
)
from qa_feedback.tests.factories import letter_with_points
from reviews.tests.factories import ReviewRevisingFactory, ReviewSubmittedFactory

LETTERS = Path(__file__).resolve().parent / "letters"
SHAPES = [
    "09-ordinal-meeting-at-its-meeting",
    "10-assessed-without-a-year",
    "11-theme-headings-discussed-on",
    "12-nested-theme-bullets-reviewed-on",
    "13-no-date-line-met-on",
    "14-no-date-line-no-year",
]


def _command_json(path: Path) -> dict:
    out = StringIO()
    call_command("parse_qa_letter", str(path), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", SHAPES)
def test_parse_qa_letter_json_reads_each_new_shape(name):
    path = LETTERS / f"{name}.txt"
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = _command_json(path)
    assert got["letter_date"] == expected["letter_date"]
    assert got["panel_date"] == expected["panel_date"]
    assert got["outcome"] == expected["outcome"]
    assert [p["number"] for p in got["points"]] == [p["number"] for p in expected["points"]]
    for want, point in zip(expected["points"], got["points"], strict=True):
        assert point["text"].startswith(want["starts_with"])
        assert point["text"].endswith(want["ends_with"])
        assert point["paragraphs"] == want["paragraphs"]
        assert point["recommendations"] == want["recommendations"]
        assert point["category"] == want["category"]
        assert point["heading"] == want["heading"]


def test_theme_headings_are_never_points_and_each_sub_bullet_is_one():
    got = _command_json(LETTERS / "11-theme-headings-discussed-on.txt")
    texts = [p["text"] for p in got["points"]]
    assert not any(
        t.rstrip(":") in ("Structure", "Language", "Equality and diversity") for t in texts
    )
    assert [p["heading"] for p in got["points"]] == [
        "Structure",
        "Structure",
        "Language",
        "Language",
        "Equality and diversity",
    ]


def test_the_plain_output_shows_the_heading_over_a_point():
    out = StringIO()
    call_command("parse_qa_letter", str(LETTERS / "11-theme-headings-discussed-on.txt"), stdout=out)
    assert '1. [Other] (under "Structure") The executive summary repeats' in out.getvalue()


# --- the panel's meeting, named in many ways --------------------------------------------------

LETTER_DATE = date(2023, 10, 18)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The QA Panel met on 6th September 2023.", date(2023, 9, 6)),
        (
            "Thank you for your letter of 4 January 2023, which the Panel considered the report "
            "at its meeting on 25th February 2023.",
            date(2023, 2, 25),
        ),
        ("The report was assessed by the Panel on 3rd March 2023.", date(2023, 3, 3)),
        ("Your report was discussed on 12th July 2023.", date(2023, 7, 12)),
        ("The report was reviewed on 4 May 2023 by the Panel.", date(2023, 5, 4)),
        ("On 6 May 2022 the QA Panel met to consider it.", date(2022, 5, 6)),
        # Without a year: the year that puts the meeting on or before the letter's date.
        ("The Panel met on 28th September.", date(2023, 9, 28)),
        ("The Panel met on 18th October.", date(2023, 10, 18)),  # the letter's own day
        ("The Panel met on 28th November.", date(2022, 11, 28)),  # a later day: last year
        ("It was discussed on the 2nd of Dec.", date(2022, 12, 2)),
        ("The Panel reviewed it on September 28th.", date(2023, 9, 28)),
        # Not a meeting.
        ("Thank you for submitting the report on 2 January 2023.", None),
        ("The report is dated 5 May 2023.", None),
    ],
)
def test_the_panels_meeting_named_in_many_ways(sentence, expected):
    assert panel_date_of(sentence, LETTER_DATE) == expected


def test_a_meeting_without_a_year_in_a_letter_without_a_date_is_not_guessed():
    assert panel_date_of("The Panel met on 28th September.", None) is None
    # A whole date needs no letter date.
    assert panel_date_of("The Panel met on 28th September 2023.", None) == date(2023, 9, 28)


def test_the_29th_of_february_without_a_year_goes_back_to_a_leap_year_or_stays_empty():
    assert in_year_before(2, 29, date(2024, 3, 1)) == date(2024, 2, 29)
    assert in_year_before(2, 29, date(2023, 3, 1)) is None  # 2023 and 2022 have none


@pytest.mark.parametrize(
    "meeting",
    [
        "met on 25th February 2023",
        "considered the report at its meeting on 25th February 2023",
        "was assessed by the Panel on 25th February 2023",
        "discussed the report on 25th February 2023",
        "reviewed the report on 25th February 2023",
        "met on 25th February",
    ],
)
def test_each_way_of_naming_the_meeting_in_a_whole_letter(meeting):
    text = (
        "14th March 2023\n\nDear Chair,\n\n"
        f"The Home Office Quality Assurance Panel {meeting}. The report may be published.\n"
    )
    letter = parse_letter(text)
    assert letter.letter_date == date(2023, 3, 14)
    assert letter.panel_date == date(2023, 2, 25)
    assert letter.outcome == Outcome.ADEQUATE


# --- the letter's date --------------------------------------------------------------------------


def test_a_letter_without_a_date_line_has_no_date_not_one_from_its_subject_line():
    text = (
        "Home Office\n2 Marsham Street\n\nRe: the report submitted on 3 July 2023\n\n"
        "Dear Chair,\n\nThe Panel met on 4 October 2023. The report may be published.\n"
    )
    letter = parse_letter(text)
    assert letter.letter_date is None
    assert letter.panel_date == date(2023, 10, 4)


def test_a_letter_without_a_greeting_takes_no_date_from_its_body():
    letter = parse_letter("The Panel met on 4 October 2023 and judged the report as adequate.\n")
    assert letter.letter_date is None
    assert letter.panel_date == date(2023, 10, 4)


def test_a_date_labelled_among_other_text_is_the_letters_date():
    text = "Our ref: QA/0412        Date: 2nd May 2021\n\nDear Chair,\n\nThank you.\n"
    assert parse_letter(text).letter_date == date(2021, 5, 2)


# --- theme headings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "theme", "category"),
    [
        ("Structure:", "Structure", None),
        ("Language:", "Language", Category.LANGUAGE),
        ("**Family involvement**", "Family involvement", Category.FAMILY),
        ("## Equality and diversity", "Equality and diversity", Category.EQUALITY),
        (
            "Recommendations and action plan:",
            "Recommendations and action plan",
            Category.RECOMMENDATIONS,
        ),
        ("Accuracy:", "Accuracy", Category.ACCURACY),
        ("Anonymity:", "Anonymity", Category.ANONYMITY),
        ("Other matters:", "Other matters", Category.OTHER),
        ("Language and equality:", "Language and equality", None),  # two: the coordinator picks
        ("in particular:", "", None),
        ("The Panel felt:", "", None),
        ("Areas for final development:", "", None),
        ("Structure", "", None),
    ],
)
def test_theme_headings_and_the_categories_they_name(line, theme, category):
    assert theme_of(line) == theme
    if theme:
        assert category_of_heading(theme) == category


def test_a_theme_heading_alone_is_never_a_point():
    text = (
        "1 June 2022\n\nDear Chair,\n\nAreas for final development:\n\n"
        "Structure:\n- Shorten the executive summary.\n\nLanguage:\n\n"
        "Yours sincerely,\n\nA Person\n"
    )
    letter = parse_letter(text)
    assert [(p.text, p.heading) for p in letter.points] == [
        ("Shorten the executive summary.", "Structure")
    ]
    assert any("Language:" in line for line in letter.other)


def test_a_point_that_says_in_particular_keeps_its_sub_bullets():
    text = (
        "1 June 2022\n\nDear Chair,\n\nAreas for final development:\n\n"
        "1. Say more about the GP practice, in particular:\n   - routine enquiry;\n"
        "   - the MARAC referral.\n2. Check the dates.\n\nYours sincerely,\n"
    )
    letter = parse_letter(text)
    assert [p.text for p in letter.points] == [
        "Say more about the GP practice, in particular: routine enquiry; the MARAC referral.",
        "Check the dates.",
    ]
    assert all(p.heading == "" for p in letter.points)


def test_theme_headings_written_flat_as_list_items_as_a_docx_gives_them():
    text = (
        "1 June 2022\n\nDear Chair,\n\nAreas for final development:\n\n"
        "- Structure:\n- Shorten the executive summary.\n- Number the paragraphs.\n"
        "- Family:\n- Say how her sons were invited to contribute.\n\nYours sincerely,\n"
    )
    letter = parse_letter(text)
    assert [(p.heading, p.category) for p in letter.points] == [
        ("Structure", Category.OTHER),
        ("Structure", Category.OTHER),
        ("Family", Category.FAMILY),
    ]


def test_theme_headings_without_a_heading_above_them():
    text = (
        "1 June 2022\n\nDear Chair,\n\nThe report may be published once revised.\n\n"
        "Language:\n- Reword paragraph 2.1.\n\nStructure:\n- Add a glossary.\n\n"
        "Yours sincerely,\n"
    )
    letter = parse_letter(text)
    assert [(p.text, p.heading) for p in letter.points] == [
        ("Reword paragraph 2.1.", "Language"),
        ("Add a glossary.", "Structure"),
    ]
    assert letter.points[0].category == Category.LANGUAGE


# --- the IOPC and police standards are not anonymity -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Refer to the IOPC investigation, identifying any learning for the force.",
            Category.AGENCY,
        ),
        (
            "Say whether the professional standards department reviewed the call, identifying "
            "any misconduct.",
            Category.AGENCY,
        ),
        ("Identifying the gaps in the police standards of response would help.", Category.AGENCY),
        # Near misses the other way: identifying a person is anonymity, IOPC or not.
        ("The street name risks identifying the victim's children.", Category.ANONYMITY),
        (
            "The IOPC summary is quoted identifying the officers by name: anonymise it.",
            Category.ANONYMITY,
        ),
        ("Her sister could be identified from paragraph 3.2.", Category.ANONYMITY),
        ("Details identifying her family should be removed.", Category.ANONYMITY),
    ],
)
def test_identifying_is_anonymity_only_when_it_identifies_a_person(text, expected):
    assert category_of(text) == expected


# --- through the pages --------------------------------------------------------------------------


def _read(client, people, name):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    text = (LETTERS / f"{name}.txt").read_text(encoding="utf-8")
    response = client.post(
        reverse("qa_feedback:add", args=[review.pk]), {"text": text}, follow=True
    )
    assert response.status_code == 200
    return response


def test_a_letter_without_a_date_line_is_flagged_for_the_coordinator_not_guessed(client, people):
    response = _read(client, people, "13-no-date-line-met-on")
    html = response.content.decode()
    letter = response.context["letter"]
    assert letter.letter_date is None
    assert letter.panel_date == date(2023, 10, 4)
    assert "The app could not read the date of the letter." in html
    assert response.context["form"]["letter_date"].value() is None


def test_the_check_page_shows_each_points_theme_heading_and_keeps_it(client, people):
    response = _read(client, people, "11-theme-headings-discussed-on")
    html = response.content.decode()
    assert "The letter puts this point under the heading \u201cStructure\u201d" in html
    assert "The letter puts this point under the heading \u201cEquality and diversity\u201d" in html
    form = response.context["form"]
    assert form["point_1_category"].value() == Category.OTHER
    assert form["point_3_category"].value() == Category.LANGUAGE
    assert list(QAPoint.objects.order_by("number").values_list("heading", flat=True)) == [
        "Structure",
        "Structure",
        "Language",
        "Language",
        "Equality and diversity",
    ]


def test_the_letter_page_shows_the_heading_a_point_was_under(client, people):
    review = ReviewRevisingFactory(partnership=people.home)
    letter = letter_with_points(review, 2)
    letter.points.filter(number=1).update(heading="Structure", category=Category.OTHER)
    client.force_login(people.coordinator)
    html = client.get(reverse("qa_feedback:letter", args=[review.pk, letter.pk])).content.decode()
    assert html.count("Heading in the letter") == 1
    assert "Structure" in html


def test_the_demo_letter_just_received_groups_its_points_under_theme_headings():
    text = demo._letter_text(
        SimpleNamespace(victim_pseudonym="Lena"), letter_date="3 May 2026", panel_date="20 April"
    )
    letter = parse_letter(text)
    assert letter.panel_date == date(2026, 4, 20)  # no year: the year of the letter
    assert [(p.heading, p.category) for p in letter.points] == [
        ("Language", Category.LANGUAGE),
        ("Agency involvement", Category.AGENCY),
        ("Structure", Category.OTHER),
        ("Structure", Category.OTHER),
        ("Anonymity", Category.ANONYMITY),
    ]
    # The other demo letters keep their plain list.
    other = demo._letter_text(
        SimpleNamespace(victim_pseudonym="Kate"), letter_date="3 May 2026", panel_date="20 April"
    )
    assert all(p.heading == "" for p in parse_letter(other).points)

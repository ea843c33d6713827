"""The letter parser against the two real sample letters, fictional letters in other real-world
shapes (tests/letters/, written apart from the parser, each with the expected result), the
pieces it is built from, and arbitrary text."""

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qa_feedback.models import Category, ChecklistItem, Outcome
from qa_feedback.parser import (
    category_of,
    clean,
    dates_in,
    outcome_of,
    paragraph_refs,
    parse_letter,
    recommendation_refs,
)
from qa_feedback.tests import samples

LETTERS = Path(__file__).resolve().parent / "letters"
SAMPLES = samples.HERE
sample = samples.sample


def test_the_2014_letter_gives_its_three_points_dates_and_verdict():
    letter = parse_letter(sample("qa-letter-2014.txt"))
    assert letter.letter_date == date(2014, 2, 6)
    assert letter.panel_date is None  # "the QA Panel meeting in January": no day given
    assert letter.outcome == Outcome.ADEQUATE
    assert [p.number for p in letter.points] == [1, 2, 3]
    first, second, third = letter.points
    assert first.text.startswith("Paragraph 5.12 of Executive Summary which states")
    assert first.text.endswith("ensure it remains victim focussed;")
    assert first.paragraphs == ["5.12"]
    assert first.category == Category.LANGUAGE
    assert second.text == (
        "The Panel considered that including some more text that explores the role of the "
        "other relevant agencies would be helpful; and,"
    )
    assert third.text.endswith(
        "progress of the Community Safety Partnership on each of the recommendations."
    )
    assert third.category == Category.RECOMMENDATIONS
    # What follows the points (national recommendations, the closing) is not a point.
    assert not any("Police National Database" in p.text for p in letter.points)
    assert any("commend you on this report" in g for g in letter.good_practice)
    assert ChecklistItem.LETTER_ANNEXED in letter.requirements
    assert letter.signatory.startswith("Casey Example, Acting Chair")


def test_the_2023_letter_gives_its_nine_points_dates_and_verdict():
    letter = parse_letter(sample("qa-letter-2023.txt"))
    assert letter.letter_date == date(2023, 10, 18)
    assert letter.panel_date == date(2023, 9, 6)
    assert letter.outcome == Outcome.PUBLISH_AFTER_REVISION
    assert len(letter.points) == 9
    texts = [p.text for p in letter.points]
    assert texts[0].startswith("It would be helpful to make a final check on the draft")
    assert "GPs were recently trained" in texts[0]  # the Markdown emphasis is gone
    assert texts[1].startswith('5.1.17 states "It is not understood')
    assert texts[4].startswith("Section 15.4 analysis of Northvale and Eastfield")
    assert texts[8].endswith("it may be helpful for future readers.")
    assert [p.paragraphs for p in letter.points[:5]] == [
        ["15.4.8"],
        ["5.1.17"],
        ["5.2.1.12"],
        ["15.1.14"],
        ["15.4"],
    ]
    assert letter.points[3].category == Category.LANGUAGE
    assert letter.points[7].category == Category.RECOMMENDATIONS
    # The good practice (with "Recommendations 8 and 11") is kept, not made a point.
    assert any("Recommendations 8 and 11" in g for g in letter.good_practice)
    assert not any("especially helpful" in t for t in texts)
    assert letter.requirements == [
        ChecklistItem.HOME_OFFICE,
        ChecklistItem.COMMISSIONER,
        ChecklistItem.LETTER_ANNEXED,
        ChecklistItem.ACTION_PLAN_ANNEXED,
        ChecklistItem.ONE_PDF,
    ]
    assert (
        letter.signatory == "Lesley Example, Chair of the Home Office DHR Quality Assurance Panel"
    )


def _fixtures():
    return sorted(LETTERS.glob("*.txt"))


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.stem)
def test_letters_in_other_shapes_parse_to_what_they_say(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = parse_letter(path.read_text(encoding="utf-8")).as_json()
    assert got["letter_date"] == expected["letter_date"]
    assert got["panel_date"] == expected["panel_date"]
    assert got["outcome"] == expected["outcome"]
    assert len(got["points"]) == len(expected["points"])
    for want, point in zip(expected["points"], got["points"], strict=True):
        assert point["number"] == want["number"]
        assert point["text"].startswith(want["starts_with"])
        assert point["text"].endswith(want["ends_with"])
        assert point["paragraphs"] == want["paragraphs"]
        assert point["recommendations"] == want["recommendations"]
        if "category" in want:  # the fixtures written for the letter shapes of issue 20
            assert point["category"] == want["category"]
            assert point["heading"] == want["heading"]
        # Page furniture never ends up in a point.
        assert "Page " not in point["text"] or "Page of" in point["text"]
        assert "\f" not in point["text"]


def test_there_are_fixture_letters_of_every_outcome():
    outcomes = {
        json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["outcome"]
        for p in _fixtures()
    }
    assert outcomes == set(Outcome.values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as stated in paragraph 8.1.", ["8.1"]),
        ("5.1.17 states that", ["5.1.17"]),
        ("Section 15.4 analysis", ["15.4"]),
        ("paras 3.2 and 3.4", ["3.2", "3.4"]),
        ("Paragraph 23 says", ["23"]),
        ("Executive Summary paragraph 5.12, and again 5.12", ["5.12"]),
        ("a £1.5 million contract and a 2.5 hour meeting", []),
        ("smaller than 20 MB, on 02.05.2021 at 16:17", []),
        ("version 1.2 of the policy", []),
        ("section nine of the Statutory Guidance", []),
    ],
)
def test_paragraph_references(text, expected):
    assert paragraph_refs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("recommendation seven should", [7]),
        ("Recommendations 8 and 11 were", [8, 11]),
        ("recommendations 2, 4 and 6", [2, 4, 6]),
        ("recommendations 2 to 4", [2, 3, 4]),
        ("Recommendation 3 and recommendation 5", [3, 5]),
        ("the third recommendation", []),
        ("Actions three to eight of the Action Plan", []),
        ("a specific recommendation around MARACs", []),
    ],
)
def test_recommendation_references(text, expected):
    assert recommendation_refs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 February 2014", date(2014, 2, 6)),
        ("6th September 2023", date(2023, 9, 6)),
        ("September 6, 2023", date(2023, 9, 6)),
        ("02/05/2021", date(2021, 5, 2)),
        ("2021-05-02", date(2021, 5, 2)),
        ("3rd of Sept. 2020", date(2020, 9, 3)),
    ],
)
def test_dates_in_the_forms_letters_use(text, expected):
    assert [found for _, found in dates_in(text)] == [expected]


def test_impossible_dates_are_not_dates():
    assert dates_in("31 February 2020 and 45/13/2020") == []


@pytest.mark.parametrize(
    ("text", "has_points", "expected"),
    [
        (
            "The QA Panel judges them as either adequate or inadequate. It has been judged as "
            "adequate.",
            False,
            Outcome.ADEQUATE,
        ),
        (
            "The QA Panel judges them as either adequate or inadequate. The Panel judged the "
            "report to be inadequate.",
            False,
            Outcome.INADEQUATE,
        ),
        ("The Panel would like to see a revised version of the report.", True, Outcome.RESUBMIT),
        ("Please resubmit the report to the Panel.", True, Outcome.RESUBMIT),
        ("We do not need to see another version of the report.", True, ""),
        (
            "There is no need to resubmit the report. The Home Office is content that on "
            "completion of these changes, the DHR may be published.",
            True,
            Outcome.PUBLISH_AFTER_REVISION,
        ),
        (
            "The Home Office is content for the report to be published as it is.",
            False,
            Outcome.ADEQUATE,
        ),
        ("Thank you for your report.", False, ""),
    ],
)
def test_outcome(text, has_points, expected):
    assert outcome_of(text, has_points) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This could appear to be victim blaming; please reword it.", Category.LANGUAGE),
        ("The report names the street where she lived; anonymise it.", Category.ANONYMITY),
        ("More on the victim's ethnicity and culture, and on interpreters.", Category.EQUALITY),
        ("The family's views are missing; speak to her sister.", Category.FAMILY),
        ("The action plan should link each recommendation to an action.", Category.RECOMMENDATIONS),
        ("Explore how the police and the GP responded.", Category.AGENCY),
        ("Check the dates in the chronology for accuracy.", Category.ACCURACY),
        ("Thank you.", Category.OTHER),
    ],
)
def test_category_proposed_from_the_words(text, expected):
    assert category_of(text) == expected


def test_a_page_break_inside_a_point_is_joined_and_the_furniture_dropped():
    text = (
        "1 June 2022\n\nDear Chair,\n\nAreas for final development:\n\n"
        "- The analysis of the housing provider's contact should consider whether\n"
        "\f\nOFFICIAL\nPage 2 of 3\n\n"
        "a referral to the specialist service was made.\n"
        "- Check the chronology dates.\n\nYours sincerely,\n\nA Person\nChair of the Panel\n"
    )
    letter = parse_letter(text)
    assert [p.text for p in letter.points] == [
        "The analysis of the housing provider's contact should consider whether a referral "
        "to the specialist service was made.",
        "Check the chronology dates.",
    ]
    assert "Page 2 of 3" in letter.dropped


def test_headings_with_markdown_marks_and_numbered_points():
    text = (
        "14 March 2022\n\nDear Chair,\n\n**Areas of final development include:**\n\n"
        "1. The first point.\n2. The second point,\n   - with a sub-point\n3. The third.\n\n"
        "Yours sincerely,\n"
    )
    letter = parse_letter(text)
    assert [p.text for p in letter.points] == [
        "The first point.",
        "The second point, with a sub-point",
        "The third.",
    ]


def test_a_letter_without_points_has_none():
    letter = parse_letter("2 May 2021\n\nDear Chair,\n\nThe report may be published.\n")
    assert letter.points == []
    assert letter.outcome == Outcome.ADEQUATE


def _words(text: str) -> Counter:
    return Counter(re.findall(r"[^\W_]+", text))


def _kept(letter) -> Counter:
    kept = _words("\n".join(letter.other)) + _words("\n".join(letter.dropped))
    for point in letter.points:
        kept += _words(point.marker + " " + point.text)
    return kept


# Text built from the pieces letters are made of, so that the properties meet headings, bullets,
# numbering, page furniture and Markdown marks, not only random characters.
PIECES = st.sampled_from(
    [
        "Areas for final development:",
        "## Areas of final development include:",
        "There were some issues that the Panel felt might benefit from more detail:",
        "- ",
        "* ",
        "• ",
        "1. ",
        "2) ",
        "(a) ",
        "   - ",
        "\f",
        "Page 2 of 3",
        "OFFICIAL",
        "3",
        "**",
        "*",
        "_",
        "\\",
        "#",
        ":",
        ";",
        ".",
        "paragraph 8.1",
        "5.1.17",
        "recommendation seven",
        "Recommendations 8 and 11",
        "6 February 2014",
        "Dear Chair,",
        "Structure:",
        "Language:",
        "1. Family involvement:",
        "The Panel met on 28th September.",
        "considered the report at its meeting on 25th February 2023",
        "Date: 2 May 2021",
        "identifying the IOPC",
        "Yours sincerely,",
        "Once completed",
        "judged as adequate",
        "may be published",
        "\n",
        "\n\n",
        "\r\n",
        " ",
    ]
)
LETTERISH = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=60).map("".join)


@given(LETTERISH)
# Found by `make fuzz`: page furniture after a heading with no list was kept twice.
@example("Areas for final development:\nPage 2 of 3")
# Found by `make fuzz`: a stray emphasis mark between two words joined them ('3**Areas').
@example("Areas for final development:\n\nPage 2 of 3**Areas for final development:")
# The letter shapes of issue 20: theme headings (plain and as list items), a meeting without a
# year, no date line.
@example("2 May 2021\n\nDear Chair,\n\nStructure:\n- One.\n- Two.\n\nLanguage:\n- Three.\n")
@example("Areas for final development:\n1. Family:\n   a) One.\n2. Structure:\n2. Two.")
@example("Dear Chair,\nThe Panel met on 28th September.\nLanguage:\n\f\n- One\nStructure:")
@example("Re: sent 3 July 2023\nDear Chair,\n- Structure:\n- Language:\n  - identifying the IOPC")
def test_the_parser_never_raises_and_never_loses_a_word(text):
    letter = parse_letter(text)
    assert _kept(letter) == _words(text)
    assert [p.number for p in letter.points] == list(range(1, len(letter.points) + 1))
    assert all(p.text.strip() for p in letter.points)
    json.dumps(letter.as_json())


@given(st.text())
def test_the_parser_takes_any_text(text):
    letter = parse_letter(text)
    assert _kept(letter) == _words(text)


@pytest.mark.skipif(not samples.SHARED.is_dir(), reason="the shared samples folder is not here")
@pytest.mark.parametrize("name", ["qa-letter-2014.txt", "qa-letter-2023.txt"])
def test_the_kept_samples_are_the_shared_ones_with_names_swapped(name):
    original = (samples.SHARED / name).read_text(encoding="utf-8")
    assert samples.swapped(original) == sample(name)


@pytest.mark.parametrize(
    ("marked", "plain"),
    [
        ("3**Areas", "3 Areas"),
        ("the **panel** noted", "the panel noted"),
        ("word**bold**word", "word bold word"),
        ("**bold**, then", "bold, then"),
        ("a__b", "a b"),
        ("stray ** mark", "stray  mark"),
    ],
)
def test_emphasis_marks_are_removed_without_joining_words(marked, plain):
    assert clean(marked) == plain

"""Every letter the parser is tested on, pasted on the page: the check page proposes exactly
its points, dates and verdict. The two sample letters are pasted in the browser, whose pages
pass axe; the fictional letters of other shapes (tests/letters/) only change what the same
fields hold, so they go through Django's test client, their fields read from the page's HTML.
(The whole journey is in test_browser_qa.py.)"""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dhr.tests.html_forms import form_values, heading
from qa_feedback.models import QALetter
from qa_feedback.tests.test_parser import LETTERS, SAMPLES
from reviews.tests.factories import ReviewSubmittedFactory
from reviews.tests.test_browser_journey import press, sign_in

SAMPLE_EXPECTED = {
    "qa-letter-2014.txt": {
        "letter_date": "2014-02-06",
        "panel_date": None,
        "count": 3,
        "outcome": "adequate",
    },
    "qa-letter-2023.txt": {
        "letter_date": "2023-10-18",
        "panel_date": "2023-09-06",
        "count": 9,
        "outcome": "publish_after_revision",
    },
}


def _samples():
    for name, expected in SAMPLE_EXPECTED.items():
        yield pytest.param(SAMPLES / name, expected, id=name)


def _shapes():
    for path in sorted(LETTERS.glob("*.txt")):
        data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        expected = {**data, "count": len(data["points"])}
        yield pytest.param(path, expected, id=path.stem)


def _date_fields(page, name):
    return [page.locator(f'input[name="{name}_{i}"]').input_value() for i in range(3)]


def _as_fields(iso):
    if iso is None:
        return ["", "", ""]
    year, month, day = iso.split("-")
    return [str(int(day)), str(int(month)), year]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "expected"), list(_samples()))
def test_a_pasted_letter_is_proposed_point_by_point(browser_page, people, path, expected):
    bp, page = browser_page, browser_page.page
    review = ReviewSubmittedFactory(partnership=people.home)
    bp.start(f"/account/sign-in/?next=/reviews/{review.pk}/qa/letters/new/")
    sign_in(bp, people.coordinator, lands_on="Record the Home Office QA letter")
    page.get_by_label("Paste the letter's text").fill(path.read_text(encoding="utf-8"))
    press(bp, "Read the letter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the letter")

    count = expected["count"]
    texts = page.locator('textarea[name^="point_"][name$="_text"]')
    expect(texts).to_have_count(count + 1)  # and one empty, to add a point
    for n, point in enumerate(expected.get("points", []), start=1):
        value = texts.nth(n - 1).input_value()
        assert value.startswith(point["starts_with"])
        assert value.endswith(point["ends_with"])
        paragraphs = page.locator(f'input[name="point_{n}_paragraphs"]').input_value()
        assert paragraphs == ", ".join(point["paragraphs"])
    assert texts.nth(count).input_value() == ""
    assert _date_fields(page, "letter_date") == _as_fields(expected["letter_date"])
    assert _date_fields(page, "panel_date") == _as_fields(expected["panel_date"])
    expect(page.locator(f'input[name="outcome"][value="{expected["outcome"]}"]')).to_be_checked()


@pytest.mark.parametrize(("path", "expected"), list(_shapes()))
def test_a_letter_of_each_shape_is_proposed_point_by_point(client, people, path, expected):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:add", args=[review.pk])
    data = form_values(client.get(url).content, having="text")
    data["text"] = path.read_text(encoding="utf-8")
    response = client.post(url, data, follow=True)
    letter = QALetter.objects.get(review=review)
    assert response.redirect_chain[-1][0] == reverse(
        "qa_feedback:check", args=[review.pk, letter.pk]
    )
    assert heading(response.content) == "Check the letter"

    fields = form_values(response.content, having="outcome")
    count = expected["count"]
    texts = [
        fields[name] for name in fields if name.startswith("point_") and name.endswith("_text")
    ]
    assert len(texts) == count + 1  # and one empty, to add a point
    for n, point in enumerate(expected["points"], start=1):
        assert texts[n - 1].startswith(point["starts_with"])
        assert texts[n - 1].endswith(point["ends_with"])
        assert fields[f"point_{n}_paragraphs"] == ", ".join(point["paragraphs"])
    assert texts[count] == ""
    assert [fields[f"letter_date_{i}"] for i in range(3)] == _as_fields(expected["letter_date"])
    assert [fields[f"panel_date_{i}"] for i in range(3)] == _as_fields(expected["panel_date"])
    assert fields.getlist("outcome") == [expected["outcome"]]

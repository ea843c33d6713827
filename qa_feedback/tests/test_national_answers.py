"""Answers a QA letter gives to national recommendations (issue 20, rule 11): read from the
letter's text apart from its points, offered on the recorded letter's page, and recorded as the
national bodies' replies once the coordinator has said which answer goes with which
recommendation."""

from datetime import date

import lxml.html
import pytest
from django.urls import reverse

from qa_feedback.national_answers import national_answers
from qa_feedback.tests.factories import QALetterFactory, national_letter
from qa_feedback.tests.samples import sample
from recommendations.models import Recommendation


def test_the_2014_letter_answers_actions_three_to_eight_in_four_paragraphs():
    answers = national_answers(sample("qa-letter-2014.txt"))
    assert [a.numbers for a in answers] == [(3,), (4,), (5, 6, 8), (7,)]
    assert answers[0].text.startswith("The QA Panel also notes there are a number")
    assert "Ministry of Justice colleagues" in answers[0].text
    assert "College of Policing" in answers[1].text
    assert answers[3].text.startswith("On action seven")


@pytest.mark.parametrize(
    "text",
    [
        sample("qa-letter-2023.txt"),
        # A point about recommendations, listed: the parser's, not an answer.
        "- Recommendations 2 and 5 both concern the national police database.\n",
        # Names recommendations, but not nationally: praise.
        "Recommendations 8 and 11 were also flagged as especially helpful.\n",
        # National, but names no action or recommendation.
        "The national picture is improving.\n",
    ],
)
def test_a_letter_without_such_answers_gives_none(text):
    assert national_answers(text) == []


def test_digits_and_lists_of_numbers_are_read_and_ranges_left_out():
    [answer] = national_answers(
        "On recommendations 2, 4 and 9 the Ministry of Justice will reply; "
        "recommendations 10 to 12 are national too."
    )
    assert answer.numbers == (2, 4, 9)


def _url(letter):
    return reverse("qa_feedback:national_answers", args=[letter.review_id, letter.pk])


@pytest.fixture
def letter(people):
    return national_letter(people)


def _by_number(review):
    return {r.number: r for r in Recommendation.objects.filter(review=review)}


def test_the_letter_page_offers_to_record_the_answers(client, people, letter):
    client.force_login(people.coordinator)
    page = client.get(
        reverse("qa_feedback:letter", args=[letter.review_id, letter.pk])
    ).content.decode()
    assert "The letter answers national recommendations in 4" in page
    assert _url(letter) in page
    # A viewer may read the letter, but is not offered what only a coordinator may do.
    client.force_login(people.viewer)
    letter.review.viewers.add(people.viewer)
    page = client.get(
        reverse("qa_feedback:letter", args=[letter.review_id, letter.pk])
    ).content.decode()
    assert _url(letter) not in page


def test_the_answers_come_ticked_by_number_and_are_recorded_as_confirmed(client, people, letter):
    recommendations = _by_number(letter.review)
    client.force_login(people.coordinator)
    page = lxml.html.fromstring(client.get(_url(letter)).content.decode())
    # Answer 1 names action three: recommendation 3 is ticked for it, and no other; answer 3
    # names five, six and eight.
    ticked = {
        name: {int(box.get("value")) for box in page.xpath(f'//input[@name="{name}"][@checked]')}
        for name in ("answer_1", "answer_3")
    }
    assert ticked == {
        "answer_1": {recommendations[3].pk},
        "answer_3": {recommendations[n].pk for n in (5, 6, 8)},
    }

    # The coordinator keeps answers 1, 2 and 4, moves answer 3 to recommendation 5 only.
    response = client.post(
        _url(letter),
        {
            "answer_1": [recommendations[3].pk],
            "answer_2": [recommendations[4].pk],
            "answer_3": [recommendations[5].pk],
            "answer_4": [recommendations[7].pk, recommendations[3].pk],
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("recommendations:plan", args=[letter.review_id])
    after = _by_number(letter.review)
    assert after[3].body_replied_on == date(2026, 2, 6)
    assert after[3].body_reply.startswith("The QA Panel also notes")
    assert "On action seven" in after[3].body_reply  # both its answers, in the letter's order
    assert after[3].body_reply_source == "Home Office QA letter of 6 February 2026"
    assert after[5].body_reply.startswith("On actions five, six, and eight")
    assert after[6].body_replied_on is None
    assert after[8].body_replied_on is None
    assert after[4].history.latest().history_user == people.coordinator


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select the recommendation at least one answer is to"),
        ({"answer_1": ["999999"]}, "Select only this review&#x27;s national recommendations"),
    ],
)
def test_bad_input_is_explained_and_nothing_recorded(client, people, letter, data, message):
    client.force_login(people.coordinator)
    response = client.post(_url(letter), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not Recommendation.objects.filter(body_replied_on__isnull=False).exists()


def test_a_local_recommendation_cannot_be_given_an_answer(client, people, letter):
    local = _by_number(letter.review)[1]
    client.force_login(people.coordinator)
    response = client.post(_url(letter), {"answer_1": [local.pk]})
    assert response.status_code == 200
    assert not Recommendation.objects.filter(body_replied_on__isnull=False).exists()


def test_a_letter_with_no_answers_has_no_such_page(client, people, letter):
    plain = QALetterFactory(review=letter.review, full_text=sample("qa-letter-2023.txt"))
    client.force_login(people.coordinator)
    assert client.get(_url(plain)).status_code == 404

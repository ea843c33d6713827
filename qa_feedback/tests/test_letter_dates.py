"""The dates a QA letter may have, on every path that records them: the rule itself (its near
misses: the notification day and today are accepted), the service (a ValidationError naming the
field, nothing saved), the coordinator's check page (a date the app could not read is flagged
and asked for; a bad one explained on its field, the input kept, nothing saved) and the admin."""

from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from qa_feedback import services, workflow
from qa_feedback.models import Outcome, QALetter
from qa_feedback.services import PointInput
from qa_feedback.tests.factories import DraftLetterFactory, QALetterFactory, QAPointFactory
from reviews.models import Review, Status
from reviews.tests.factories import NOTIFIED_ON

NOTIFIED = date(2025, 3, 4)
TODAY = date(2026, 5, 11)
# The day after the test runs, worked out when it runs: a date taken when the tests are
# collected is today's by the time a run that crosses midnight reaches the test.
TOMORROW = "tomorrow"


def _on(letter_date):
    if letter_date == TOMORROW:
        return timezone.localdate() + timedelta(days=1)
    return letter_date


def _wrong(*, letter_date, received_on=None, panel_date=None, notified_on=NOTIFIED):
    return workflow.letter_dates_wrong(
        Review(notified_on=notified_on),
        letter_date=letter_date,
        received_on=received_on or letter_date,
        panel_date=panel_date,
        today=TODAY,
    )


# --- the rule


@pytest.mark.parametrize(
    "letter_date",
    [NOTIFIED, NOTIFIED + timedelta(days=1), TODAY - timedelta(days=1), TODAY],
    ids=["the notification day", "the day after it", "yesterday", "today"],
)
def test_a_letter_dated_from_the_notification_to_today_is_accepted(letter_date):
    assert _wrong(letter_date=letter_date) == {}


@pytest.mark.parametrize(
    ("letter_date", "message"),
    [
        (None, "Enter the date of the letter"),
        (
            NOTIFIED - timedelta(days=1),
            "The letter's date must be on or after the notification, 4 March 2025",
        ),
        (
            date(2023, 10, 18),
            "The letter's date must be on or after the notification, 4 March 2025",
        ),
        (TODAY + timedelta(days=1), "The letter's date must be today or in the past"),
    ],
    ids=["none", "the day before the notification", "years before", "tomorrow"],
)
def test_a_letter_date_missing_before_the_notification_or_to_come_is_refused(letter_date, message):
    assert _wrong(letter_date=letter_date, received_on=TODAY)["letter_date"] == message


def test_a_review_without_a_notification_date_takes_any_past_letter_date():
    """A review imported from a tracker has no notification date to compare with."""
    assert _wrong(letter_date=date(2019, 5, 1), notified_on=None) == {}


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        (date(2025, 6, 9), None),  # the letter's own day
        (date(2025, 6, 8), "The date the letter was received must be on or after its date"),
        (TODAY, None),
        (
            TODAY + timedelta(days=1),
            "The date the letter was received must be today or in the past",
        ),
    ],
)
def test_the_letter_is_received_between_its_date_and_today(received_on, message):
    wrong = _wrong(letter_date=date(2025, 6, 9), received_on=received_on)
    assert wrong.get("received_on") == message


@pytest.mark.parametrize(
    ("panel_date", "message"),
    [
        (date(2025, 6, 9), None),
        (
            date(2025, 6, 10),
            "The date of the panel meeting must be on or before the date of the letter",
        ),
    ],
)
def test_the_panel_met_on_or_before_the_letters_date(panel_date, message):
    wrong = _wrong(letter_date=date(2025, 6, 9), panel_date=panel_date)
    assert wrong.get("panel_date") == message


# --- the service


@pytest.fixture
def draft(people):
    """A letter read from a text without a date, waiting for the coordinator's check."""
    letter = DraftLetterFactory(
        review__partnership=people.home, review__notified_on=NOTIFIED, letter_date=None
    )
    QAPointFactory(letter=letter, number=1)
    return letter


def _data(**dates):
    return {
        "received_on": timezone.localdate(),
        "letter_date": timezone.localdate(),
        "panel_date": None,
        "signatory": "Panel chair",
        "outcome": Outcome.PUBLISH_AFTER_REVISION,
        "good_practice": "",
        **dates,
    }


POINTS = [PointInput("Reword paragraph 5.1 to keep the focus on her.", ["5.1"], [])]


@pytest.mark.parametrize(
    ("letter_date", "message"),
    [
        (None, "Enter the date of the letter"),
        (
            NOTIFIED - timedelta(days=1),
            "The letter's date must be on or after the notification, 4 March 2025",
        ),
        (TOMORROW, "The letter's date must be today or in the past"),
    ],
    ids=["none", "before the notification", "tomorrow"],
)
def test_recording_a_letter_with_a_date_it_cannot_have_is_refused_and_saves_nothing(
    people, draft, letter_date, message
):
    letter_date = _on(letter_date)
    versions = draft.review.history.count()
    with pytest.raises(ValidationError) as error:
        services.letter_record(
            letter=draft, by=people.coordinator, data=_data(letter_date=letter_date), points=POINTS
        )
    assert error.value.message_dict == {"letter_date": [message]}
    draft.refresh_from_db()
    assert draft.is_draft
    assert draft.letter_date is None
    assert draft.received_on is None
    assert [p.text for p in draft.points.all()] == [draft.points.get().text]  # as read
    assert draft.review.status == Status.SUBMITTED
    assert draft.review.qa_feedback_received_on is None
    assert draft.review.history.count() == versions


def test_a_letter_left_without_dates_by_the_caller_is_refused(people, draft):
    """A service caller that gives no dates at all keeps none of the draft's (it has none)."""
    data = {"signatory": "Panel chair", "outcome": Outcome.ADEQUATE}
    with pytest.raises(ValidationError) as error:
        services.letter_record(letter=draft, by=people.coordinator, data=data, points=POINTS)
    assert error.value.message_dict == {
        "letter_date": ["Enter the date of the letter"],
        "received_on": ["Enter the date the letter was received"],
    }


@pytest.mark.parametrize("letter_date", ["notification day", "today"])
def test_a_letter_dated_on_the_notification_day_or_today_is_recorded(people, draft, letter_date):
    on = NOTIFIED if letter_date == "notification day" else timezone.localdate()
    letter = services.letter_record(
        letter=draft, by=people.coordinator, data=_data(letter_date=on), points=POINTS
    )
    assert letter.letter_date == on
    assert letter.state == QALetter.State.RECORDED
    assert letter.review.status == Status.QA_FEEDBACK


# --- the coordinator's check page


def _date(prefix, day: date | None):
    parts = (day.day, day.month, day.year) if day else ("", "", "")
    return {f"{prefix}_{n}": str(part) for n, part in enumerate(parts)}


def _form(letter, letter_date, **fields):
    received = timezone.localdate()
    return {
        **_date("received_on", received),
        **_date("letter_date", letter_date),
        **_date("panel_date", None),
        "signatory": "Kept signatory",
        "outcome": "publish_after_revision",
        "good_practice": "",
        "slots": "2",
        "point_1_text": "Kept text of point 1",
        "point_1_paragraphs": "5.1",
        "point_1_recommendations": "",
        "point_1_category": "language",
        "point_2_text": "",
        "point_2_paragraphs": "",
        "point_2_recommendations": "",
        "point_2_category": "other",
        **fields,
    }


def _field_error(html: str, name: str, message: str) -> bool:
    """The message is shown on the date's own form group, marked as in error."""
    group = html.split(f'<div id="div_id_{name}" class="')[1].split('class="govuk-date-input"')[0]
    return group.startswith("govuk-form-group govuk-form-group--error") and escape(message) in group


def test_a_date_the_app_could_not_read_is_flagged_and_asked_for(client, people, draft):
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    response = client.get(url)
    html = response.content.decode()
    assert "The app could not read the date of the letter." in html
    assert "The app could not read it from the letter: enter it as the letter gives it." in html
    assert response.context["form"]["letter_date"].value() is None  # nothing made up
    # The QA tab says so too.
    tab = client.get(reverse("qa_feedback:review", args=[draft.review_id])).content.decode()
    assert "A letter is being checked" in tab
    assert "(the app could not read its date)." in tab


def test_a_date_the_app_read_is_offered_to_correct(client, people):
    letter = DraftLetterFactory(review__partnership=people.home, letter_date=date(2025, 11, 7))
    client.force_login(people.coordinator)
    response = client.get(reverse("qa_feedback:check", args=[letter.review_id, letter.pk]))
    html = response.content.decode()
    assert "could not read" not in html
    assert "As the app read it from the letter: correct it if it is wrong" in html
    form = response.context["form"]
    assert form["letter_date"].value() == date(2025, 11, 7)


@pytest.mark.parametrize(
    ("letter_date", "message"),
    [
        (None, "Enter the date of the letter"),
        (
            NOTIFIED - timedelta(days=1),
            "The letter's date must be on or after the notification, 4 March 2025",
        ),
        (
            date(2023, 10, 18),
            "The letter's date must be on or after the notification, 4 March 2025",
        ),
        (TOMORROW, "The letter's date must be today or in the past"),
    ],
    ids=["left empty", "the day before the notification", "years before", "tomorrow"],
)
def test_a_bad_letter_date_is_explained_on_its_field_kept_and_nothing_saved(
    client, people, draft, letter_date, message
):
    letter_date = _on(letter_date)
    signatory = draft.signatory
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    response = client.post(url, _form(draft, letter_date))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'<a href="#id_letter_date_0">{escape(message)}</a>' in html
    assert _field_error(html, "letter_date", message)
    assert response.context["form"].errors == {"letter_date": [message]}
    # The input is kept: the date typed, the other answers, the points.
    if letter_date:
        assert response.context["form"]["letter_date"].value() == [
            str(letter_date.day),
            str(letter_date.month),
            str(letter_date.year),
        ]
    assert 'value="Kept signatory"' in html
    assert "Kept text of point 1" in html
    assert "The app could not read the date of the letter." in html  # still flagged
    draft.refresh_from_db()
    assert draft.is_draft
    assert (draft.letter_date, draft.received_on, draft.signatory) == (None, None, signatory)
    assert draft.points.get().text != "Kept text of point 1"
    assert draft.review.status == Status.SUBMITTED


def test_a_letter_dated_on_the_notification_day_is_recorded_from_the_page(client, people, draft):
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    response = client.post(url, _form(draft, NOTIFIED))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == QALetter.State.RECORDED
    assert draft.letter_date == NOTIFIED


def test_the_service_refuses_what_the_form_let_through_on_the_date_field(client, people, draft):
    """The rule holds in the service whatever the form checks: its refusal is shown on the
    field it names, like the form's own."""
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:check", args=[draft.review_id, draft.pk])
    lenient = SimpleNamespace(letter_dates_wrong=lambda *args, **kwargs: {})
    with mock.patch("qa_feedback.forms.workflow", lenient):
        response = client.post(url, _form(draft, date(2023, 10, 18)))
    message = "The letter's date must be on or after the notification, 4 March 2025"
    assert response.status_code == 200
    assert response.context["form"].errors == {"letter_date": [message]}
    assert _field_error(response.content.decode(), "letter_date", message)
    draft.refresh_from_db()
    assert draft.is_draft
    assert draft.review.status == Status.SUBMITTED


# --- the admin, where an administrator may correct a letter


def _admin_form(letter, admin, **changes):
    letter = QALetter.objects.get(pk=letter.pk)  # as stored (a form changes its instance)
    request = RequestFactory().get("/admin/")
    request.user = admin
    form_class = site._registry[QALetter].get_form(request, obj=letter)
    data = {**model_to_dict(letter), **changes}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    return form_class(data=data, instance=letter)


def test_the_admin_keeps_a_recorded_letters_dates_to_the_rule(people):
    letter = QALetterFactory(review__partnership=people.home)
    assert letter.review.notified_on == NOTIFIED_ON
    form = _admin_form(
        letter, people.admin, letter_date=date(2024, 1, 31), received_on=date(2024, 2, 2)
    )
    assert not form.is_valid()
    assert form.errors["letter_date"] == [
        "The letter's date must be on or after the notification, 31 January 2025"
    ]
    form = _admin_form(letter, people.admin, letter_date=None)
    assert form.errors["letter_date"] == ["Enter the date of the letter"]
    form = _admin_form(letter, people.admin, letter_date=NOTIFIED_ON, panel_date=None)
    assert form.is_valid(), form.errors


def test_the_admin_lets_a_draft_wait_for_its_dates(people, draft):
    form = _admin_form(draft, people.admin)
    assert form.is_valid(), form.errors
    form = _admin_form(draft, people.admin, letter_date=timezone.localdate() + timedelta(days=1))
    assert form.errors["letter_date"] == ["The letter's date must be today or in the past"]


def test_the_other_dates_are_compared_only_with_a_letter_date_that_is_right():
    """A letter's date refused is the one thing to fix: the dates compared with it are not
    said to be wrong as well."""
    tomorrow = TODAY + timedelta(days=1)
    assert _wrong(letter_date=tomorrow, received_on=TODAY, panel_date=TODAY) == {
        "letter_date": "The letter's date must be today or in the past"
    }
    early = NOTIFIED - timedelta(days=30)
    assert _wrong(letter_date=early, received_on=TODAY, panel_date=TODAY) == {
        "letter_date": "The letter's date must be on or after the notification, 4 March 2025"
    }

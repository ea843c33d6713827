"""A partnership's settings page: its coordinators change it, its chairs read it, everyone else
is told it does not exist; bad input is explained, kept and not saved."""

import lxml.html
import pytest
from django.urls import reverse

from dhr.models import Partnership

# Every value differs from a new partnership's, so that what comes back is the input kept.
GOOD = {
    "guidance_version": "2024-draft",
    "reminder_days_before": "21, 7, 0",
    "overdue_reminder_every_days": "5",
    "qa_revision_days": "45",
    "national_reply_days": "42",
    "commissioner_copy_days": "14",
    "retention_years": "12",
    "review_wording": "dardr",
}

# role -> (GET, POST with good input)
ACCESS = {
    "coordinator": (200, 302),
    "admin": (200, 302),
    "chair": (200, 403),
    "viewer": (404, 404),
    "other_coordinator": (404, 404),
    "other_chair": (404, 404),
    "other_viewer": (404, 404),
    "agency_contact": (404, 404),
    "other_agency_contact": (404, 404),
    "stranger": (404, 404),
}


def _url(slug="home"):
    return reverse("reviews:settings", args=[slug])


def _snapshot(partnership):
    row = Partnership.objects.get(pk=partnership.pk)
    fields = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    return fields, row.history.count()


def test_a_new_partnership_has_none_of_the_values_these_tests_post(people):
    home = people.home
    assert home.guidance_version != GOOD["guidance_version"]
    assert home.reminder_days_before == [14, 3, 0]
    assert (home.overdue_reminder_every_days, home.qa_revision_days) == (7, 60)
    assert home.retention_years == 7
    assert home.national_reply_days == 56
    assert home.commissioner_copy_days == 28
    assert home.review_wording == "dhr"


@pytest.mark.parametrize("role", list(ACCESS))
def test_each_role_may_see_the_settings_or_gets_404(client, people, role):
    client.force_login(getattr(people, role))
    response = client.get(_url())
    assert response.status_code == ACCESS[role][0]


@pytest.mark.parametrize("role", list(ACCESS))
def test_only_coordinators_and_administrators_change_the_settings(client, people, role):
    before = _snapshot(people.home)
    client.force_login(getattr(people, role))
    response = client.post(_url(), GOOD)
    assert response.status_code == ACCESS[role][1]
    changed = _snapshot(people.home) != before
    assert changed is (response.status_code == 302)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_those_who_change_the_settings_get_the_form(client, people, role):
    client.force_login(getattr(people, role))
    page = client.get(_url()).content.decode()
    assert 'name="reminder_days_before"' in page
    assert 'value="14, 3, 0"' in page
    assert "Only a coordinator can change these." not in page


def test_a_chair_reads_the_settings_without_a_form(client, people):
    client.force_login(people.chair)
    page = client.get(_url()).content.decode()
    assert 'name="reminder_days_before"' not in page
    assert "Only a coordinator can change these." in page
    assert "14, 3, 0" in page


def test_anonymous_users_are_sent_to_sign_in(client, people):
    before = _snapshot(people.home)
    for response in (client.get(_url()), client.post(_url(), GOOD)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert _snapshot(people.home) == before


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_an_unknown_partnership_is_not_found(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(_url("nowhere")).status_code == 404
    assert client.post(_url("nowhere"), GOOD).status_code == 404


def test_the_other_partnerships_coordinator_sees_only_their_own(client, people):
    client.force_login(people.other_coordinator)
    assert client.get(_url("away")).status_code == 200
    assert client.get(_url("home")).status_code == 404


DAYS_AS_NUMBERS = "Enter the days as whole numbers separated by commas, like 14, 3, 0"

# key -> (changes to the good input, the message, what is kept on the page)
BAD = {
    "reminder-days-in-words": (
        {"reminder_days_before": "fortnight"},
        DAYS_AS_NUMBERS,
        ['value="fortnight"'],
    ),
    "reminder-days-negative": (
        {"reminder_days_before": "14, -3"},
        DAYS_AS_NUMBERS,
        ['value="14, -3"'],
    ),
    # str.isdigit() is true of a superscript two, which int() refuses.
    "reminder-days-superscript": (
        {"reminder_days_before": "14, 3\u00b2"},
        DAYS_AS_NUMBERS,
        ['value="14, 3\u00b2"'],
    ),
    "reminder-days-too-early": (
        {"reminder_days_before": "120"},
        "Each reminder day must be 90 or fewer days before",
        ['value="120"'],
    ),
    "reminder-days-empty": (
        {"reminder_days_before": ""},
        "Enter the days before a deadline to send reminders",
        ['value="5"', 'value="45"'],
    ),
    "overdue-negative": (
        {"overdue_reminder_every_days": "-1"},
        "How often to remind cannot be less than 0",
        ['value="-1"'],
    ),
    "overdue-in-words": (
        {"overdue_reminder_every_days": "abc"},
        "Enter how often to remind as a whole number of days, like 7",
        ['value="abc"'],
    ),
    "overdue-too-long": (
        {"overdue_reminder_every_days": "91"},
        "How often to remind must be 90 days or fewer",
        ['value="91"'],
    ),
    "overdue-empty": (
        {"overdue_reminder_every_days": ""},
        "Enter how often to remind while overdue, or 0",
        ['value="21, 7, 0"', 'value="45"'],
    ),
    "qa-revision-zero": (
        {"qa_revision_days": "0"},
        "The days to revise a report must be at least 1",
        ['value="0"'],
    ),
    "retention-zero": (
        {"retention_years": "0"},
        "The years to keep a review&#x27;s record must be at least 1",
        ['value="0"', 'value="45"'],
    ),
    "retention-words": (
        {"retention_years": "seven"},
        "Enter the years to keep a review&#x27;s record as a whole number, like 7",
        ['value="seven"'],
    ),
    "national-reply-zero": (
        {"national_reply_days": "0"},
        "The days a national body has to reply must be at least 1",
        ['value="0"', 'value="45"'],
    ),
    "national-reply-words": (
        {"national_reply_days": "eight weeks"},
        "Enter the days a national body has to reply as a whole number, like 56",
        ['value="eight weeks"'],
    ),
    "qa-revision-empty": (
        {"qa_revision_days": ""},
        "Enter the days to revise a report after the QA letter",
        ['value="21, 7, 0"', 'value="5"'],
    ),
    "commissioner-copy-zero": (
        {"commissioner_copy_days": "0"},
        "The days to send the Commissioner a copy must be at least 1",
        ['value="0"', 'value="45"'],
    ),
    "commissioner-copy-too-long": (
        {"commissioner_copy_days": "400"},
        "The days to send the Commissioner a copy must be 365 or fewer",
        ['value="400"'],
    ),
    "commissioner-copy-words": (
        {"commissioner_copy_days": "a month"},
        "Enter the days to send the Commissioner a copy as a whole number, like 28",
        ['value="a month"'],
    ),
    "commissioner-copy-empty": (
        {"commissioner_copy_days": ""},
        "Enter the days to send the Domestic Abuse Commissioner a copy",
        ['value="21, 7, 0"', 'value="45"'],
    ),
    "guidance-missing": (
        {"guidance_version": None},
        "Select the guidance new reviews start under",
        ['value="21, 7, 0"', 'value="5"', 'value="45"'],
    ),
    "guidance-unknown": (
        {"guidance_version": "2030"},
        "Select the guidance new reviews start under",
        ['value="21, 7, 0"', 'value="5"', 'value="45"'],
    ),
    "wording-missing": (
        {"review_wording": None},
        "Select what the partnership calls its reviews",
        ['value="21, 7, 0"', 'value="5"', 'value="45"'],
    ),
    "wording-unknown": (
        {"review_wording": "dvhr"},
        "Select what the partnership calls its reviews",
        ['value="21, 7, 0"', 'value="5"', 'value="45"'],
    ),
}


@pytest.mark.parametrize("key", list(BAD))
def test_bad_input_is_explained_kept_and_not_saved(client, people, key):
    changes, message, kept = BAD[key]
    data = {name: value for name, value in {**GOOD, **changes}.items() if value is not None}
    before = _snapshot(people.home)
    client.force_login(people.coordinator)

    response = client.post(_url(), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error:" in page
    summary = page.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    assert message in summary
    flat = " ".join(page.split())
    for text in kept:
        assert text in flat, text
    if key != "guidance-unknown" and "guidance_version" not in changes:
        assert 'value="2024-draft" checked' in flat
    assert _snapshot(people.home) == before


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("21, 7, 0", [21, 7, 0]), ("0,7,21", [21, 7, 0]), ("21; 7; 0; 7", [21, 7, 0])],
)
def test_good_input_is_saved(client, people, typed, saved):
    client.force_login(people.coordinator)

    response = client.post(_url(), {**GOOD, "reminder_days_before": typed})

    assert response.status_code == 302
    assert response.url == _url()
    home = Partnership.objects.get(pk=people.home.pk)
    assert home.reminder_days_before == saved
    assert (home.guidance_version, home.overdue_reminder_every_days, home.qa_revision_days) == (
        "2024-draft",
        5,
        45,
    )
    assert home.national_reply_days == 42
    assert home.commissioner_copy_days == 14
    latest = home.history.latest()
    assert latest.history_user == people.coordinator
    assert latest.history_change_reason == "Settings changed"
    page = client.get(response.url).content.decode()
    assert "Settings saved" in page
    assert 'value="21, 7, 0"' in page


def test_no_reminders_once_overdue_is_a_setting(client, people):
    client.force_login(people.coordinator)
    response = client.post(_url(), {**GOOD, "overdue_reminder_every_days": "0"})
    assert response.status_code == 302
    assert Partnership.objects.get(pk=people.home.pk).overdue_reminder_every_days == 0


@pytest.mark.parametrize(
    ("name", "width"),
    [
        ("overdue_reminder_every_days", 2),
        ("qa_revision_days", 3),
        ("national_reply_days", 3),
        ("commissioner_copy_days", 3),
        ("retention_years", 2),
    ],
)
def test_each_number_is_a_gov_uk_number_input_with_its_error(client, people, name, width):
    client.force_login(people.coordinator)
    for data, error in ((None, False), ({**GOOD, name: "many"}, True)):
        response = client.post(_url(), data) if data else client.get(_url())
        field = lxml.html.fromstring(response.content.decode()).get_element_by_id(f"id_{name}")
        assert field.get("type") == "text"
        assert field.get("inputmode") == "numeric"
        classes = ["govuk-input", f"govuk-input--width-{width}"]
        assert field.get("class").split() == classes + (["govuk-input--error"] if error else [])

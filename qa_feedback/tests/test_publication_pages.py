"""The pages of rules 8 and 9: the copies of the approved report, each copy's form, and the
partnership's own publication steps. Bad input is explained GOV.UK-style, kept and not saved;
those who may read but not change get 403, everyone else 404 (the matrix in test_permissions)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from dhr.tests.demo_data import load_demo
from qa_feedback import publication
from qa_feedback.models import OwnPublicationStep, ReportCopy
from qa_feedback.tests.test_pages import _date, _summary
from reviews.models import AgencyReport
from reviews.tests.factories import ReviewApprovedFactory

APPROVED = date(2026, 3, 2)


@pytest.fixture
def review(people):
    review = ReviewApprovedFactory(partnership=people.home, approved_for_publication_on=APPROVED)
    AgencyReport.objects.create(
        review=review, agency=people.involved_agency, requested_on=APPROVED, due_on=APPROVED
    )
    return review


def _commissioner(review):
    return reverse("qa_feedback:commissioner_copy", args=[review.pk])


def test_the_copies_page_shows_the_commissioner_s_date_and_each_agency(client, people, review):
    client.force_login(people.viewer)
    review.viewers.add(people.viewer)
    html = client.get(reverse("qa_feedback:copies", args=[review.pk])).content.decode()
    assert "Due 30 March 2026" in html
    assert "days overdue" in html
    assert people.involved_agency.name in html
    assert _commissioner(review) not in html  # a viewer reads, records nothing


def test_a_coordinator_records_the_commissioner_s_copy(client, people, review):
    client.force_login(people.coordinator)
    response = client.post(
        _commissioner(review),
        {**_date("sent_on", 9, 3, 2026), "sent_to": "DHR team", "method": "email"},
    )
    assert response.status_code == 302
    assert response.url == reverse("qa_feedback:copies", args=[review.pk])
    copy = ReportCopy.objects.get()
    assert (copy.agency, copy.sent_on, copy.method) == (None, date(2026, 3, 9), "email")
    html = client.get(response.url).content.decode()
    assert "Recorded: Copy to the Domestic Abuse Commissioner" in html
    assert "9 March 2026" in html
    assert "By email" in html
    qa = client.get(reverse("qa_feedback:review", args=[review.pk])).content.decode()
    assert 'data-step="commissioner"' in qa
    # Taken back when recorded by mistake.
    client.post(_commissioner(review), {"undo": "1"})
    assert not ReportCopy.objects.exists()


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        (
            {**_date("sent_on", 1, 1, 2026), "sent_to": "Kept name"},
            "The date it was sent must be on or after the CSP chair&#x27;s approval for "
            "publication",
            'value="Kept name"',
        ),
        (
            {**_date("sent_on", 1, 1, 2999), "sent_to": "Kept name"},
            "must be today or in the past",
            'value="Kept name"',
        ),
        (
            {**_date("sent_on", 31, 2, 2026), "sent_to": "Kept name"},
            "must be a real date",
            'value="Kept name"',
        ),
        ({"sent_to": "Kept name"}, "Enter the date it was sent", 'value="Kept name"'),
        (
            {**_date("sent_on", 9, 3, 2026), "method": "pigeon"},
            "Select how the copy was sent",
            'value="9"',
        ),
    ],
)
def test_a_copy_with_bad_input_is_explained_kept_and_not_saved(
    client, people, review, data, message, kept
):
    client.force_login(people.coordinator)
    html = _summary(client.post(_commissioner(review), data))
    summary = html.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    assert message in summary, summary
    assert "<title>Error:" in html
    assert kept in html
    assert not ReportCopy.objects.exists()


def test_an_agency_that_took_no_part_has_no_copy_page(client, people, review):
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:agency_copy", args=[review.pk, people.other_agency.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _date("sent_on", 9, 3, 2026)).status_code == 404
    ours = reverse("qa_feedback:agency_copy", args=[review.pk, people.involved_agency.pk])
    assert client.post(ours, _date("sent_on", 9, 3, 2026)).status_code == 302
    assert ReportCopy.objects.get().agency == people.involved_agency


def _commissioner_row(client, review) -> str:
    html = client.get(reverse("qa_feedback:review", args=[review.pk])).content.decode()
    return html.split('data-step="commissioner"', 1)[1].split("</div>", 1)[0]


def test_the_checklist_s_commissioner_row_says_when_it_is_due_and_how_late(client, people, review):
    client.force_login(people.coordinator)
    row = _commissioner_row(client, review)  # due 30 March 2026, long overdue
    assert "Not done" in row
    assert "Due by 30 March 2026" in row
    assert "days overdue" in row
    assert ">Change<" not in row  # nothing recorded yet to correct
    publication.copy_record(
        review=review, by=people.coordinator, agency=None, sent_on=date(2026, 4, 2)
    )
    row = _commissioner_row(client, review)
    assert "Done</strong>" in row
    assert "2 April 2026" in row
    assert re.search(rf"by\s+{re.escape(people.coordinator.name)}", row)  # as every row says
    assert "3 days late" in row
    assert "Due by 30 March 2026" in row
    # The recorded date is corrected from the row, on the copy's own form.
    assert f'href="{_commissioner(review)}">Change<' in row
    publication.copy_record(
        review=review, by=people.coordinator, agency=None, sent_on=date(2026, 3, 30)
    )
    assert "late" not in _commissioner_row(client, review)


def test_only_a_coordinator_is_offered_the_commissioner_row_s_change_link(client, people, review):
    publication.copy_record(review=review, by=people.coordinator, agency=None, sent_on=APPROVED)
    review.viewers.add(people.viewer)
    for reader in (people.chair, people.viewer):
        client.force_login(reader)
        row = _commissioner_row(client, review)
        assert "Due by 30 March 2026" in row
        assert _commissioner(review) not in row
        assert (
            "govuk-summary-list__row--no-actions"
            in client.get(reverse("qa_feedback:review", args=[review.pk]))
            .content.decode()
            .split('data-step="commissioner"', 1)[0]
            .rsplit("<div", 1)[1]
        )


def test_a_chair_reads_the_copies_but_cannot_record_them(client, people, review):
    client.force_login(people.chair)
    assert client.get(reverse("qa_feedback:copies", args=[review.pk])).status_code == 200
    assert client.post(_commissioner(review), _date("sent_on", 9, 3, 2026)).status_code == 403
    assert not ReportCopy.objects.exists()


# --- the partnership's own steps


def _steps(slug="home"):
    return reverse("qa_feedback:own_steps", args=[slug])


def test_a_coordinator_adds_changes_and_removes_a_step(client, people):
    client.force_login(people.coordinator)
    response = client.post(_steps(), {"text": "Tell the Safeguarding Adults Board"})
    assert response.status_code == 302
    step = OwnPublicationStep.objects.get()
    html = client.get(_steps()).content.decode()
    assert "Step added: Tell the Safeguarding Adults Board" in html
    edit = reverse("qa_feedback:own_step", args=["home", step.pk])
    assert client.post(edit, {"text": "Tell the SAB"}).status_code == 302
    step.refresh_from_db()
    assert step.text == "Tell the SAB"
    remove = reverse("qa_feedback:own_step_remove", args=["home", step.pk])
    assert 'Remove "Tell the SAB"?' in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    step.refresh_from_db()
    assert step.removed_on is not None
    assert "The partnership has no steps of its own." in client.get(_steps()).content.decode()
    # A removed step has no pages any more.
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter what the step is"),
        ("    ", "Enter what the step is"),
        ("x" * 201, "200 characters or fewer"),
        ("already there", "The partnership already has this step"),
    ],
)
def test_a_bad_step_is_explained_kept_and_not_saved(client, people, text, message):
    publication.own_step_add(partnership=people.home, by=people.coordinator, text="Already there")
    client.force_login(people.coordinator)
    html = _summary(client.post(_steps(), {"text": text}))
    summary = html.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    assert message in summary, summary
    if text.strip():
        assert f'value="{text}"' in html
    assert OwnPublicationStep.objects.count() == 1


def test_a_chair_reads_the_steps_but_cannot_change_them(client, people):
    step = publication.own_step_add(partnership=people.home, by=people.coordinator, text="Brief")
    client.force_login(people.chair)
    html = client.get(_steps()).content.decode()
    assert "Brief" in html
    assert "Only a coordinator can change these." in html
    assert client.post(_steps(), {"text": "Another"}).status_code == 403
    edit = reverse("qa_feedback:own_step", args=["home", step.pk])
    assert client.post(edit, {"text": "Changed"}).status_code == 403
    remove = reverse("qa_feedback:own_step_remove", args=["home", step.pk])
    assert client.post(remove).status_code == 403
    step.refresh_from_db()
    assert (step.text, step.removed_on) == ("Brief", None)
    assert OwnPublicationStep.objects.count() == 1


def test_another_partnership_s_step_is_not_found(client, people):
    step = publication.own_step_add(partnership=people.home, by=people.coordinator, text="Brief")
    client.force_login(people.other_coordinator)
    assert client.get(_steps()).status_code == 404
    assert client.get(reverse("qa_feedback:own_step", args=["away", step.pk])).status_code == 404
    assert (
        client.post(reverse("qa_feedback:own_step_remove", args=["away", step.pk])).status_code
        == 404
    )
    assert OwnPublicationStep.objects.get().removed_on is None


def test_the_settings_page_edits_the_commissioner_s_days(client, people):
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:settings", args=["home"])).content.decode()
    assert 'name="commissioner_copy_days"' in page
    assert 'value="28"' in page
    review = ReviewApprovedFactory(partnership=people.home, approved_for_publication_on=APPROVED)
    people.home.commissioner_copy_days = 14
    people.home.save()
    html = client.get(reverse("qa_feedback:copies", args=[review.pk])).content.decode()
    assert f"Due {APPROVED + timedelta(days=14):%-d %B %Y}" in html


@pytest.mark.slow
def test_the_demo_shows_a_commissioner_copy_due_and_one_sent(client, db):

    from dhr.models import User
    from reviews.models import Review, Status

    load_demo()
    client.force_login(User.objects.get(email="coordinator@example.org"))
    due = Review.objects.get(victim_pseudonym="Maya", status=Status.APPROVED)
    html = client.get(reverse("qa_feedback:copies", args=[due.pk])).content.decode()
    commissioner = html.split('id="commissioner-copy"', 1)[1].split("</dl>", 1)[0]
    assert "Not sent" in commissioner
    assert "Due " in commissioner
    agencies = html.split('id="agency-copies"', 1)[1].split("</dl>", 1)[0]
    assert "Sent</strong>" in agencies  # one agency's senior manager has had theirs
    sent = Review.objects.get(victim_pseudonym="Nell", status=Status.PUBLISHED)
    copy = ReportCopy.objects.get(review=sent, agency__isnull=True)
    html = client.get(reverse("qa_feedback:copies", args=[sent.pk])).content.decode()
    commissioner = html.split('id="commissioner-copy"', 1)[1].split("</dl>", 1)[0]
    assert "Sent</strong>" in commissioner
    assert f"{copy.sent_on:%-d %B %Y}" in commissioner

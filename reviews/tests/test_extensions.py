"""Extensions to the overview report's timescale: asked for by a coordinator while the report is
still to come, decided by a chair; each step allowed from its states, refused from the others
and by other roles, atomic, and told to the people who act next by email."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from dhr.errors import NotAllowed, TransitionError
from dhr.models import OutgoingEmail
from reviews import services, workflow
from reviews.models import Extension, Status
from reviews.tests.factories import FACTORY_FOR_STATUS

LONDON = ZoneInfo("Europe/London")
# Every factory review decided to proceed on 20 February 2025: its report is due 20 August 2025.
STATUTORY_DUE = date(2025, 8, 20)
ON = date(2025, 6, 2)
NEW_DUE = date(2025, 11, 20)
REASON = "The criminal trial is listed for September"

REPORT_STAGES = [s for s in Status if s in workflow.REPORT_CLOCK_RUNS_IN]
OTHER_STAGES = [s for s in Status if s not in workflow.REPORT_CLOCK_RUNS_IN]


def _review(people, status=Status.AGENCY_REPORTS):
    return FACTORY_FOR_STATUS[status](partnership=people.home)


def _request(review, by, new_due_on=NEW_DUE):
    return services.extension_request(
        review=review, by=by, requested_on=ON, new_due_on=new_due_on, reason=REASON
    )


def _decide(extension, by, approve=True, comment=""):
    return services.extension_decide(
        extension=extension, by=by, approve=approve, decided_on=ON, comment=comment
    )


def _snapshot(review):
    review.refresh_from_db()
    return {
        f.attname: getattr(review, f.attname)
        for f in review._meta.concrete_fields
        if f.name != "updated_at"
    }


def _queue_then_fail(monkeypatch):
    """Write the email to the outbox as usual, then fail: the last step of both services."""
    queue = services.email_queue

    def failing(**kwargs):
        queue(**kwargs)
        raise RuntimeError("outbox down")

    monkeypatch.setattr("reviews.services.email_queue", failing)


# --- asking for an extension


@pytest.mark.parametrize("status", REPORT_STAGES)
def test_an_extension_may_be_asked_for_while_the_report_is_to_come(people, status):
    review = _review(people, status)
    extension = _request(review, people.coordinator)
    extension.refresh_from_db()
    assert extension.review == review
    assert extension.status == Extension.Status.REQUESTED
    assert (extension.requested_on, extension.requested_by) == (ON, people.coordinator)
    assert (extension.new_due_on, extension.reason) == (NEW_DUE, REASON)
    latest = extension.history.latest()
    assert latest.history_user == people.coordinator
    assert latest.history_change_reason == "Extension requested"
    # Asking moves nothing: the date stays until a chair approves it.
    review.refresh_from_db()
    assert review.report_due_on == STATUTORY_DUE


@pytest.mark.parametrize("status", OTHER_STAGES)
def test_an_extension_is_refused_before_the_decision_and_after_sign_off(people, status):
    review = _review(people, status)
    with pytest.raises(TransitionError, match="can no longer be changed"):
        _request(review, people.coordinator)
    assert not Extension.objects.exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("role", ["chair", "viewer", "other_coordinator", "agency_contact"])
def test_only_the_partnerships_coordinators_ask_for_an_extension(people, role):
    review = _review(people)
    with pytest.raises(NotAllowed):
        _request(review, getattr(people, role))
    assert not Extension.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_extension_is_refused_while_another_awaits_a_decision(people):
    review = _review(people)
    first = _request(review, people.coordinator)
    with pytest.raises(TransitionError, match="already awaiting a decision"):
        _request(review, people.coordinator, new_due_on=date(2026, 1, 31))
    assert list(review.extensions.all()) == [first]
    assert OutgoingEmail.objects.count() == 1


def test_another_extension_may_be_asked_for_once_the_first_is_decided(people):
    review = _review(people)
    _decide(_request(review, people.coordinator), people.chair, approve=False, comment="No")
    second = _request(review, people.coordinator, new_due_on=date(2026, 1, 31))
    assert second.status == Extension.Status.REQUESTED
    assert review.extensions.count() == 2


@pytest.mark.parametrize("new_due_on", [STATUTORY_DUE, date(2025, 7, 1)])
def test_the_new_date_must_be_after_the_date_the_report_is_due(people, new_due_on):
    review = _review(people)
    with pytest.raises(ValidationError) as error:
        _request(review, people.coordinator, new_due_on=new_due_on)
    assert error.value.messages == [
        "The new date must be after the date the report is now due, 20 August 2025"
    ]
    assert not Extension.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_new_date_must_be_after_the_date_an_approved_extension_set(people):
    review = _review(people)
    _decide(_request(review, people.coordinator), people.chair)
    # After the statutory date, but not after the date the approved extension moved it to.
    with pytest.raises(ValidationError, match="now due, 20 November 2025"):
        _request(review, people.coordinator, new_due_on=date(2025, 10, 1))
    assert review.extensions.count() == 1


def test_asking_for_an_extension_is_atomic(people, monkeypatch):
    """The extension and its email are written, then the service fails: nothing is kept."""
    review = _review(people)
    fields = _snapshot(review)
    _queue_then_fail(monkeypatch)
    with pytest.raises(RuntimeError, match="outbox down"):
        _request(review, people.coordinator)
    assert not Extension.objects.exists()
    assert not Extension.history.exists()
    assert not OutgoingEmail.objects.exists()
    assert _snapshot(review) == fields


def test_the_chairs_are_emailed_when_an_extension_is_asked_for(people):
    review = _review(people)
    _request(review, people.coordinator)
    email = OutgoingEmail.objects.get()
    assert email.to == [people.chair.email]
    assert email.partnership == people.home
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.subject == f"Extension awaiting your decision: {review.public_title}"
    link = settings.SITE_URL + review.get_absolute_url()
    assert review.public_title in email.body
    assert "The overview report is now due: 20 August 2025" in email.body
    assert "New date asked for: 20 November 2025" in email.body
    assert f"Asked for by: {people.coordinator.name} on 2 June 2025" in email.body
    assert REASON in email.body
    assert link in email.body
    assert escape(review.public_title) in email.html
    assert "20 November 2025" in email.html
    assert f'href="{link}"' in email.html
    # The confidential name never goes into an email.
    assert review.victim_name not in email.body + email.html


# --- deciding an extension


@pytest.mark.parametrize("status", REPORT_STAGES)
def test_an_approved_extension_moves_the_report_due_date(people, status):
    review = _review(people, status)
    extension = _decide(_request(review, people.coordinator), people.chair)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED
    assert (extension.decided_on, extension.decided_by) == (ON, people.chair)
    assert extension.history.latest().history_change_reason == "Extension approved"
    review.refresh_from_db()
    assert review.report_due_on == NEW_DUE


def test_a_refused_extension_leaves_the_report_due_date(people):
    review = _review(people)
    extension = _decide(
        _request(review, people.coordinator), people.chair, approve=False, comment="Too long"
    )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REFUSED
    assert extension.decision_comment == "Too long"
    assert extension.history.latest().history_change_reason == "Extension refused"
    review.refresh_from_db()
    assert review.report_due_on == STATUTORY_DUE


def test_an_administrator_may_decide_an_extension(people):
    review = _review(people)
    _decide(_request(review, people.coordinator), people.admin)
    review.refresh_from_db()
    assert review.report_due_on == NEW_DUE


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_refusal_needs_a_reason(people, comment):
    review = _review(people)
    extension = _request(review, people.coordinator)
    with pytest.raises(ValidationError, match="Say why the extension is refused"):
        _decide(extension, people.chair, approve=False, comment=comment)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REQUESTED
    assert extension.decided_on is None
    assert OutgoingEmail.objects.count() == 1  # the request's only


@pytest.mark.parametrize(
    "role", ["coordinator", "viewer", "other_chair", "other_coordinator", "agency_contact"]
)
def test_only_the_partnerships_chairs_decide_an_extension(people, role):
    review = _review(people)
    extension = _request(review, people.coordinator)
    with pytest.raises(NotAllowed):
        _decide(extension, getattr(people, role))
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REQUESTED
    review.refresh_from_db()
    assert review.report_due_on == STATUTORY_DUE


@pytest.mark.parametrize("approve", [True, False])
def test_an_extension_is_decided_once(people, approve):
    review = _review(people)
    extension = _decide(
        _request(review, people.coordinator), people.chair, approve=approve, comment="Reason"
    )
    with pytest.raises(TransitionError, match="already been decided"):
        _decide(extension, people.chair, approve=not approve, comment="Changed my mind")
    extension.refresh_from_db()
    assert extension.status == (Extension.Status.APPROVED if approve else Extension.Status.REFUSED)
    assert extension.decision_comment == "Reason"
    assert OutgoingEmail.objects.count() == 2


@pytest.mark.parametrize("status", OTHER_STAGES)
def test_an_extension_is_not_decided_outside_the_report_stages(people, status):
    review = _review(people, status)
    fields = _snapshot(review)
    extension = review.extensions.create(
        requested_on=ON, requested_by=people.coordinator, reason=REASON, new_due_on=NEW_DUE
    )
    with pytest.raises(TransitionError, match="can no longer be changed"):
        _decide(extension, people.chair)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REQUESTED
    assert _snapshot(review) == fields
    assert not OutgoingEmail.objects.exists()


def test_an_extension_still_awaiting_a_decision_at_sign_off_is_closed_undecided(people):
    review = _review(people, Status.DRAFTING)
    extension = _request(review, people.coordinator)
    services.review_transition(review=review, by=people.chair, action="sign_off", on=ON)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.WITHDRAWN
    assert extension.decision_comment == "Closed undecided: sign off the report."
    assert extension.history.latest().history_change_reason == "Extension closed undecided"
    with pytest.raises(TransitionError, match="already been decided"):
        _decide(extension, people.chair)
    review.refresh_from_db()
    assert review.report_due_on == STATUTORY_DUE


@pytest.mark.parametrize("approve", [True, False])
def test_deciding_an_extension_is_atomic(people, monkeypatch, approve):
    """The decision, the review's new date and the email are written, then the service fails:
    nothing is kept."""
    review = _review(people)
    extension = _request(review, people.coordinator)
    fields = _snapshot(review)
    versions = extension.history.count()
    _queue_then_fail(monkeypatch)
    with pytest.raises(RuntimeError, match="outbox down"):
        _decide(extension, people.chair, approve=approve, comment="Reason")
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REQUESTED
    assert (extension.decided_on, extension.decided_by, extension.decision_comment) == (
        None,
        None,
        "",
    )
    assert extension.history.count() == versions
    assert _snapshot(review) == fields
    assert OutgoingEmail.objects.count() == 1  # the request's only


@pytest.mark.parametrize(("approve", "word"), [(True, "approved"), (False, "refused")])
def test_the_coordinators_are_emailed_the_decision(people, approve, word):
    review = _review(people)
    extension = _request(review, people.coordinator)
    _decide(extension, people.chair, approve=approve, comment="Agreed at the panel")
    email = OutgoingEmail.objects.exclude(to=[people.chair.email]).get()
    assert email.to == [people.coordinator.email]
    assert email.partnership == people.home
    assert email.subject == f"Extension {word}: {review.public_title}"
    link = settings.SITE_URL + review.get_absolute_url()
    assert f"The CSP chair has {word} the extension you asked for." in email.body
    assert review.public_title in email.body
    assert "New date asked for: 20 November 2025" in email.body
    assert "Agreed at the panel" in email.body
    assert link in email.body
    assert escape(review.public_title) in email.html
    assert f'href="{link}"' in email.html
    assert review.victim_name not in email.body + email.html


# --- the pages


def _date(prefix, day, month, year):
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


@pytest.fixture
def on_the_day():
    """The pages use today's date: hold it at 2 June 2025, before the report is due."""
    with time_machine.travel(datetime(2025, 6, 2, 12, tzinfo=LONDON), tick=False):
        yield


def _assert_explained_and_kept(response, messages, kept):
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error:" in page
    summary = page.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    for message in messages:
        assert message in summary, message
    flat = " ".join(page.split())
    for text in kept:
        assert text in flat, text


REQUEST_CASES = {
    "empty": (
        {**_date("new_due_on", "", "", ""), "reason": ""},
        ["Enter the new date the report is due", "Enter why more time is needed"],
        [],
    ),
    "in-the-past": (
        {**_date("new_due_on", "1", "3", "2025"), "reason": "Kept reason"},
        ["The new date the report is due must be in the future"],
        ["Kept reason", 'value="2025"'],
    ),
    "today": (
        {**_date("new_due_on", "2", "6", "2025"), "reason": "Kept reason"},
        ["The new date the report is due must be in the future"],
        ["Kept reason"],
    ),
    "not-a-real-date": (
        {**_date("new_due_on", "31", "2", "2026"), "reason": "Kept reason"},
        ["The new date the report is due must be a real date"],
        ["Kept reason", 'value="31"'],
    ),
    "far-too-late": (
        {**_date("new_due_on", "30", "12", "9999"), "reason": "Kept reason"},
        ["The new date must be no later than 20 August 2028, 3 years after the statutory date"],
        ["Kept reason", 'value="9999"'],
    ),
    "not-after-the-due-date": (
        {**_date("new_due_on", "1", "8", "2025"), "reason": "Kept reason"},
        ["The new date must be after the date the report is now due, 20 August 2025"],
        ["Kept reason", 'value="8"'],
    ),
}


@pytest.mark.parametrize("key", list(REQUEST_CASES))
def test_bad_input_on_the_extension_request_is_explained_kept_and_not_saved(
    client, people, on_the_day, key
):
    data, messages, kept = REQUEST_CASES[key]
    review = _review(people)
    fields = _snapshot(review)
    versions = review.history.count()
    client.force_login(people.coordinator)

    response = client.post(reverse("reviews:extension_add", args=[review.pk]), data)

    _assert_explained_and_kept(response, messages, kept)
    assert not Extension.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert _snapshot(review) == fields
    assert review.history.count() == versions


def test_asking_for_an_extension_on_the_page(client, people, on_the_day):
    review = _review(people)
    client.force_login(people.coordinator)
    url = reverse("reviews:extension_add", args=[review.pk])
    assert "The overview report is due by 20 August 2025" in client.get(url).content.decode()

    response = client.post(url, {**_date("new_due_on", "20", "11", "2025"), "reason": REASON})

    assert response.status_code == 302
    assert response.url == review.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Extension requested: the CSP chair has been told" in page
    assert "An extension to 20 November 2025 was asked for on 2 June 2025" in page
    extension = review.extensions.get()
    assert (extension.requested_on, extension.requested_by) == (ON, people.coordinator)
    assert (extension.new_due_on, extension.reason) == (NEW_DUE, REASON)
    assert OutgoingEmail.objects.get().to == [people.chair.email]


def test_the_review_page_offers_each_step_to_its_role(client, people, on_the_day):
    review = _review(people)
    ask = reverse("reviews:extension_add", args=[review.pk])
    client.force_login(people.coordinator)
    assert ask in client.get(review.get_absolute_url()).content.decode()
    client.force_login(people.chair)
    assert ask not in client.get(review.get_absolute_url()).content.decode()

    extension = _request(review, people.coordinator)
    decide = reverse("reviews:extension_decide", args=[review.pk, extension.pk])
    assert decide in client.get(review.get_absolute_url()).content.decode()
    client.force_login(people.coordinator)
    page = client.get(review.get_absolute_url()).content.decode()
    assert decide not in page
    assert ask not in page  # one extension awaits a decision at a time


@pytest.fixture
def awaiting(people):
    """A review at the agency reports stage with an extension awaiting a chair's decision."""
    review = _review(people)
    return review, _request(review, people.coordinator)


DECISION_CASES = {
    "nothing-chosen": (
        {"approve": "", "comment": "Kept comment"},
        ["Select whether you approve the extension"],
        ["Kept comment"],
    ),
    "refused-without-a-reason": (
        {"approve": "no", "comment": "   "},
        ["Say why the extension is refused"],
        ['value="no" checked'],
    ),
}


@pytest.mark.parametrize("key", list(DECISION_CASES))
def test_bad_input_on_the_decision_is_explained_kept_and_not_saved(
    client, people, on_the_day, awaiting, key
):
    data, messages, kept = DECISION_CASES[key]
    review, extension = awaiting
    fields = _snapshot(review)
    versions = extension.history.count()
    client.force_login(people.chair)

    response = client.post(
        reverse("reviews:extension_decide", args=[review.pk, extension.pk]), data
    )

    _assert_explained_and_kept(response, messages, kept)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REQUESTED
    assert (extension.decided_on, extension.decided_by) == (None, None)
    assert extension.history.count() == versions
    assert _snapshot(review) == fields
    assert OutgoingEmail.objects.count() == 1  # the request's only


@pytest.mark.parametrize(
    ("data", "message", "due"),
    [
        ({"approve": "yes", "comment": ""}, "Extension approved", NEW_DUE),
        ({"approve": "no", "comment": "Not needed"}, "Extension refused", STATUTORY_DUE),
    ],
)
def test_deciding_an_extension_on_the_page(
    client, people, on_the_day, awaiting, data, message, due
):
    review, extension = awaiting
    client.force_login(people.chair)
    url = reverse("reviews:extension_decide", args=[review.pk, extension.pk])
    assert "New date asked for" in client.get(url).content.decode()

    response = client.post(url, data)

    assert response.status_code == 302
    assert response.url == review.get_absolute_url()
    assert message in client.get(response.url).content.decode()
    extension.refresh_from_db()
    assert (extension.decided_on, extension.decided_by) == (ON, people.chair)
    review.refresh_from_db()
    assert review.report_due_on == due


def test_the_decision_page_is_closed_once_decided(client, people, on_the_day, awaiting):
    review, extension = awaiting
    _decide(extension, people.chair)
    client.force_login(people.chair)
    url = reverse("reviews:extension_decide", args=[review.pk, extension.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"approve": "no", "comment": "Changed my mind"}).status_code == 403
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED


def test_an_extension_of_another_review_is_not_found(client, people, awaiting):
    _, extension = awaiting
    other = _review(people)
    client.force_login(people.chair)
    url = reverse("reviews:extension_decide", args=[other.pk, extension.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"approve": "yes"}).status_code == 404
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REQUESTED

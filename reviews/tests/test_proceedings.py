"""Parallel proceedings and the report's clock (decision 0013): recording a trial, an inquest or
an IOPC investigation moves no date by itself; the coordinator says what the partnership agreed
(nothing, an extension, or a pause a chair agrees), and only an agreed pause stops the clock,
counting every day it runs, first and last included, once however many overlap."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from dhr.errors import NotAllowed, TransitionError
from dhr.models import OutgoingEmail
from reviews import deadlines, services, work
from reviews.chase import chase_run
from reviews.models import Extension, ParallelProceeding, Reminder, Review, Status
from reviews.selectors import review_report_clock
from reviews.tests.factories import FACTORY_FOR_STATUS, agreed_pause

# Every factory review decided to proceed on 20 February 2025: its report is due 20 August 2025.
STATUTORY_DUE = date(2025, 8, 20)
ON = date(2025, 6, 2)


@pytest.fixture
def review(people):
    return FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)


def _record(review, by, effect=None, kind="criminal_trial", proceeding=None, **dates):
    data = {
        "kind": kind,
        "started_on": dates.get("started_on", date(2025, 6, 1)),
        "ended_on": dates.get("ended_on", date(2025, 6, 30)),
    }
    if effect is not None:
        data["effect"] = effect
    return services.proceeding_save(review=review, by=by, data=data, proceeding=proceeding, on=ON)


def _due(review):
    review.refresh_from_db()
    return review.report_due_on


# --- through the services


def test_a_proceeding_with_no_agreed_change_moves_nothing(people, review):
    proceeding = _record(review, people.coordinator, effect="none")
    assert proceeding.effect == "none"
    assert proceeding.pause_status == ""
    assert _due(review) == STATUTORY_DUE
    clock = review_report_clock(review, date(2025, 7, 1))
    assert (clock.paused_days, clock.adjusted) == (0, STATUTORY_DUE)


def test_a_trial_or_investigation_must_say_what_was_agreed(people, review):
    for kind in ("criminal_trial", "iopc", "other"):
        with pytest.raises(ValidationError) as error:
            _record(review, people.coordinator, kind=kind)
        assert error.value.message_dict == {
            "effect": ["Select what the partnership agreed about the report's timescale"]
        }
    assert not review.proceedings.exists()


def test_an_effect_not_among_the_choices_is_refused(people, review):
    with pytest.raises(ValidationError, match="Select one of the choices given"):
        _record(review, people.coordinator, effect="stop-everything")
    assert not review.proceedings.exists()


def test_an_inquest_defaults_to_no_effect(people, review):
    """The coroner suspends an inquest while a homicide charge is pending."""
    inquest = _record(review, people.coordinator, kind="inquest")
    assert inquest.effect == ParallelProceeding.Effect.NONE
    assert not inquest.pauses_review
    assert _due(review) == STATUTORY_DUE


def test_a_pause_asked_for_moves_nothing_until_a_chair_agrees_it(people, review):
    proceeding = _record(review, people.coordinator, effect="pause")
    assert proceeding.pause_status == "requested"
    assert (proceeding.pause_requested_on, proceeding.pause_requested_by) == (
        ON,
        people.coordinator,
    )
    assert _due(review) == STATUTORY_DUE  # not agreed: the six months hold
    [asked] = OutgoingEmail.objects.filter(subject__startswith="Pause of the clock awaiting")
    assert asked.to == [people.chair.email]
    assert reverse("reviews:proceeding_pause", args=[review.pk, proceeding.pk]) in asked.body

    services.proceeding_pause_decide(
        proceeding=proceeding, by=people.chair, agree=True, decided_on=ON, comment=""
    )
    proceeding.refresh_from_db()
    assert proceeding.pause_status == "agreed"
    assert (proceeding.pause_decided_by, proceeding.pause_decided_on) == (people.chair, ON)
    # 1 to 30 June, first and last day included: 30 days.
    assert _due(review) == STATUTORY_DUE + timedelta(days=30)
    [told] = OutgoingEmail.objects.filter(subject__startswith="Pause of the clock agreed")
    assert told.to == [people.coordinator.email]
    reasons = list(proceeding.history.values_list("history_change_reason", flat=True))
    assert reasons == [
        "Pause of the clock agreed",
        "Parallel proceeding added: pause of the clock asked for",
    ]


def test_agreed_pauses_overlapping_count_each_day_once_and_unagreed_ones_not_at_all(people, review):
    agreed_pause(
        review,
        coordinator=people.coordinator,
        chair=people.chair,
        started_on=date(2025, 6, 1),
        ended_on=date(2025, 6, 20),
    )
    agreed_pause(
        review,
        coordinator=people.coordinator,
        chair=people.chair,
        kind="iopc",
        started_on=date(2025, 6, 10),
        ended_on=date(2025, 6, 30),
    )
    july = {"started_on": date(2025, 7, 1), "ended_on": date(2025, 7, 9)}
    _record(review, people.coordinator, effect="pause", **july)  # asked for, not agreed
    _record(review, people.coordinator, kind="inquest", **july)  # no effect
    assert _due(review) == STATUTORY_DUE + timedelta(days=30)  # 1-30 June, once


def test_an_agreed_pause_still_running_stops_the_clock(people, review):
    agreed_pause(
        review,
        coordinator=people.coordinator,
        chair=people.chair,
        started_on=date(2025, 6, 1),
        ended_on=None,
    )
    review.refresh_from_db()
    assert review.report_paused_since == date(2025, 6, 1)
    clock = review_report_clock(review, date(2025, 6, 10))
    assert clock.is_paused
    assert clock.paused_days == 10
    assert not any(d.kind == "report" for d in deadlines.of_review(review, date(2025, 9, 1)))


def test_a_refused_pause_leaves_the_proceeding_with_no_effect(people, review):
    proceeding = _record(review, people.coordinator, effect="pause")
    with pytest.raises(ValidationError):
        services.proceeding_pause_decide(
            proceeding=proceeding, by=people.chair, agree=False, decided_on=ON, comment=" "
        )
    services.proceeding_pause_decide(
        proceeding=proceeding,
        by=people.chair,
        agree=False,
        decided_on=ON,
        comment="Ask for an extension instead",
    )
    proceeding.refresh_from_db()
    assert (proceeding.pause_status, proceeding.effect) == ("refused", "none")
    assert _due(review) == STATUTORY_DUE
    # The coordinator may ask again.
    again = _record(review, people.coordinator, effect="pause", proceeding=proceeding)
    assert again.pause_status == "requested"


def test_only_a_chair_of_the_partnership_decides_a_pause_and_only_once(people, review):
    proceeding = _record(review, people.coordinator, effect="pause")
    for user in (people.coordinator, people.viewer, people.other_chair):
        with pytest.raises(NotAllowed):
            services.proceeding_pause_decide(
                proceeding=proceeding, by=user, agree=True, decided_on=ON, comment=""
            )
    services.proceeding_pause_decide(
        proceeding=proceeding, by=people.chair, agree=True, decided_on=ON, comment=""
    )
    with pytest.raises(TransitionError, match="already been decided"):
        services.proceeding_pause_decide(
            proceeding=proceeding, by=people.chair, agree=False, decided_on=ON, comment="No"
        )


def test_an_agreed_pause_stays_and_a_pause_asked_for_can_be_withdrawn(people, review):
    agreed = agreed_pause(
        review, coordinator=people.coordinator, chair=people.chair, started_on=date(2025, 6, 1)
    )
    with pytest.raises(ValidationError, match="that stays"):
        _record(review, people.coordinator, effect="none", proceeding=agreed)
    # Its end date can still be recorded: the pause is agreed while it runs.
    _record(
        review,
        people.coordinator,
        effect="pause",
        proceeding=agreed,
        ended_on=date(2025, 6, 5),
    )
    assert _due(review) == STATUTORY_DUE + timedelta(days=5)

    asked = _record(review, people.coordinator, effect="pause", kind="iopc")
    withdrawn = _record(review, people.coordinator, effect="none", proceeding=asked)
    assert (withdrawn.pause_status, withdrawn.effect) == ("", "none")
    with pytest.raises(TransitionError):
        services.proceeding_pause_decide(
            proceeding=withdrawn, by=people.chair, agree=True, decided_on=ON, comment=""
        )


def test_a_pause_cannot_be_asked_for_or_decided_once_the_report_is_signed_off(people):
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    proceeding = _record(review, people.coordinator, effect="pause")
    services.review_transition(review=review, by=people.chair, action="sign_off", on=ON)
    proceeding.refresh_from_db()
    # Closed undecided, as an extension awaiting the chair is.
    assert (proceeding.pause_status, proceeding.effect) == ("", "none")
    assert proceeding.pause_decision_comment.startswith("Closed undecided")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        _record(review, people.coordinator, effect="pause", proceeding=proceeding)


def test_an_extension_is_asked_for_with_the_proceeding_as_its_reason(people, review):
    proceeding = _record(review, people.coordinator, effect="extension")
    assert proceeding.effect == "extension"
    assert proceeding.pause_status == ""
    assert _due(review) == STATUTORY_DUE  # nothing until a chair approves the extension
    extension = services.extension_request(
        review=review,
        by=people.coordinator,
        requested_on=ON,
        new_due_on=date(2025, 12, 31),
        reason="The trial",
        proceeding=proceeding,
    )
    assert extension.proceeding == proceeding
    assert _due(review) == STATUTORY_DUE
    services.extension_decide(
        extension=extension, by=people.chair, approve=True, decided_on=ON, comment=""
    )
    assert _due(review) == date(2025, 12, 31)


def test_an_extension_cannot_be_chosen_before_the_decision(people):
    review = FACTORY_FOR_STATUS[Status.NOTIFIED](partnership=people.home)
    with pytest.raises(ValidationError, match="from the decision to hold a review"):
        _record(review, people.coordinator, effect="extension")
    # A pause can: it counts once the report's clock runs.
    assert _record(review, people.coordinator, effect="pause").pause_status == "requested"


def test_a_pause_awaiting_a_chair_is_in_their_queue_and_chased_once_a_step(people, review):
    proceeding = _record(review, people.coordinator, effect="pause")
    OutgoingEmail.objects.update(status="sent")  # the request's own email to the chairs
    mail.outbox.clear()
    week_on = ON + timedelta(days=7)
    queue = work.work_for(people.chair, reviews=Review.objects.all(), today=week_on)
    [group] = [g for g in queue.mine if g.kind == "pause"]
    [item] = group.items
    assert item.url == reverse("reviews:proceeding_pause", args=[review.pk, proceeding.pk])
    assert chase_run(today=ON + timedelta(days=6)).reminders_sent == 0
    assert chase_run(today=week_on).reminders_sent == 1
    assert chase_run(today=week_on).reminders_sent == 0
    assert chase_run(today=week_on + timedelta(days=1)).reminders_sent == 0
    [message] = mail.outbox
    assert message.subject.startswith("Due today: Decision on pausing the clock")
    # To the proceedings page, which the coordinators copied in may open too.
    assert f"/reviews/{review.pk}/proceedings/#proceeding-{proceeding.pk}" in message.body
    assert Reminder.objects.get().object_type == "proceeding.pause"
    services.proceeding_pause_decide(
        proceeding=proceeding, by=people.chair, agree=True, decided_on=week_on, comment=""
    )
    assert chase_run(today=week_on + timedelta(days=14)).reminders_sent == 0


# --- the pages


def _post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def _form(kind="criminal_trial", effect=None, **more):
    data = {"kind": kind, "started_on_0": "1", "started_on_1": "6", "started_on_2": "2025"}
    if effect is not None:
        data["effect"] = effect
    return {**data, **more}


def test_the_form_asks_what_was_agreed_and_keeps_the_input(client, people, review):
    url = reverse("reviews:proceeding_add", args=[review.pk])
    response = _post(client, people.coordinator, url, _form(outcome="Kept outcome"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select what the partnership agreed about the report&#x27;s timescale" in page
    assert "Kept outcome" in page
    assert not review.proceedings.exists()
    # An unknown choice is refused as well.
    response = _post(client, people.coordinator, url, _form(effect="stop-everything"))
    assert "Select a valid choice" in response.content.decode()
    assert not review.proceedings.exists()


def test_an_inquest_left_unsaid_is_saved_with_no_effect(client, people, review):
    url = reverse("reviews:proceeding_add", args=[review.pk])
    response = _post(client, people.coordinator, url, _form(kind="inquest"))
    assert response.status_code == 302
    assert review.proceedings.get().effect == "none"


def test_choosing_an_extension_goes_on_to_its_form_prefilled(client, people, review):
    url = reverse("reviews:proceeding_add", args=[review.pk])
    response = _post(client, people.coordinator, url, _form(effect="extension"))
    proceeding = review.proceedings.get()
    ask = reverse("reviews:extension_add", args=[review.pk]) + f"?proceeding={proceeding.pk}"
    assert response["Location"] == ask
    page = client.get(ask).content.decode()
    assert "Criminal trial from 1 June 2025 (still running)" in page
    too_late = {"new_due_on_0": "1", "new_due_on_1": "1", "new_due_on_2": "2100"}
    response = client.post(ask, {**too_late, "reason": "Trial"})
    assert response.status_code == 200  # beyond three years: refused on the form
    assert not Extension.objects.exists()


def test_an_extension_link_naming_another_review_s_proceeding_is_ignored(client, people, review):
    other = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    theirs = _record(other, people.coordinator, effect="extension")
    client.force_login(people.coordinator)
    for query in (f"?proceeding={theirs.pk}", "?proceeding=abc", "?proceeding="):
        url = reverse("reviews:extension_add", args=[review.pk]) + query
        response = client.get(url)
        assert response.status_code == 200
        assert "Criminal trial from" not in response.content.decode()


def test_the_chair_s_decision_form_needs_a_choice_and_a_reason_to_refuse(client, people, review):
    proceeding = _record(review, people.coordinator, effect="pause")
    url = reverse("reviews:proceeding_pause", args=[review.pk, proceeding.pk])
    response = _post(client, people.chair, url, {"comment": "Kept comment"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select whether you agree the pause" in page
    assert "Kept comment" in page
    response = _post(client, people.chair, url, {"agree": "no", "comment": ""})
    assert "Say why the pause is refused" in response.content.decode()
    proceeding.refresh_from_db()
    assert proceeding.pause_status == "requested"
    response = _post(client, people.chair, url, {"agree": "yes"})
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.pause_status == "agreed"
    # Decided: the page is closed (403), not decided twice.
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 403),
        ("viewer", 403),
        ("other_chair", 404),
        ("other_coordinator", 404),
        ("agency_contact", 404),
    ],
)
def test_who_may_open_the_chair_s_decision(client, people, review, who, status):
    proceeding = _record(review, people.coordinator, effect="pause")
    review.viewers.add(people.viewer)
    client.force_login(getattr(people, who))
    url = reverse("reviews:proceeding_pause", args=[review.pk, proceeding.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"agree": "yes"}).status_code == status
    proceeding.refresh_from_db()
    assert proceeding.pause_status == "requested"


def test_a_proceeding_of_another_review_is_404(client, people, review):
    other = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    theirs = _record(other, people.coordinator, effect="pause")
    client.force_login(people.chair)
    url = reverse("reviews:proceeding_pause", args=[review.pk, theirs.pk])
    assert client.get(url).status_code == 404
    client.force_login(people.coordinator)
    assert client.get(reverse("reviews:proceeding", args=[review.pk, theirs.pk])).status_code == 404


def test_the_review_page_says_why_the_date_did_or_did_not_move(client, people, review):
    agreed_pause(
        review,
        coordinator=people.coordinator,
        chair=people.chair,
        started_on=date(2025, 6, 1),
        ended_on=date(2025, 6, 30),
    )
    _record(review, people.coordinator, kind="inquest", started_on=date(2025, 5, 1))
    _record(
        review,
        people.coordinator,
        effect="pause",
        kind="iopc",
        started_on=date(2025, 7, 1),
        ended_on=None,
    )
    client.force_login(people.viewer)
    review.viewers.add(people.viewer)
    page = " ".join(client.get(review.get_absolute_url()).content.decode().split())
    assert "30 days paused by parallel proceedings" in page
    assert "A CSP chair agreed each pause: Criminal trial from 1 June 2025 to 30 June 2025" in page
    assert "Inquest from 1 May 2025 to 30 June 2025: no pause or extension was agreed" in page
    assert (
        "IOPC investigation from 1 July 2025 (still running): "
        "a pause of the clock is awaiting a CSP chair&#x27;s agreement"
    ) in page

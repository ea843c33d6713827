"""One escalation per agency and review: the chase gathers all of an agency's long overdue
actions on a review into one (one letter, not one per action); actions falling overdue later
join it while it awaits the chair, and start a new one once it is decided; a coordinator
raising one by hand is offered the agency's other overdue actions on the review."""

import io
import json
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from dhr.errors import TransitionError
from dhr.models import OutgoingEmail
from recommendations import records, services
from recommendations.models import EscalatedAction, Escalation
from recommendations.tasks import write_escalation_letter
from recommendations.tests.factories import EscalationProposedFactory
from reviews.selectors import reviews_visible_to
from reviews.tests.factories import ReviewSubmittedFactory
from reviews.work import work_for

TODAY = date(2026, 6, 1)
CHASED = "Added by the daily chase"


def _actions(people, review, count, *, agency=None, late=40, description="Action"):
    """`count` actions of the agency (the involved one unless named) on the review, the first
    `late` days past its target on TODAY, each one a day later than the one before."""
    recommendation = services.recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Share risk", "scope": "local", "lead_agency": people.involved_agency},
    )
    return [
        services.action_save(
            recommendation=recommendation,
            by=people.coordinator,
            data={
                "description": f"{description} {n + 1}",
                "owner_agency": agency or people.involved_agency,
                "target_date": TODAY - timedelta(days=late + n),
                "completion_evidence": "Minutes",
            },
        )
        for n in range(count)
    ]


@pytest.fixture
def review(people):
    return ReviewSubmittedFactory(partnership=people.home)


def _covered(escalation):
    return set(escalation.actions.all())


def test_eight_overdue_actions_of_an_agency_on_a_review_make_one_escalation(people, review):
    actions = _actions(people, review, 8)
    assert services.escalations_propose(today=TODAY, dry_run=True) == 1
    assert not Escalation.objects.exists()
    assert services.escalations_propose(today=TODAY) == 1
    escalation = Escalation.objects.get()
    assert (escalation.review, escalation.agency, escalation.proposed_by) == (
        review,
        people.involved_agency,
        None,
    )
    assert _covered(escalation) == set(actions)
    assert escalation.reason == (
        "8 actions were due between 15 April 2026 and 22 April 2026 and are 40 to 47 days "
        "overdue, with no accepted update saying any of them is done."
    )
    # Each action's joining is in its history, as the chase's.
    for covered in EscalatedAction.objects.all():
        [row] = covered.history.all()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            None,
            CHASED,
        )
    # One email to the chairs, listing the eight with how late each is.
    email = OutgoingEmail.objects.get()
    assert email.subject == "Escalation awaiting your approval: Home CSP"
    for n in range(8):
        assert (
            f"Action {n + 1} (due {TODAY - timedelta(days=40 + n):%-d %B %Y}, {40 + n} days "
            in (email.body)
        )


def test_two_agencies_make_two_escalations_and_another_review_its_own(people, review):
    involved = _actions(people, review, 3)
    other = _actions(people, review, 2, agency=people.other_agency)
    elsewhere = _actions(people, ReviewSubmittedFactory(partnership=people.home), 1)
    assert services.escalations_propose(today=TODAY) == 3
    by_key = {(e.review_id, e.agency_id): _covered(e) for e in Escalation.objects.all()}
    assert by_key == {
        (review.pk, people.involved_agency.pk): set(involved),
        (review.pk, people.other_agency.pk): set(other),
        (elsewhere[0].recommendation.review_id, people.involved_agency.pk): set(elsewhere),
    }
    # The chairs are told of all three in one email.
    assert OutgoingEmail.objects.count() == 1


def test_a_second_chase_proposes_nothing_again(people, review):
    _actions(people, review, 8)
    _actions(people, review, 2, agency=people.other_agency)
    assert services.escalations_propose(today=TODAY) == 2
    emails, history = OutgoingEmail.objects.count(), Escalation.history.count()
    assert services.escalations_propose(today=TODAY, dry_run=True) == 0
    assert services.escalations_propose(today=TODAY) == 0
    assert services.escalations_propose(today=TODAY + timedelta(days=7)) == 0
    assert Escalation.objects.count() == 2
    assert EscalatedAction.objects.count() == 10
    assert (OutgoingEmail.objects.count(), Escalation.history.count()) == (emails, history)


def test_a_newly_overdue_action_joins_the_escalation_awaiting_the_chair(people, review):
    actions = _actions(people, review, 8)
    [later] = _actions(people, review, 1, late=20, description="Later")  # 20 days: not yet
    assert services.escalations_propose(today=TODAY) == 1
    escalation = Escalation.objects.get()
    assert later not in _covered(escalation)
    OutgoingEmail.objects.all().delete()

    ten_days_on = TODAY + timedelta(days=10)  # the later action is now 30 days overdue
    assert services.escalations_propose(today=ten_days_on) == 1
    escalation = Escalation.objects.get()
    assert _covered(escalation) == {*actions, later}
    assert escalation.status == Escalation.Status.PROPOSED
    assert escalation.reason.endswith(
        "\n\nAdded by the daily chase on 11 June 2026: The action was due on 12 May 2026 and "
        "is 30 days overdue with no accepted update saying it is done."
    )
    assert escalation.history.first().history_change_reason == (
        "Overdue actions added by the daily chase"
    )
    # The chairs are told the escalation now covers nine.
    email = OutgoingEmail.objects.get()
    assert email.body.count("days overdue)") == 9
    assert services.escalations_propose(today=ten_days_on) == 0


@pytest.mark.parametrize("decided", ["approved", "declined", "closed"])
def test_a_decided_escalation_is_not_reopened_a_new_one_is_proposed(people, review, decided):
    actions = _actions(people, review, 8)
    [later] = _actions(people, review, 1, late=20, description="Later")
    services.escalations_propose(today=TODAY)
    first = Escalation.objects.get()
    services.escalation_decide(
        escalation=first,
        by=people.chair,
        approve=decided != "declined",
        comment="Not yet" if decided == "declined" else "",
        send_to="ceo@example.org",
    )
    if decided == "closed":
        services.escalation_record_outcome(
            escalation=first, by=people.coordinator, outcome="no_response", notes="", on=TODAY
        )

    ten_days_on = TODAY + timedelta(days=10)
    assert services.escalations_propose(today=ten_days_on) == 1
    first.refresh_from_db()
    assert (first.status, _covered(first)) == (decided, set(actions))
    second = Escalation.objects.exclude(pk=first.pk).get()
    assert (second.status, second.review, second.agency) == ("proposed", review, first.agency)
    assert _covered(second) == {later}  # the first's actions are not escalated twice
    assert services.escalations_propose(today=ten_days_on) == 0


def test_actions_join_the_first_of_several_escalations_from_before_they_were_grouped(
    people, review
):
    [one, two, three] = _actions(people, review, 3, late=40)
    first = EscalationProposedFactory(action=one)
    EscalationProposedFactory(action=two)
    assert services.escalations_propose(today=TODAY) == 1
    assert _covered(first) == {one, three}
    assert Escalation.objects.count() == 2


def test_an_action_a_coordinator_escalated_while_the_chase_ran_is_left_to_them(
    people, review, monkeypatch
):
    [first, second] = _actions(people, review, 2)
    [theirs] = _actions(people, review, 1, agency=people.other_agency)
    lock = services.escalations._lock_reviews

    def coordinator_first(review_ids):
        # Between the chase's reading the late actions and its locking the reviews.
        monkeypatch.setattr(services.escalations, "_lock_reviews", lock)
        with time_machine.travel(TODAY, tick=False):
            services.escalation_raise(by=people.coordinator, reason="By hand", action=first)
        lock(review_ids)

    monkeypatch.setattr(services.escalations, "_lock_reviews", coordinator_first)
    assert services.escalations_propose(today=TODAY) == 2
    by_hand = Escalation.objects.get(proposed_by=people.coordinator)
    # The chase found the coordinator's escalation awaiting the chair and added the other.
    assert _covered(by_hand) == {first, second}
    assert _covered(Escalation.objects.get(agency=people.other_agency)) == {theirs}
    assert EscalatedAction.objects.count() == 3


# --- a coordinator raising one by hand


@pytest.fixture
def on_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_coordinator_escalates_an_action_with_the_agency_s_other_overdue_ones(
    people, review, on_today
):
    [first, *others] = _actions(people, review, 4)
    escalation = services.escalation_raise(
        by=people.coordinator, reason="No reply", action=first, also=others[:2]
    )
    assert (escalation.review, escalation.proposed_by) == (review, people.coordinator)
    assert _covered(escalation) == {first, *others[:2]}
    assert [h.history_change_reason for h in EscalatedAction.history.all()] == [
        "Escalation proposed"
    ] * 3
    # The one left out is escalated later into the same escalation, with its own reason.
    again = services.escalation_raise(by=people.coordinator, reason="Still late", action=others[2])
    assert again == escalation
    again.refresh_from_db()
    assert _covered(again) == {first, *others}
    assert again.reason.startswith("No reply\n\nAdded by ")
    assert again.reason.endswith("on 1 June 2026: Still late")
    assert Escalation.objects.count() == 1


@pytest.mark.parametrize("which", ["other_agency", "not_overdue", "other_review", "closed"])
def test_only_the_agency_s_overdue_actions_on_the_review_go_with_it(
    people, review, on_today, which
):
    [action] = _actions(people, review, 1)
    if which == "other_agency":
        [wrong] = _actions(people, review, 1, agency=people.other_agency)
    elif which == "not_overdue":
        [wrong] = _actions(people, review, 1, late=-5)
    elif which == "other_review":
        [wrong] = _actions(people, ReviewSubmittedFactory(partnership=people.home), 1)
    else:
        [wrong] = _actions(people, review, 1)
        update = services.action_update_submit(
            action=wrong, by=people.agency_contact, new_status="completed", narrative="Done"
        )
        services.action_update_accept(update=update, by=people.coordinator)
    with pytest.raises(TransitionError, match="can no longer be escalated with this one"):
        services.escalation_raise(by=people.coordinator, reason="Late", action=action, also=[wrong])
    assert not Escalation.objects.exists()
    assert not EscalatedAction.objects.exists()


@pytest.mark.parametrize("status", ["proposed", "approved"])
def test_an_action_in_an_open_escalation_is_not_escalated_again(people, review, on_today, status):
    [action, other] = _actions(people, review, 2)
    escalation = services.escalation_raise(
        by=people.coordinator, reason="Late", action=action, also=[other]
    )
    if status == "approved":
        services.escalation_decide(
            escalation=escalation, by=people.chair, approve=True, comment="", send_to="a@b.org"
        )
    for again in (action, other):
        with pytest.raises(TransitionError, match="already in an escalation"):
            services.escalation_raise(by=people.coordinator, reason="Again", action=again)
    assert EscalatedAction.objects.count() == 2


def test_an_action_escalated_meanwhile_is_refused_and_nothing_is_saved(people, review, on_today):
    [action, other] = _actions(people, review, 2)
    # Another coordinator escalated `other` after this one's page was drawn.
    services.escalation_raise(by=people.coordinator, reason="Late", action=other)
    with pytest.raises(TransitionError, match="can no longer be escalated with this one"):
        services.escalation_raise(by=people.coordinator, reason="Late", action=action, also=[other])
    assert Escalation.objects.count() == 1
    assert EscalatedAction.objects.count() == 1


# --- the letter


def test_the_letter_lists_every_action_with_how_overdue_it_is(people, review):
    _actions(people, review, 8, description="Audit step")
    services.escalations_propose(today=TODAY)
    escalation = services.escalation_decide(
        escalation=Escalation.objects.get(),
        by=people.chair,
        approve=True,
        comment="",
        send_to="ceo@example.org",
    )
    sent_on = date.fromisoformat(escalation.letter_job.params["sent_on"])
    write_escalation_letter(escalation.letter_job.pk)
    escalation.refresh_from_db()
    with escalation.letter.open("rb") as letter:
        reader = PdfReader(io.BytesIO(letter.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"The actions of Involved Agency we are writing about, as at {sent_on:%-d %B %Y}" in (
        text
    )
    for n in range(8):
        due = TODAY - timedelta(days=40 + n)
        late = (sent_on - due).days
        assert f"Audit step {n + 1} (recommendation 1) {due:%-d %B %Y} {late} days Not started" in (
            text
        )
    assert "when each action will be completed" in text


def test_the_letter_gives_each_reason_without_who_added_it_when(people, review):
    _actions(people, review, 2)
    services.escalations_propose(today=TODAY)
    _actions(people, review, 1, late=20, description="Later")
    services.escalations_propose(today=TODAY + timedelta(days=10))
    escalation = Escalation.objects.get()
    escalation.add_reason("No reply to two letters.", by=people.coordinator.name, on=TODAY)
    escalation.save()
    assert escalation.reason.count("Added by") == 2  # kept for the chair and the history
    escalation = services.escalation_decide(
        escalation=escalation, by=people.chair, approve=True, comment="", send_to="ceo@x.org"
    )
    write_escalation_letter(escalation.letter_job.pk)
    escalation.refresh_from_db()
    with escalation.letter.open("rb") as letter:
        reader = PdfReader(io.BytesIO(letter.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Added by" not in text
    assert "2 actions were due between" in text
    assert "The action was due on 12 May 2026 and is 30 days overdue" in text
    assert "No reply to two letters." in text


# --- the pages


def _ticked(page, action) -> bool:
    return bool(re.search(rf'value="{action.pk}"\s*checked', page))


def _escalate_page(client, action):
    return client.get(reverse("recommendations:escalation_raise", args=[action.pk]))


def test_the_escalation_page_offers_the_agency_s_other_overdue_actions_ticked(
    client, people, review, on_today
):
    [action, *others] = _actions(people, review, 3)
    [not_due] = _actions(people, review, 1, late=-5, description="Not due")
    [theirs] = _actions(people, review, 1, agency=people.other_agency, description="Theirs")
    client.force_login(people.coordinator)
    page = _escalate_page(client, action).content.decode()
    for other in others:
        assert f'value="{other.pk}"' in page
        assert _ticked(page, other)
    assert "41 days overdue" in page  # how late each is, beside it
    assert f'value="{not_due.pk}"' not in page
    assert f'value="{theirs.pk}"' not in page
    assert 'id="gathering"' not in page

    response = client.post(
        reverse("recommendations:escalation_raise", args=[action.pk]),
        {"reason": "No reply to two letters", "also": [others[0].pk]},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("recommendations:action", args=[action.pk]), 302)]
    assert "Escalation of 2 actions proposed: the CSP chair has been asked to approve it" in (
        response.content.decode()
    )
    escalation = Escalation.objects.get()
    assert _covered(escalation) == {action, others[0]}
    # The one left out is offered again, with a note that it joins the one awaiting the chair.
    page = _escalate_page(client, others[1]).content.decode()
    assert 'id="gathering"' in page
    assert "already awaiting the CSP chair, covering 2 actions" in " ".join(page.split())
    response = client.post(
        reverse("recommendations:escalation_raise", args=[others[1].pk]),
        {"reason": "And this one"},
        follow=True,
    )
    assert "Added to the escalation already awaiting the CSP chair: it now covers 3 actions" in (
        response.content.decode()
    )
    assert Escalation.objects.count() == 1


def test_the_escalation_form_explains_bad_input_and_saves_nothing(client, people, review, on_today):
    [action, other] = _actions(people, review, 2)
    [theirs] = _actions(people, review, 1, agency=people.other_agency)
    client.force_login(people.coordinator)
    url = reverse("recommendations:escalation_raise", args=[action.pk])
    for data, message in [
        ({"reason": " ", "also": []}, "Say why the agency should be escalated"),
        ({"reason": "Late", "also": [theirs.pk]}, "Select only actions from the list"),
        ({"reason": "Late", "also": ["not-a-number"]}, "Select only actions from the list"),
        ({"reason": "x" * 3001, "also": [other.pk]}, "The reason must be 3000 characters or fewer"),
    ]:
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert message in page
    # The input is kept: the unticked action stays unticked.
    response = client.post(url, {"reason": " "})
    page = response.content.decode()
    assert f'value="{other.pk}"' in page
    assert not _ticked(page, other)
    assert not Escalation.objects.exists()
    assert not EscalatedAction.objects.exists()


def test_the_escalations_page_lists_every_action_with_how_overdue_it_is(
    client, people, review, on_today
):
    _actions(people, review, 8)
    services.escalations_propose(today=TODAY)
    client.force_login(people.chair)
    page = client.get(reverse("recommendations:escalations", args=["home"])).content.decode()
    assert "8 actions" in page
    for n in range(8):
        assert f"Action {n + 1}</a>" in page
        assert f"{40 + n} days overdue" in page
    decide = reverse("recommendations:escalation_decide", args=[Escalation.objects.get().pk])
    page = client.get(decide).content.decode()
    assert all(f"{40 + n} days overdue" in page for n in range(8))


def test_an_action_s_page_shows_its_escalation_to_the_partnership_alone(
    client, people, review, on_today
):
    [action] = _actions(people, review, 1)
    services.escalation_raise(by=people.coordinator, reason="Late", action=action)
    url = reverse("recommendations:action", args=[action.pk])
    escalate = reverse("recommendations:escalation_raise", args=[action.pk])
    client.force_login(people.coordinator)
    page = client.get(url).content.decode()
    assert 'id="escalations"' in page
    assert "(awaiting the CSP chair)" in page
    assert escalate not in page  # in an open escalation: nothing to escalate again
    client.force_login(people.chair)
    assert "(awaiting the CSP chair)" in client.get(url).content.decode()
    review.viewers.add(people.viewer)
    for outsider in (people.agency_contact, people.viewer):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 200
        assert 'id="escalations"' not in response.content.decode()


# --- the work queues and the whole record


def test_the_chair_s_task_is_one_escalation_naming_how_many_actions(people, review, on_today):
    _actions(people, review, 8)
    services.escalations_propose(today=TODAY)
    [item] = {
        g.kind: g.items
        for g in work_for(people.chair, reviews=reviews_visible_to(people.chair), today=TODAY).mine
    }["escalation"]
    assert item.what == "Escalation to Involved Agency (8 actions): approve or decline"
    assert item.review == review


def test_the_review_s_whole_record_keeps_its_escalations_and_what_they_cover(people, review):
    actions = _actions(people, review, 2)
    _actions(people, ReviewSubmittedFactory(partnership=people.home), 1)  # another review's
    services.escalations_propose(today=TODAY)
    out = records.parts(review)
    [escalation] = json.loads(out["escalation.json"])
    covered = json.loads(out["escalated-action.json"])
    assert {c["fields"]["escalation"] for c in covered} == {escalation["pk"]}
    assert {c["fields"]["action"] for c in covered} == {a.pk for a in actions}
    assert len(json.loads(out["escalated-action-history.json"])) == 2

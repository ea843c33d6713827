"""The work queues: what waits for each person, and for others (`reviews.work`)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from qa_feedback.models import QAPoint
from qa_feedback.tests.factories import letter_with_points
from recommendations.models import ActionUpdate
from recommendations.tests.factories import (
    ActionUpdateFactory,
    EscalationApprovedFactory,
    EscalationProposedFactory,
    plan_for,
)
from reviews.models import Extension, Status
from reviews.selectors import reviews_visible_to
from reviews.tests.factories import (
    ReviewAgencyReportsFactory,
    ReviewDecisionPendingFactory,
    ReviewFactory,
    ReviewNotProceedingFactory,
    ReviewProceedingFactory,
)
from reviews.work import INSTRUCTIONS, KINDS, work_for

pytestmark = pytest.mark.django_db


def _work(user, today=None):
    today = today or timezone.localdate()
    return work_for(user, reviews=reviews_visible_to(user), today=today)


def _mine(user, today=None) -> dict[str, list]:
    return {g.kind: g.items for g in _work(user, today).mine}


def _others(user) -> dict[str, list]:
    return {g.kind: g.items for g in _work(user).others}


def test_a_decision_waiting_for_the_chair_is_the_chair_s_and_the_coordinator_watches_it(people):
    today = timezone.localdate()
    review = ReviewDecisionPendingFactory(
        partnership=people.home, notified_on=today - timedelta(days=40)
    )
    [item] = _mine(people.chair)["decision"]
    assert item.review == review
    assert item.overdue
    assert item.url == f"/reviews/{review.pk}/decision/"
    assert "decision" not in _mine(people.coordinator)
    assert [i.review for i in _others(people.coordinator)["decision"]] == [review]
    # Nobody else's: another partnership's chair, a viewer not given the review, an agency.
    assert _work(people.other_chair).mine == []
    assert _work(people.viewer).mine == _work(people.viewer).others == []
    assert _work(people.agency_contact).mine == []


def test_an_update_waits_for_the_coordinator_until_accepted(people):
    plan = plan_for(people, Status.MONITORING)
    update = ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    [item] = _mine(people.coordinator)["update-to-review"]
    assert item.url == f"/updates/{update.pk}/review/"
    assert item.where == f"{plan.review.public_title}, {people.involved_agency.name}"
    update.state = ActionUpdate.State.ACCEPTED
    update.save()
    assert "update-to-review" not in _mine(people.coordinator)


def test_a_returned_update_waits_for_the_agency_with_the_coordinator_s_reason(people):
    plan = plan_for(people, Status.MONITORING)
    ActionUpdateFactory(
        action=plan.action,
        author=people.agency_contact,
        state=ActionUpdate.State.RETURNED,
        reviewed_by=people.coordinator,
        reviewed_at=timezone.now(),
        review_comment="Say which teams were trained, and attach the register.",
    )
    returned = [i for i in _mine(people.agency_contact)["action"] if i.note]
    assert [i.note for i in returned] == [
        "Returned with this comment: Say which teams were trained, and attach the register."
    ]
    assert returned[0].url == f"/actions/{plan.action.pk}/update/"
    # Sent again: no longer returned.
    ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    notes = [i.note for i in _mine(people.agency_contact).get("action", [])]
    assert not [note for note in notes if note.startswith("Returned")]
    assert "action" not in _mine(people.other_agency_contact)


def test_an_escalation_is_the_chair_s_to_decide_then_the_coordinator_s_to_follow_up(people):
    plan = plan_for(people, Status.MONITORING)
    escalation = EscalationProposedFactory(action=plan.action)
    assert [i.url for i in _mine(people.chair)["escalation"]] == [
        f"/escalations/{escalation.pk}/decide/"
    ]
    assert "escalation" not in _mine(people.coordinator)
    escalation.delete()
    approved = EscalationApprovedFactory(action=plan.action)
    assert [i.url for i in _mine(people.coordinator)["escalation"]] == [
        f"/escalations/{approved.pk}/outcome/"
    ]
    assert "escalation" not in _mine(people.chair)


def test_qa_points_are_the_coordinator_s_then_approval_is_the_chair_s(people):
    plan = plan_for(people, Status.QA_FEEDBACK)
    letter = letter_with_points(plan.review, count=2)
    [item] = _mine(people.coordinator)["qa-letter"]
    assert item.what == "Answer 2 points of the QA letter"
    assert "qa-approval" not in _mine(people.chair)
    letter.points.update(status=QAPoint.Status.ADDRESSED, response="Reworded as asked.")
    assert "qa-letter" not in _mine(people.coordinator)
    [approval] = _mine(people.chair)["qa-approval"]
    assert approval.url == f"/reviews/{plan.review.pk}/move/approve_for_publication/"


def test_a_closing_audit_waits_for_the_chair_once_every_action_is_closed(people):
    plan = plan_for(people, Status.MONITORING)
    assert "closing-audit" not in _mine(people.chair)
    plan.action.status = "completed"
    plan.action.completed_on = timezone.localdate()
    plan.action.save()
    [item] = _mine(people.chair)["closing-audit"]
    assert item.url == f"/reviews/{plan.review.pk}/conclude/"
    assert _mine(people.coordinator).get("closing-audit") is None


def test_groups_come_in_the_order_of_kinds_most_urgent_first(people):
    today = timezone.localdate()
    late = ReviewDecisionPendingFactory(partnership=people.home, notified_on=today - timedelta(60))
    later = ReviewDecisionPendingFactory(partnership=people.home, notified_on=today - timedelta(40))
    plan = plan_for(people, Status.MONITORING)
    EscalationProposedFactory(action=plan.action)
    groups = _work(people.chair).mine
    assert [g.kind for g in groups] == ["decision", "escalation"]
    assert [i.review for i in groups[0].items] == [late, later]
    assert list(KINDS).index("decision") < list(KINDS).index("escalation")


def test_others_tasks_link_to_the_review_page_which_the_watcher_can_open(people, client):
    today = timezone.localdate()
    review = ReviewDecisionPendingFactory(
        partnership=people.home, notified_on=today - timedelta(days=40)
    )
    review.viewers.add(people.viewer)
    for watcher in (people.coordinator, people.viewer):
        [item] = _others(watcher)["decision"]
        assert item.watch_url == review.get_absolute_url()
        client.force_login(watcher)
        page = client.get("/").content.decode()
        assert f'href="{review.get_absolute_url()}"' in page
        assert f'href="/reviews/{review.pk}/decision/"' not in page  # the chair's page
        assert client.get(item.watch_url).status_code == 200


def test_an_overdue_agency_report_is_the_coordinator_s_to_chase_and_the_agency_s_to_send(people):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    report = review.agency_reports.first()
    report.agency = people.involved_agency
    report.save()  # due long ago (the factory's dates)
    [chase] = _mine(people.coordinator)["imr"]
    assert chase.instruction == (
        f"Agency report (IMR) from {people.involved_agency.name}: chase the agency, or record "
        "it as received"
    )
    assert chase.url == f"/reviews/{review.pk}/agency-reports/{report.pk}/"
    # A chair watching reads what is due, not the coordinator's instruction.
    [watched] = _others(people.chair)["imr"]
    assert watched.what == f"Agency report (IMR) from {people.involved_agency.name}"
    [send] = _mine(people.agency_contact)["imr"]
    assert send.instruction.endswith(": send it to the partnership's coordinator")
    assert send.note == ""
    assert send.url == ""  # no page of the review is theirs to open
    assert "imr" not in _mine(people.other_agency_contact)


def test_an_agency_report_received_incomplete_tells_the_agency_what_is_still_missing(
    people, client
):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    report = review.agency_reports.get()
    report.agency = people.involved_agency
    report.received_on = report.due_on - timedelta(days=1)
    report.author, report.author_independence_confirmed = "Ann Author", True
    report.save()  # without the senior manager's sign-off and the staff feedback session
    [send] = _mine(people.agency_contact)["imr"]
    assert send.instruction == (
        "Agency report (IMR) received, not yet complete: send the partnership's coordinator "
        "what is still to be recorded"
    )
    assert send.note == (
        "Still to be recorded: the senior manager's sign-off and its date; the staff feedback "
        "session."
    )
    assert "send it to the partnership" not in send.instruction
    client.force_login(people.agency_contact)
    page = client.get("/").content.decode()
    assert "the senior manager&#x27;s sign-off and its date; the staff feedback session" in page
    # The sign-off recorded: only the session is still missing.
    report.senior_sign_off_by, report.signed_off_on = "Sam Senior", report.received_on
    report.save()
    [send] = _mine(people.agency_contact)["imr"]
    assert send.note == "Still to be recorded: the staff feedback session."


@pytest.mark.parametrize(
    ("factory", "kind", "instruction", "what"),
    [
        (
            lambda people: ReviewNotProceedingFactory(
                partnership=people.home, home_office_told_on=None
            ),
            "home-office-notice",
            "Tell the Home Office of the decision",
            "Notice of the decision to the Home Office",
        ),
        (
            lambda people: ReviewProceedingFactory(partnership=people.home),
            "terms-of-reference",
            "Agree the terms of reference",
            "Terms of reference",
        ),
        (
            lambda people: ReviewDecisionPendingFactory(
                partnership=people.home, victim_age_band="16-17"
            ),
            "safeguarding-notice",
            "Tell the children's safeguarding partners of the review",
            "Notice of the review to the children's safeguarding partners",
        ),
    ],
)
def test_one_s_own_task_reads_as_an_instruction_and_another_s_as_what_is_due(
    people, client, factory, kind, instruction, what
):
    review = factory(people)
    review.viewers.add(people.viewer)
    [mine] = _mine(people.coordinator)[kind]
    assert (mine.instruction, mine.what) == (instruction, what)
    client.force_login(people.coordinator)
    queue = client.get("/").content.decode().split('id="waiting-for-you"')[1]
    assert escape(instruction) in queue.split('id="waiting-for-others"')[0]
    client.force_login(people.viewer)  # watching it
    queue = client.get("/").content.decode().split('id="waiting-for-others"')[1]
    assert escape(what) in queue
    assert escape(instruction) not in queue


def test_a_decision_reads_as_what_each_must_do_about_it(people):
    today = timezone.localdate()
    notified = ReviewFactory(partnership=people.home, notified_on=today - timedelta(days=40))
    pending = ReviewDecisionPendingFactory(
        partnership=people.home, notified_on=today - timedelta(days=40)
    )
    [to_put] = _mine(people.coordinator)["decision"]
    assert (to_put.review, to_put.instruction) == (
        notified,
        "Put it to the CSP chair to decide whether to hold a review",
    )
    [to_decide] = _mine(people.chair)["decision"]
    assert (to_decide.review, to_decide.instruction) == (
        pending,
        "Decide whether to hold a review",
    )
    assert to_decide.what == "Decision on whether to hold a review"


def test_a_chair_s_decisions_on_extensions_and_pauses_read_as_instructions(people):
    review = ReviewProceedingFactory(partnership=people.home)
    asked = timezone.localdate() - timedelta(days=10)
    Extension.objects.create(
        review=review,
        new_due_on=asked + timedelta(days=90),
        reason="Trial",
        requested_by=people.coordinator,
        requested_on=asked,
    )
    [item] = _mine(people.chair)["extension"]
    assert item.instruction == f"Decide on the extension to {asked + timedelta(days=90):%-d %B %Y}"
    assert item.what.startswith("Decision on the extension to ")


def test_coming_up_links_a_coordinators_form_only_for_those_who_may_send_it(people):
    review = ReviewDecisionPendingFactory(
        partnership=people.home,
        victim_age_band="16-17",
        notified_on=timezone.localdate() - timedelta(days=10),
    )
    form = reverse("reviews:safeguarding_told", args=[review.pk])

    def coming_up(user):
        work = _work(user)
        return {d.url for d in work.coming_up if d.kind == "safeguarding-notice"}

    assert coming_up(people.coordinator) == {form}
    assert coming_up(people.chair) == {review.get_absolute_url()}


def test_every_instruction_is_of_a_kind_the_queues_show():
    assert set(INSTRUCTIONS) <= set(KINDS)


def test_an_action_with_an_update_sent_says_it_waits_for_the_coordinator(people):
    plan = plan_for(people, Status.MONITORING)
    plan.action.target_date = timezone.localdate() - timedelta(days=3)
    plan.action.save()
    [item] = _mine(people.agency_contact)["action"]
    assert item.note == ""
    ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    [item] = _mine(people.agency_contact)["action"]
    assert "is waiting for the coordinator to accept it" in item.note


def test_an_agency_contact_s_dashboard_links_to_no_review_page(people, client):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    review.agency_reports.update(agency=people.involved_agency)
    client.force_login(people.agency_contact)
    page = client.get("/").content.decode()
    assert "send it to the partnership" in page
    assert f'href="/reviews/{review.pk}/' not in page

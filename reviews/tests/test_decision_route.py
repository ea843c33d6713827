"""After a decision not to hold a review (the Home Office told with the reasons and what it was
sent kept, its QA panel's view, the chair's fresh decision, a Secretary of State's direction),
and the safeguarding partners' notice of a review of a victim aged 16 or 17: through the
services, the pages and the chase."""

import html
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dhr.errors import NotAllowed, TransitionError
from dhr.models import AuditEvent
from reviews import clocks, decision_route, records, services, workflow
from reviews.deadlines import of_review
from reviews.models import DecisionQAView, HomeOfficeNotice, JointReview, Review, Status
from reviews.tests.factories import (
    ReviewDecisionPendingFactory,
    ReviewNotProceedingFactory,
    ReviewProceedingFactory,
)
from reviews.tests.test_chase import _sent, _walk
from reviews.work import work_for

pytestmark = pytest.mark.django_db

TOLD = date(2025, 2, 21)  # ReviewNotProceedingFactory: decided 20 February, told the 21st


def _text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def _date(name: str, day: date | None) -> dict:
    parts = ("", "", "") if day is None else (day.day, day.month, day.year)
    return {f"{name}_{i}": str(part) for i, part in enumerate(parts)}


def _reconsider(review, people, on=date(2025, 4, 1)) -> DecisionQAView:
    return decision_route.review_record_decision_qa_view(
        review=review,
        by=people.coordinator,
        view=DecisionQAView.View.RECONSIDER,
        received_on=on,
        comment="The panel asks whether coercive control was considered.",
    )


def _decide(review, people, *, proceed: bool, reasons: str, on=date(2025, 4, 20), **more):
    return services.review_record_decision(
        review=review,
        by=people.chair,
        decided_on=on,
        proceed=proceed,
        reasons=reasons,
        situations_of_concern=[],
        other_reviews_considered=[],
        **more,
    )


# The QA panel's view.


def test_the_panel_agreeing_keeps_the_review_closed_with_its_view_recorded(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    qa_view = decision_route.review_record_decision_qa_view(
        review=review,
        by=people.coordinator,
        view=DecisionQAView.View.AGREES,
        received_on=date(2025, 3, 15),
        comment="Agreed.",
    )
    review.refresh_from_db()
    assert review.status == Status.NOT_PROCEEDING
    assert (qa_view.received_on, qa_view.decision_on, qa_view.comment) == (
        date(2025, 3, 15),
        review.decided_on,
        "Agreed.",
    )
    assert review.history.first().history_change_reason == (
        "Record that the Home Office QA panel agrees with the decision"
    )
    assert qa_view.history.first().history_user == people.coordinator


def test_asked_to_reconsider_the_decision_goes_back_to_the_chair_due_a_month_on(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    _reconsider(review, people)
    review.refresh_from_db()
    assert review.status == Status.DECISION_PENDING
    assert review.reconsideration_asked_on == date(2025, 4, 1)
    assert review.decision_due_on == date(2025, 5, 1)
    [deadline] = [d for d in of_review(review, date(2025, 4, 2)) if d.kind == "decision"]
    assert deadline.what == "Fresh decision, as the Home Office QA panel asked"
    # In the chair's queue from the day it is asked, not only once the chase reminds of it.
    chair = work_for(people.chair, reviews=Review.objects.all(), today=date(2025, 4, 2))
    [group] = [g for g in chair.mine if g.kind == "decision"]
    [item] = group.items
    assert item.what.startswith("Reconsider the decision not to hold a review")
    assert item.url == reverse("reviews:decision", args=[review.pk])
    coordinator = work_for(people.coordinator, reviews=Review.objects.all(), today=date(2025, 4, 2))
    assert "decision" not in {g.kind for g in coordinator.mine}


def test_the_panel_s_view_waits_for_the_home_office_to_be_told(people):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    with pytest.raises(TransitionError, match="Record when the Home Office was told"):
        _reconsider(review, people)
    review.refresh_from_db()
    assert review.status == Status.NOT_PROCEEDING
    assert not review.decision_qa_views.exists()


@pytest.mark.parametrize("role", ["chair", "viewer", "other_coordinator"])
def test_only_the_coordinator_records_the_panel_s_view(people, role):
    review = ReviewNotProceedingFactory(partnership=people.home)
    with pytest.raises(NotAllowed):
        decision_route.review_record_decision_qa_view(
            review=review,
            by=getattr(people, role),
            view=DecisionQAView.View.AGREES,
            received_on=date(2025, 3, 1),
        )
    assert not review.decision_qa_views.exists()


def test_the_panel_s_view_is_refused_on_a_review_being_held(people):
    review = ReviewProceedingFactory(partnership=people.home)
    with pytest.raises(TransitionError, match="you cannot"):
        _reconsider(review, people)


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TOLD - timedelta(days=1), "on or after the Home Office was told"),
        (None, "must be today or in the past"),
    ],
)
def test_a_bad_letter_date_is_refused_and_nothing_saved(people, on, message):
    review = ReviewNotProceedingFactory(partnership=people.home)
    on = on or timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match=message):
        _reconsider(review, people, on=on)
    review.refresh_from_db()
    assert review.status == Status.NOT_PROCEEDING
    assert review.reconsideration_asked_on is None
    assert not review.decision_qa_views.exists()


# The chair's fresh decision.


def test_a_fresh_decision_to_hold_a_review_starts_its_clocks_and_is_told_anew(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    _reconsider(review, people)
    review = _decide(review, people, proceed=True, reasons="Coercive control was a concern.")
    assert review.status == Status.PROCEEDING
    assert review.report_due_on == date(2025, 10, 20)  # six months from the fresh decision
    assert review.home_office_told_on is None
    [notice] = [d for d in of_review(review, date(2025, 4, 21)) if d.kind == "home-office-notice"]
    assert notice.due == date(2025, 5, 1)
    assert notice.cycle == "reconsider-2025-04-01"  # its reminders start again
    # The terms of reference, in the fresh decision's month: not overdue from the day it opens.
    assert clocks.terms_of_reference_due(review) == date(2025, 5, 1)
    assert review.history.first().history_change_reason == "Fresh decision: Decide to hold a review"


def test_a_fresh_decision_not_to_hold_one_needs_new_reasons(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    _reconsider(review, people)
    with pytest.raises(ValidationError, match="these are the reasons before"):
        _decide(review, people, proceed=False, reasons=review.decision_reasons)
    review.refresh_from_db()
    assert review.status == Status.DECISION_PENDING
    review = _decide(review, people, proceed=False, reasons="Considered again: no concern found.")
    assert review.status == Status.NOT_PROCEEDING
    assert review.decision_reasons == "Considered again: no concern found."


def test_a_fresh_decision_cannot_be_dated_before_the_panel_asked(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    _reconsider(review, people)
    with pytest.raises(ValidationError, match="on or after the panel asked"):
        _decide(review, people, proceed=True, reasons="New", on=date(2025, 3, 31))


# A Secretary of State's direction.


def test_a_direction_opens_the_same_review_with_its_clocks_from_the_direction(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    before = Review.objects.count()
    opened = decision_route.review_record_direction(
        review=review, by=people.coordinator, directed_on=date(2025, 6, 10), notes="Directed."
    )
    assert Review.objects.count() == before
    assert opened.pk == review.pk
    opened.refresh_from_db()
    assert opened.status == Status.PROCEEDING
    assert opened.decided_on == date(2025, 2, 20)  # the chair's decision stays as it was
    assert opened.proceed is False
    assert opened.report_due_on == date(2025, 12, 10)
    assert clocks.statutory_report_due(opened) == date(2025, 12, 10)
    # The terms of reference, none while no review was to be held, are due a month on.
    assert clocks.terms_of_reference_due(opened) == date(2025, 7, 10)
    assert opened.history.first().history_change_reason == (
        "Record a Secretary of State's direction to hold a review"
    )


def test_a_direction_is_refused_to_the_chair_before_the_decision_and_on_an_open_review(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    with pytest.raises(NotAllowed):
        decision_route.review_record_direction(
            review=review, by=people.chair, directed_on=date(2025, 6, 10)
        )
    with pytest.raises(ValidationError, match="on or after the decision"):
        decision_route.review_record_direction(
            review=review, by=people.coordinator, directed_on=date(2025, 2, 1)
        )
    review.refresh_from_db()
    assert (review.status, review.directed_on) == (Status.NOT_PROCEEDING, None)
    with pytest.raises(TransitionError, match="you cannot"):
        decision_route.review_record_direction(
            review=ReviewProceedingFactory(partnership=people.home),
            by=people.coordinator,
            directed_on=date(2025, 6, 10),
        )


# The Home Office notice: its template's fields, as sent.


def test_telling_the_home_office_keeps_the_template_s_fields_as_sent(people):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    services.review_record_home_office_told(review=review, by=people.coordinator, told_on=TOLD)
    notice = HomeOfficeNotice.objects.get(review=review)
    fields = dict(notice.fields)
    assert list(fields) == [
        "Community Safety Partnership",
        "Date of death",
        "Date of notification",
        "Date of decision",
        "Decision",
        "Reasons for the decision",
        "Other reviews considered",
        "Independent chair",
        "Expected completion date",
    ]
    assert fields["Community Safety Partnership"] == people.home.name
    assert fields["Date of death"] == "27 January 2025"
    assert fields["Date of decision"] == "20 February 2025"
    assert fields["Decision"] == "Not to hold a review"
    assert fields["Reasons for the decision"] == "Criteria not met"
    assert fields["Expected completion date"] == "None: no review is held"
    assert notice.missing == []
    # Kept as sent: a later change to the review does not reach it.
    Review.objects.filter(pk=review.pk).update(decision_reasons="Changed later")
    notice.refresh_from_db()
    assert dict(notice.fields)["Reasons for the decision"] == "Criteria not met"


def test_what_is_missing_is_named_and_kept(people):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=None)
    Review.objects.filter(pk=review.pk).update(date_of_death=None)
    review.refresh_from_db()
    services.review_record_home_office_told(review=review, by=people.coordinator, told_on=TOLD)
    notice = review.home_office_notices.get()
    assert notice.missing == ["Date of death"]
    assert dict(notice.fields)["Independent chair"] == "Not yet appointed"
    assert dict(notice.fields)["Expected completion date"] == "20 August 2025"


def test_the_coordinator_checks_the_fields_then_confirms_and_reads_them_later(people, client):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=None)
    Review.objects.filter(pk=review.pk).update(date_of_death=None)
    client.force_login(people.coordinator)
    url = reverse("reviews:home_office_told", args=[review.pk])
    page = _text(client.get(url))
    assert "The notification is missing: Date of death: record the date of death" in page
    assert "Reasons for the decision Criteria met" in page
    # Showing the notice, with its date of death, is an audited read.
    assert AuditEvent.objects.filter(review_id=review.pk).exists()
    response = client.post(url, _date("told_on", TOLD))
    assert response.status_code == 302
    notice = review.home_office_notices.get()
    page = client.get(notice.get_absolute_url())
    assert page.status_code == 200
    assert "Missing when it was sent: date of death." in _text(page)
    client.force_login(people.chair)
    assert client.get(notice.get_absolute_url()).status_code == 200
    review.viewers.add(people.viewer)
    client.force_login(people.viewer)
    assert client.get(notice.get_absolute_url()).status_code == 403
    other = ReviewProceedingFactory(partnership=people.home)
    missing = reverse("reviews:home_office_notice", args=[other.pk, notice.pk])
    client.force_login(people.coordinator)
    assert client.get(missing).status_code == 404


def test_a_not_proceeding_review_s_notice_is_due_and_shown_overdue(people, client):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    [deadline] = [
        d for d in of_review(review, timezone.localdate()) if d.kind == "home-office-notice"
    ]
    assert deadline.overdue
    client.force_login(people.coordinator)
    page = _text(client.get(review.get_absolute_url()))
    assert "After the decision not to hold a review" in page
    assert "Not told of the decision yet" in page
    # The next step is the panel's view, once the Home Office is told (not 'it agrees').
    assert "Record the Home Office QA panel's view : first Record when the Home Office" in page


# The review page shows the route and its next steps.


def test_the_review_page_shows_what_happened_and_the_next_steps(people, client):
    review = ReviewNotProceedingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    page = _text(client.get(review.get_absolute_url()))
    assert "Record the Home Office QA panel's view" in page
    assert "Record a Secretary of State's direction to hold a review" in page
    assert "Not recorded: the panel has not written" in page
    _reconsider(review, people)
    client.force_login(people.chair)
    page = _text(client.get(review.get_absolute_url()))
    assert "Asks the partnership to reconsider the decision" in page
    assert "Letter of 1 April 2025" in page
    assert "3. Fresh decision by the CSP chair Waiting for the CSP chair: due 1 May 2025" in page
    assert "Record the decision" in page


# The pages' forms: bad input, and who may use them.


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Select the panel's view on the decision", "Enter the date of the panel's letter"]),
        (
            {"view": "reconsider", **_date("received_on", TOLD - timedelta(days=1))},
            ["The date of the panel's letter must be on or after the Home Office was told"],
        ),
        (
            {"view": "agrees", "received_on_0": "1", "received_on_1": "2", "received_on_2": "25"},
            ["The date of the panel's letter must be after 1900"],
        ),
    ],
)
def test_the_panel_s_view_form_refuses_bad_input_keeps_it_and_saves_nothing(
    people, client, data, messages
):
    review = ReviewNotProceedingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    response = client.post(reverse("reviews:decision_qa_view", args=[review.pk]), data)
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    for message in messages:
        assert message in text
    for name, value in data.items():
        if name.startswith("received_on") and value:
            assert f'value="{value}"' in response.content.decode()
    assert not review.decision_qa_views.exists()
    review.refresh_from_db()
    assert review.status == Status.NOT_PROCEEDING


def test_the_panel_s_view_form_records_it(people, client):
    review = ReviewNotProceedingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    response = client.post(
        reverse("reviews:decision_qa_view", args=[review.pk]),
        {"view": "reconsider", "comment": "Reconsider", **_date("received_on", date(2025, 4, 1))},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Status.DECISION_PENDING


@pytest.mark.parametrize("name", ["decision_qa_view", "direction"])
def test_the_route_s_forms_are_refused_once_the_review_has_moved_on(people, client, name):
    review = ReviewProceedingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    assert client.post(reverse(f"reviews:{name}", args=[review.pk]), {}).status_code == 403


@pytest.mark.parametrize("role", ["chair", "viewer"])
@pytest.mark.parametrize("name", ["decision_qa_view", "direction", "safeguarding_told"])
def test_only_coordinators_send_the_route_s_forms(people, client, role, name):
    review = ReviewNotProceedingFactory(partnership=people.home)
    review.viewers.add(people.viewer)
    client.force_login(getattr(people, role))
    assert client.post(reverse(f"reviews:{name}", args=[review.pk]), {}).status_code == 403
    client.force_login(people.other_coordinator)
    assert client.post(reverse(f"reviews:{name}", args=[review.pk]), {}).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date of the direction"),
        (_date("directed_on", date(2025, 2, 1)), "must be on or after the decision"),
        ("future", "The date of the direction must be today or in the past"),
    ],
)
def test_the_direction_form_refuses_bad_input(people, client, data, message):
    if data == "future":
        data = _date("directed_on", timezone.localdate() + timedelta(days=3))
    review = ReviewNotProceedingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    response = client.post(reverse("reviews:direction", args=[review.pk]), data)
    assert response.status_code == 200
    assert message in _text(response)
    review.refresh_from_db()
    assert (review.status, review.directed_on) == (Status.NOT_PROCEEDING, None)


def test_the_direction_form_opens_the_review(people, client):
    review = ReviewNotProceedingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    response = client.post(
        reverse("reviews:direction", args=[review.pk]),
        {"notes": "Letter from the Home Office", **_date("directed_on", date(2025, 6, 10))},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.directed_on) == (Status.PROCEEDING, date(2025, 6, 10))
    page = _text(client.get(review.get_absolute_url()))
    assert "Directed 10 June 2025: the review opened" in page


# A victim aged 16 or 17.


def test_a_16_or_17_year_old_s_decision_asks_about_a_child_review(people):
    review = ReviewDecisionPendingFactory(partnership=people.home, victim_age_band="16-17")
    with pytest.raises(ValidationError, match="Child Safeguarding Practice Review takes"):
        _decide(review, people, proceed=True, reasons="Criteria met", on=date(2025, 2, 20))
    with pytest.raises(ValidationError, match="Enter a note on the child review"):
        _decide(
            review,
            people,
            proceed=True,
            reasons="Criteria met",
            on=date(2025, 2, 20),
            child_review=JointReview.JOINT_CSPR,
        )
    review.refresh_from_db()
    assert review.status == Status.DECISION_PENDING
    review = _decide(
        review,
        people,
        proceed=True,
        reasons="Criteria met",
        on=date(2025, 2, 20),
        child_review=JointReview.JOINT_CSPR,
        child_review_notes="One panel for both",
        safeguarding_told_on=date(2025, 2, 21),
    )
    assert (review.joint_review, review.joint_review_notes) == ("joint_cspr", "One panel for both")
    assert review.safeguarding_told_on == date(2025, 2, 21)


def test_the_safeguarding_partners_notice_is_due_with_the_decision_until_recorded(people):
    review = ReviewDecisionPendingFactory(partnership=people.home, victim_age_band="16-17")
    today = date(2025, 3, 10)
    [deadline] = [d for d in of_review(review, today) if d.kind == "safeguarding-notice"]
    assert deadline.due == review.decision_due_on == date(2025, 2, 28)
    assert deadline.overdue
    assert deadline.url == reverse("reviews:safeguarding_told", args=[review.pk])
    work = work_for(people.coordinator, reviews=Review.objects.all(), today=today)
    [group] = [g for g in work.mine if g.kind == "safeguarding-notice"]
    assert [item.review for item in group.items] == [review]
    decision_route.review_record_safeguarding_told(
        review=review, by=people.coordinator, told_on=date(2025, 3, 1)
    )
    assert "safeguarding-notice" not in {d.kind for d in of_review(review, today)}
    adult = ReviewDecisionPendingFactory(partnership=people.home)
    assert "safeguarding-notice" not in {d.kind for d in of_review(adult, today)}


def test_the_safeguarding_partners_notice_is_chased_once_at_each_step(people):
    review = ReviewDecisionPendingFactory(
        partnership=people.home, victim_age_band="16-17", notified_on=date(2025, 3, 1)
    )
    mail.outbox.clear()
    walk = list(_walk(date(2025, 3, 1), date(2025, 4, 9)))
    sent = {day: subjects for day, subjects in walk if subjects}
    what = "Notice of the review to the children's safeguarding partners"
    notices = [m for m in mail.outbox if what in m.subject]
    # 14 and 3 days before, on the day, then a week overdue: once each, to the coordinators.
    assert [m.subject.split(":")[0] for m in notices] == [
        "Due in 14 days",
        "Due in 3 days",
        "Due today",
        "Overdue by 7 days",
    ]
    assert all(m.to == [people.coordinator.email] for m in notices)
    assert set(sent) == {date(2025, 3, 18), date(2025, 3, 29), date(2025, 4, 1), date(2025, 4, 8)}
    # Once told, nothing more.
    decision_route.review_record_safeguarding_told(
        review=review, by=people.coordinator, told_on=date(2025, 4, 9)
    )
    mail.outbox.clear()
    later = _sent(_walk(date(2025, 4, 10), date(2025, 4, 20)))
    assert not [m for m in mail.outbox if what in m.subject], later


def test_a_reconsidered_decision_and_its_notice_are_chased_anew_once(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    _reconsider(review, people, on=date(2025, 4, 1))
    mail.outbox.clear()
    sent = _sent(_walk(date(2025, 4, 1), date(2025, 5, 9)))
    assert sent == {
        date(2025, 4, 17): ["Due in 14 days"],
        date(2025, 4, 28): ["Due in 3 days"],
        date(2025, 5, 1): ["Due today"],
        date(2025, 5, 8): ["Overdue by 7 days"],
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date the safeguarding partners were told"),
        (_date("told_on", date(2025, 1, 1)), "must be on or after the notification"),
        (
            {"told_on_0": "40", "told_on_1": "1", "told_on_2": "2025"},
            "The date the safeguarding partners were told must be a real date",
        ),
    ],
)
def test_the_safeguarding_form_refuses_bad_input(people, client, data, message):
    review = ReviewProceedingFactory(partnership=people.home, victim_age_band="16-17")
    client.force_login(people.coordinator)
    response = client.post(reverse("reviews:safeguarding_told", args=[review.pk]), data)
    assert response.status_code == 200
    assert message in _text(response)
    review.refresh_from_db()
    assert review.safeguarding_told_on is None


def test_the_decision_form_asks_the_child_review_question_for_a_16_or_17_year_old(people, client):
    review = ReviewDecisionPendingFactory(partnership=people.home, victim_age_band="16-17")
    client.force_login(people.chair)
    url = reverse("reviews:decision", args=[review.pk])
    assert "Does a Child Safeguarding Practice Review take precedence" in _text(client.get(url))
    data = {
        "proceed": "yes",
        "reasons": "Criteria met",
        **_date("decided_on", date(2025, 2, 20)),
    }
    response = client.post(url, data)
    assert "Select whether a Child Safeguarding Practice Review takes precedence" in _text(response)
    response = client.post(url, {**data, "child_review": "joint_cspr"})
    assert "Enter a note on the child review" in _text(response)
    review.refresh_from_db()
    assert review.status == Status.DECISION_PENDING
    response = client.post(url, {**data, "child_review": "none"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.joint_review) == (Status.PROCEEDING, "")
    adult = ReviewDecisionPendingFactory(partnership=people.home)
    page = _text(client.get(reverse("reviews:decision", args=[adult.pk])))
    assert "Child Safeguarding Practice Review take precedence" not in page


def test_the_notice_s_date_of_death_goes_at_the_end_of_retention_and_it_is_in_the_record(people):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    services.review_record_home_office_told(review=review, by=people.coordinator, told_on=TOLD)
    parts = records._own_parts(review)
    assert b"27 January 2025" in parts["homeofficenotice.json"]
    assert "decisionqaview.json" in parts
    records.review_anonymise(review=review)
    fields = dict(review.home_office_notices.get().fields)
    assert fields["Date of death"] == records.REMOVED
    assert fields["Reasons for the decision"] == "Criteria not met"


def test_nobody_is_shown_waiting_for_the_panel_or_a_direction(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    assert workflow.waiting_on_others(review, people.chair) == []
    names = {t.name for t, _ in workflow.available(review, people.coordinator)}
    assert names == {"qa_panel_agrees", "qa_panel_asks_to_reconsider", "direct_review"}


def test_the_home_office_notice_of_a_fresh_decision_is_chased_anew_once_each_step(people):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)

    def notices(first, last, what="Notice of the decision to the Home Office"):
        mail.outbox.clear()
        list(_walk(first, last))
        return [m.subject.split(":")[0] for m in mail.outbox if what in m.subject]

    # The first decision's notice, due 28 February 2025.
    assert notices(date(2025, 2, 20), date(2025, 3, 9)) == [
        "Due in 8 days",  # the 14 days' step, caught up on the first run
        "Due in 3 days",
        "Due today",
        "Overdue by 7 days",
    ]
    services.review_record_home_office_told(
        review=review, by=people.coordinator, told_on=date(2025, 3, 10)
    )
    _reconsider(review, people, on=date(2025, 4, 1))
    _decide(review, people, proceed=False, reasons="Considered again: not met.")
    # The fresh decision's notice, due 1 May 2025: its steps again, each once.
    fresh = "Notice of the fresh decision to the Home Office"
    assert notices(date(2025, 4, 20), date(2025, 5, 20), fresh) == [
        "Due in 11 days",
        "Due in 3 days",
        "Due today",
        "Overdue by 7 days",
        "Overdue by 14 days",
    ]
    assert notices(date(2025, 4, 20), date(2025, 5, 20), fresh) == []  # run again: nothing twice
    work = work_for(people.coordinator, reviews=Review.objects.all(), today=date(2025, 5, 2))
    [item] = [i for g in work.mine if g.kind == "home-office-notice" for i in g.items]
    assert (item.what, item.instruction) == (fresh, "Tell the Home Office of the fresh decision")


def test_the_decision_refuses_a_safeguarding_notice_before_the_notification(people, client):
    review = ReviewDecisionPendingFactory(partnership=people.home, victim_age_band="16-17")
    client.force_login(people.chair)
    response = client.post(
        reverse("reviews:decision", args=[review.pk]),
        {
            "proceed": "yes",
            "reasons": "Criteria met",
            "child_review": "none",
            **_date("decided_on", date(2025, 2, 20)),
            **_date("safeguarding_told_on", date(2025, 1, 2)),
        },
    )
    assert response.status_code == 200
    assert "must be on or after the notification, 31 January 2025" in _text(response)
    assert 'value="2"' in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.safeguarding_told_on) == (Status.DECISION_PENDING, None)

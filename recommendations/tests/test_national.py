"""National recommendations (issue 20, rule 11): addressed to a national body rather than led by
a local agency; the body's reply recorded with its date; the reply chased with the coordinators
after the partnership's days (56 by default) from the day the recommendation was sent, once per
reminder step, in the coordinators' work queue and shown overdue on the plan."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dhr.errors import NotAllowed, TransitionError
from dhr.models import User
from dhr.tests.demo_data import load_demo
from recommendations import exports, selectors, services
from recommendations.models import NationalBody, Recommendation, Theme
from recommendations.tests.factories import RecommendationFactory
from reviews.chase import chase_run
from reviews.deadlines import open_deadlines
from reviews.models import Review
from reviews.tests.factories import ReviewConcludedFactory, ReviewSubmittedFactory
from reviews.work import work_for

SENT = date(2026, 3, 2)


def _national(people, **data):
    review = ReviewSubmittedFactory(partnership=people.home)
    return services.recommendation_save(
        review=review,
        by=people.coordinator,
        data={
            "text": "The Home Office should publish guidance on parallel proceedings.",
            "scope": "national",
            "lead_agency": people.involved_agency,
            "addressee": "home_office",
            **data,
        },
    )


def _replies(today):
    return [
        d
        for d in open_deadlines(reviews=Review.objects.all(), today=today)
        if d.kind == "national-reply"
    ]


def test_a_national_recommendation_names_the_body_it_is_addressed_to(people):
    recommendation = _national(people)
    assert recommendation.addressee_name == "Home Office"
    other = _national(people, addressee="other", addressee_other="Office for Students")
    assert other.addressee_name == "Office for Students"
    assert recommendation.history.latest().history_user == people.coordinator


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"addressee": ""}, "addressee", "Select the national body"),
        ({"addressee": "other"}, "addressee_other", "Enter the name of the national body"),
    ],
)
def test_a_national_recommendation_without_its_body_is_refused(people, data, field, message):
    with pytest.raises(ValidationError) as error:
        _national(people, **data)
    assert message in error.value.message_dict[field][0]
    assert not Recommendation.objects.exists()


def test_the_body_is_chosen_by_radios_revealing_another_body_s_name(client, people):
    review = ReviewSubmittedFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("recommendations:recommendation_add", args=[review.pk])
    form = client.get(url).content.decode()
    radios = re.findall(r'<input type="radio"\s+name="addressee"[^>]*>', form)
    assert len(radios) == len(NationalBody.choices)
    # Only "Another national body" reveals a question (the style sheet hides it until chosen),
    # and no radio is marked aria-expanded, which ARIA does not allow on a radio.
    [other] = [r for r in radios if 'value="other"' in r]
    assert 'id="id_addressee_14"' in other
    assert form.count("app-radios__reveal") == 1
    reveal = form.split('id="conditional-addressee-14"')[0].rsplit("<div", 1)[1]
    assert "govuk-radios__conditional app-radios__reveal" in reveal
    assert 'id="id_addressee_other"' in form.split('id="conditional-addressee-14"')[1]
    assert "aria-expanded" not in form
    assert "aria-controls" not in "".join(radios)
    assert "<select" not in form.split('name="addressee"')[0].rsplit("<fieldset", 1)[1]

    data = {
        "text": "Kept",
        "scope": "national",
        "lead_agency": people.involved_agency.pk,
        "addressee": "other",
        "addressee_other": " ",
        "themes": [Theme.objects.first().pk],
    }
    page = client.post(url, data).content.decode()
    flat = " ".join(page.split())
    # The error is on the name, inside the reveal, which stays open; the choice is kept.
    assert '<a href="#id_addressee_other">Enter the name of the national body</a>' in flat
    assert 'value="other" checked' in flat
    reveal = flat.split('id="conditional-addressee-14"', 1)[1].split("</fieldset>", 1)[0]
    assert 'id="id_addressee_other_1_error"' in reveal
    assert "govuk-form-group--error" in reveal
    assert not Recommendation.objects.exists()

    response = client.post(url, {**data, "addressee_other": "Office for Students"})
    assert response.status_code == 302
    assert Recommendation.objects.get().addressee_name == "Office for Students"


def test_a_local_recommendation_is_addressed_to_nobody(people):
    recommendation = _national(people, sent_to_body_on=SENT)
    services.recommendation_save(
        review=recommendation.review,
        by=people.coordinator,
        recommendation=recommendation,
        data={"scope": "local"},
    )
    recommendation.refresh_from_db()
    assert (recommendation.addressee, recommendation.sent_to_body_on) == ("", None)


def test_one_recorded_before_keeps_a_blank_addressee_until_a_coordinator_sets_it(people):
    """As the migration leaves them: valid, the plan asking for the body."""
    old = RecommendationFactory(
        review__partnership=people.home, scope="national", lead_agency=people.involved_agency
    )
    old.full_clean()
    assert old.addressee == ""
    assert old.addressee_name == ""
    # A write that does not ask for the body (a tracker import, say) leaves it blank.
    services.recommendation_save(
        review=old.review, by=people.coordinator, recommendation=old, data={"text": "Changed"}
    )
    with pytest.raises(ValidationError):
        services.recommendation_save(
            review=old.review, by=people.coordinator, recommendation=old, data={"addressee": ""}
        )


def test_the_reply_is_recorded_with_its_date_and_ends_the_chase(people):
    recommendation = _national(people, sent_to_body_on=SENT)
    services.national_reply_record(
        recommendation=recommendation,
        by=people.coordinator,
        data={"body_replied_on": date(2026, 4, 1), "body_reply": "We will consult on it."},
    )
    recommendation.refresh_from_db()
    assert recommendation.body_replied_on == date(2026, 4, 1)
    assert recommendation.history.latest().history_change_reason == (
        "National body's reply recorded"
    )
    assert _replies(SENT + timedelta(days=100)) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body_replied_on": date(2026, 3, 1), "body_reply": "Yes"}, "body_replied_on"),
        ({"body_replied_on": date(2026, 4, 1), "body_reply": " "}, "body_reply"),
        ({"body_reply": "A reply without a date"}, "body_replied_on"),
        ({"sent_to_body_on": date(2099, 1, 1)}, "sent_to_body_on"),
    ],
)
def test_a_reply_that_does_not_add_up_is_refused(people, data, field):
    recommendation = _national(people, sent_to_body_on=SENT)
    before = recommendation.history.count()
    with pytest.raises(ValidationError) as error:
        services.national_reply_record(
            recommendation=recommendation, by=people.coordinator, data=data
        )
    assert field in error.value.message_dict
    recommendation.refresh_from_db()
    assert recommendation.body_replied_on is None
    assert recommendation.history.count() == before


def test_only_a_coordinator_records_a_reply_and_only_on_a_national_recommendation(people):
    recommendation = _national(people, sent_to_body_on=SENT)
    for user in (people.agency_contact, people.chair, people.other_coordinator):
        with pytest.raises(NotAllowed):
            services.national_reply_record(
                recommendation=recommendation,
                by=user,
                data={"body_replied_on": SENT, "body_reply": "x"},
            )
    local = RecommendationFactory(review=recommendation.review, lead_agency=people.involved_agency)
    with pytest.raises(TransitionError):
        services.national_reply_record(
            recommendation=local, by=people.coordinator, data={"sent_to_body_on": SENT}
        )


def test_the_reply_falls_due_the_partnership_s_days_after_it_was_sent(people):
    recommendation = _national(people)
    assert _replies(SENT) == []  # not sent yet: nothing to wait for
    services.national_reply_record(
        recommendation=recommendation, by=people.coordinator, data={"sent_to_body_on": SENT}
    )
    [deadline] = _replies(SENT)
    assert people.home.national_reply_days == 56
    assert deadline.due == SENT + timedelta(days=56)
    assert deadline.what == "Reply from Home Office to Recommendation 1"
    assert deadline.url.endswith(f"/recommendations/{recommendation.pk}/reply/")
    people.home.national_reply_days = 28
    people.home.save()
    [deadline] = _replies(SENT)
    assert deadline.due == SENT + timedelta(days=28)


def test_the_reply_is_chased_once_per_step_with_the_coordinators(people):
    _national(people, sent_to_body_on=SENT)
    due = SENT + timedelta(days=56)
    # Not before it is due: the sending was the notice.
    assert chase_run(today=due - timedelta(days=3)).reminders_sent == 0
    assert chase_run(today=due).reminders_sent == 1
    [message] = mail.outbox
    assert message.to == [people.coordinator.email]
    assert "Reply from Home Office" in message.subject
    assert chase_run(today=due).reminders_sent == 0  # the same step: not again
    assert chase_run(today=due + timedelta(days=3)).reminders_sent == 0
    every = people.home.overdue_reminder_every_days
    assert chase_run(today=due + timedelta(days=every)).reminders_sent == 1
    assert chase_run(today=due + timedelta(days=every)).reminders_sent == 0


def test_sent_again_the_reply_is_chased_anew(people):
    recommendation = _national(people, sent_to_body_on=SENT)
    due = SENT + timedelta(days=56)
    assert chase_run(today=due).reminders_sent == 1
    resent = date(2026, 5, 1)
    services.national_reply_record(
        recommendation=recommendation, by=people.coordinator, data={"sent_to_body_on": resent}
    )
    assert chase_run(today=resent + timedelta(days=56)).reminders_sent == 1


def test_an_overdue_reply_waits_for_the_coordinators_and_shows_overdue_on_the_plan(people):
    recommendation = _national(people, sent_to_body_on=SENT)
    late = SENT + timedelta(days=60)
    work = work_for(
        people.coordinator, reviews=Review.objects.filter(pk=recommendation.review_id), today=late
    )
    [group] = [g for g in work.mine if g.kind == "national-reply"]
    [item] = group.items
    assert item.overdue
    assert item.due == SENT + timedelta(days=56)
    assert item.url.endswith(f"/recommendations/{recommendation.pk}/reply/")
    assert item.what == f"Reply from Home Office to {recommendation}"
    assert item.instruction == f"{item.what}: chase it, or record the reply"
    # The chair watches it; an agency's contact has nothing to do with it.
    chair = work_for(
        people.chair, reviews=Review.objects.filter(pk=recommendation.review_id), today=late
    )
    assert not [g for g in chair.mine if g.kind == "national-reply"]
    [(shown, _)] = selectors.action_plan(review=recommendation.review, today=late)
    assert shown.reply_overdue_days == 4


def test_a_concluded_review_s_reply_is_not_chased(people):
    review = ReviewConcludedFactory(partnership=people.home)
    RecommendationFactory(review=review, scope="national", addressee="dhsc", sent_to_body_on=SENT)
    assert _replies(SENT + timedelta(days=100)) == []


def test_the_plan_s_exports_show_the_body_and_its_reply(people):
    recommendation = _national(people, sent_to_body_on=SENT)
    services.national_reply_record(
        recommendation=recommendation,
        by=people.coordinator,
        data={"body_replied_on": date(2026, 4, 1), "body_reply": "We will consult on it."},
    )
    plan = selectors.action_plan(review=recommendation.review, today=SENT)
    csv = exports.plan_csv(recommendation.review, plan, generated=exports.datetime(2026, 4, 2))
    assert "Addressed to (national)" in csv
    assert "Home Office,2026-03-02,2026-04-01: We will consult on it." in csv


def test_the_demo_has_national_replies_recorded_one_overdue_and_the_rest_not_yet_due(db):
    load_demo()
    today = timezone.localdate()
    national = Recommendation.objects.filter(scope="national", addressee="home_office")
    assert national.filter(body_replied_on__isnull=False).count() >= 3
    waiting = _replies(today)
    assert len([d for d in waiting if d.overdue]) == 1  # to show the chase, not a backlog
    # The others are not yet due, one of them within the month (the dashboard's "coming up").
    assert len(waiting) >= 3
    assert any(0 <= d.days_left <= 30 for d in waiting)
    coordinator = User.objects.get(email="coordinator@example.org")
    work = work_for(coordinator, reviews=Review.objects.all(), today=today)
    assert [g for g in work.mine if g.kind == "national-reply"]

"""After the Home Office QA panel asks a partnership to reconsider a decision not to hold a
review: the decision it considered is kept on its view, the review page and the timeline say
where the route stands while the fresh decision is awaited and once it is made, the fresh
decision's form asks for the fresh decision's dates, and each Home Office notice says which
decision it told (docs/decisions/0016)."""

import re
from datetime import date, timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import clocks, decision_route, selectors, services
from reviews.models import DecisionQAView, Status
from reviews.tests.factories import (
    ReviewDecisionPendingFactory,
    ReviewNotProceedingFactory,
    UserFactory,
)
from reviews.tests.test_decision_route import _date, _decide, _reconsider, _text

pytestmark = pytest.mark.django_db

# ReviewNotProceedingFactory: notified 31 January 2025, decision due 28 February, decided 20
# February, the Home Office told on the 21st.
DECIDED, TOLD, FAMILY = date(2025, 2, 20), date(2025, 2, 21), date(2025, 2, 24)
ASKED, FRESH = date(2025, 4, 1), date(2025, 4, 20)


def _by_id(response, element_id: str) -> str:
    element = lxml.html.fromstring(response.content.decode()).get_element_by_id(element_id)
    return re.sub(r"\s+", " ", element.text_content()).strip()


@pytest.fixture
def first_chair():
    """The CSP chair who made the first decision (the factory records none)."""
    return UserFactory(name="Morag Ellis")


@pytest.fixture
def reconsidered(people, first_chair):
    """A decision not to hold a review, told to the Home Office and the family, which the QA
    panel asked on 1 April 2025 to be reconsidered: the fresh decision awaited."""
    review = ReviewNotProceedingFactory(
        partnership=people.home, decided_by=first_chair, family_told_on=FAMILY
    )
    _reconsider(review, people, on=ASKED)
    review.refresh_from_db()
    return review


def _decide_afresh(review, people, **more):
    _decide(review, people, proceed=True, reasons="Coercive control was a concern.", **more)
    review.refresh_from_db()
    return review


# 1. The decision the panel considered is kept on its view, and shown once a fresh one is made.


def test_the_panel_s_request_keeps_the_decision_it_considered(reconsidered, first_chair):
    qa_view = reconsidered.decision_qa_views.get()
    assert (
        qa_view.decision_on,
        qa_view.decision_due_on,
        qa_view.decided_by,
        qa_view.decision_reasons,
        qa_view.home_office_told_on,
        qa_view.family_told_on,
    ) == (DECIDED, date(2025, 2, 28), first_chair, "Criteria not met", TOLD, FAMILY)
    assert qa_view.history.get().decision_reasons == "Criteria not met"


def test_the_panel_agreeing_keeps_the_decision_too(people, first_chair):
    review = ReviewNotProceedingFactory(partnership=people.home, decided_by=first_chair)
    qa_view = decision_route.review_record_decision_qa_view(
        review=review,
        by=people.coordinator,
        view=DecisionQAView.View.AGREES,
        received_on=date(2025, 3, 15),
    )
    assert (qa_view.decided_by, qa_view.decision_reasons, qa_view.home_office_told_on) == (
        first_chair,
        "Criteria not met",
        TOLD,
    )


def test_the_fresh_decision_leaves_the_earlier_one_kept(people, reconsidered, first_chair):
    review = _decide_afresh(reconsidered, people, on=FRESH, home_office_told_on=None)
    assert (review.decided_on, review.decided_by, review.home_office_told_on) == (
        FRESH,
        people.chair,
        None,
    )
    [earlier] = selectors.review_earlier_decisions(review)
    assert (
        earlier.decided_on,
        earlier.due_on,
        earlier.decided_by,
        earlier.reasons,
        earlier.home_office_told_on,
        earlier.family_told_on,
        earlier.reconsideration_asked_on,
        earlier.proceed,
    ) == (DECIDED, date(2025, 2, 28), first_chair, "Criteria not met", TOLD, FAMILY, ASKED, False)


def test_a_second_reconsideration_keeps_both_earlier_decisions_latest_first(people, reconsidered):
    _decide(reconsidered, people, proceed=False, reasons="Looked at again: not met.", on=FRESH)
    services.review_record_home_office_told(
        review=reconsidered, by=people.coordinator, told_on=date(2025, 4, 22)
    )
    _reconsider(reconsidered, people, on=date(2025, 6, 2))
    review = _decide_afresh(reconsidered, people, on=date(2025, 6, 20))
    earlier = selectors.review_earlier_decisions(review)
    assert [(d.decided_on, d.due_on, d.reasons, d.fresh) for d in earlier] == [
        (FRESH, date(2025, 5, 1), "Looked at again: not met.", True),
        (DECIDED, date(2025, 2, 28), "Criteria not met", False),
    ]


def test_the_review_page_shows_the_earlier_decision_under_the_fresh_one(
    people, client, reconsidered
):
    review = _decide_afresh(reconsidered, people, on=FRESH, home_office_told_on=None)
    client.force_login(people.coordinator)
    response = client.get(review.get_absolute_url())
    assert _by_id(response, "decision-heading") == "Decision"
    assert "A fresh decision: the Home Office QA panel asked on 1 April 2025 for the earlier" in (
        _text(response)
    )
    decision = _by_id(response, "decision")
    assert "Decided 20 April 2025" in decision
    assert "Reasons Coercive control was a concern." in decision
    assert "Home Office told Not recorded" in decision
    page = _text(response)
    earlier = page[page.index("Earlier decision") :]
    assert earlier.startswith(
        "Earlier decision Superseded The Home Office QA panel asked on 1 April 2025 for it to be "
        "reconsidered."
    )
    earlier = _by_id(response, "earlier-decision-1")
    for row in (
        "Decision Do not hold a review",
        "Decided 20 February 2025 It was due by 28 February 2025",
        "Decided by Morag Ellis",
        "Reasons Criteria not met",
        "Home Office told 21 February 2025",
        "Family told 24 February 2025",
    ):
        assert row in earlier


def test_a_viewer_reads_the_earlier_decision_as_they_read_the_current_one(
    people, client, reconsidered
):
    """No field of a decision is confidential: the reasons and dates show to whoever may read
    the review, as the current decision's do; other partnerships' users still get 404."""
    review = _decide_afresh(reconsidered, people, on=FRESH)
    review.viewers.add(people.viewer)
    client.force_login(people.viewer)
    response = client.get(review.get_absolute_url())
    assert "Reasons Criteria not met" in _by_id(response, "earlier-decision-1")
    assert "Reasons Coercive control was a concern." in _by_id(response, "decision")
    assert "Confidential" not in _by_id(response, "earlier-decision-1")
    client.force_login(people.other_coordinator)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.get(reverse("reviews:timeline", args=[review.pk])).status_code == 404


# 2. While the fresh decision is awaited, the page says so.


def test_while_the_fresh_decision_is_awaited_the_statutory_dates_say_it_is_due(people, client):
    today = timezone.localdate()
    asked = today - timedelta(days=5)
    review = ReviewNotProceedingFactory(
        partnership=people.home,
        notified_on=today - timedelta(days=60),
        decided_on=today - timedelta(days=40),
        home_office_told_on=today - timedelta(days=38),
        family_told_on=today - timedelta(days=38),
    )
    _reconsider(review, people, on=asked)
    review.refresh_from_db()
    assert review.awaiting_fresh_decision
    due = clocks.add_months(asked, 1)
    client.force_login(people.coordinator)
    response = client.get(review.get_absolute_url())
    statutory = _by_id(response, "statutory-dates")
    days = (due - today).days
    assert (
        f"Fresh decision due {due:%-d %B %Y} ({days} days left) The Home Office QA panel asked "
        f"for it on {asked:%-d %B %Y}"
    ) in statutory
    assert (
        f"Home Office to be told of the fresh decision by {due:%-d %B %Y} Not yet told of the "
        "fresh decision"
    ) in statutory
    assert "Decided" not in statutory
    assert "Told" not in statutory
    # The decision shown below is the one under reconsideration, not the current decision.
    assert _by_id(response, "decision-heading") == "Decision under reconsideration"
    assert _by_id(response, "decision-standing") == (
        f"The Home Office QA panel asked on {asked:%-d %B %Y} for this decision to be "
        f"reconsidered. The CSP chair's fresh decision is due by {due:%-d %B %Y}."
    )
    assert "Reasons Criteria not met" in _by_id(response, "decision")
    assert "Earlier decision" not in _text(response)  # it is the decision shown, not replaced
    route = _by_id(response, "decision-route")
    assert "Not told of the fresh decision yet: the CSP chair has not made it" in route
    assert f"Decision Fresh decision due by {due:%-d %B %Y}" in _by_id(response, "stages")


def test_once_the_fresh_decision_is_made_the_statutory_dates_are_its_own(
    people, client, reconsidered
):
    review = _decide_afresh(reconsidered, people, on=FRESH, home_office_told_on=None)
    client.force_login(people.coordinator)
    statutory = _by_id(client.get(review.get_absolute_url()), "statutory-dates")
    assert "Fresh decision due 1 May 2025 Decided 20 April 2025" in statutory
    assert "Home Office to be told of the fresh decision by 1 May 2025 Not told:" in statutory
    assert "Told 21 February 2025" not in statutory


# 3. The timeline tells the route in order.


ROUTE = ("Decision due", "Decided", "Fresh decision", "Home Office", "Family")


def _route(review, today=date(2025, 12, 1)):
    """The timeline's entries on the decision's route."""
    return [
        (e.on, e.what, e.state)
        for e in selectors.review_timeline(review, today).entries
        if e.what.startswith(ROUTE)
    ]


def test_the_timeline_keeps_the_first_decision_and_tells_the_route_in_order(people, reconsidered):
    review = _decide_afresh(reconsidered, people, on=ASKED)  # the fresh decision the same day
    assert _route(review) == [
        (DECIDED, "Decided not to hold a review (due 28 February 2025)", "done"),
        (TOLD, "Home Office told of the decision", "done"),
        (FAMILY, "Family told of the decision", "done"),
        (ASKED, "Home Office QA panel: asks the partnership to reconsider the decision", "done"),
        (ASKED, "Fresh decision: decided to hold a review (due 1 May 2025)", "done"),
        (date(2025, 5, 1), "Home Office to be told of the fresh decision", "overdue"),
    ]


def test_the_timeline_while_the_fresh_decision_is_awaited(reconsidered):
    assert _route(reconsidered)[-2:] == [
        (ASKED, "Home Office QA panel: asks the partnership to reconsider the decision", "done"),
        (
            date(2025, 5, 1),
            "Fresh decision due (and the Home Office told of it)",
            "overdue",
        ),
    ]
    assert _route(reconsidered, today=date(2025, 4, 2))[-1][2] == "due"


def test_on_one_day_the_timeline_keeps_the_order_of_events(people):
    """Everything on 20 February: the order things happened, not the alphabet or the order
    the code happened to read them in."""
    review = ReviewNotProceedingFactory(
        partnership=people.home, home_office_told_on=DECIDED, family_told_on=DECIDED
    )
    _reconsider(review, people, on=DECIDED)
    review = _decide_afresh(
        review, people, on=DECIDED, home_office_told_on=DECIDED, family_told_on=DECIDED
    )
    assert [what for on, what, _ in _route(review) if on == DECIDED] == [
        "Decided not to hold a review (due 28 February 2025)",
        "Home Office told of the decision",
        "Family told of the decision",
        "Home Office QA panel: asks the partnership to reconsider the decision",
        "Fresh decision: decided to hold a review (due 20 March 2025)",
        "Home Office told of the fresh decision",
        "Family told of the fresh decision",
    ]


def test_the_timeline_shows_the_home_office_s_due_date_until_it_is_told(people):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    assert _route(review) == [
        (DECIDED, "Decided not to hold a review (due 28 February 2025)", "done"),
        (date(2025, 2, 28), "Home Office to be told of the decision", "overdue"),
    ]
    assert _route(review, today=date(2025, 2, 21))[-1][2] == "due"
    services.review_record_home_office_told(review=review, by=people.coordinator, told_on=TOLD)
    review.refresh_from_db()
    assert _route(review)[-1] == (TOLD, "Home Office told of the decision", "done")


def test_the_timeline_shows_when_the_safeguarding_partners_are_to_be_told(people):
    review = ReviewDecisionPendingFactory(partnership=people.home, victim_age_band="16-17")
    due = clocks.safeguarding_notice_due(review)
    entries = selectors.review_timeline(review, due - timedelta(days=3)).entries
    assert [(e.on, e.state) for e in entries if e.what.startswith("Children's")] == [(due, "due")]
    decision_route.review_record_safeguarding_told(
        review=review, by=people.coordinator, told_on=review.notified_on
    )
    review.refresh_from_db()
    entries = selectors.review_timeline(review, due + timedelta(days=3)).entries
    assert [(e.what, e.state) for e in entries if e.what.startswith("Children's")] == [
        ("Children's safeguarding partners told", "done")
    ]


def test_the_panel_agreeing_follows_the_decision_it_agreed_with(people):
    review = ReviewNotProceedingFactory(partnership=people.home)
    decision_route.review_record_decision_qa_view(
        review=review, by=people.coordinator, view=DecisionQAView.View.AGREES, received_on=TOLD
    )
    assert [what for _, what, _ in _route(review)] == [
        "Decided not to hold a review (due 28 February 2025)",
        "Home Office told of the decision",
        "Home Office QA panel: agrees with the decision",
    ]


def test_the_timeline_page_shows_both_decisions(people, client, reconsidered):
    review = _decide_afresh(reconsidered, people, on=FRESH)
    client.force_login(people.chair)
    timeline = _by_id(client.get(reverse("reviews:timeline", args=[review.pk])), "timeline")
    first = timeline.index("Decided not to hold a review (due 28 February 2025)")
    asked = timeline.index("Home Office QA panel: asks the partnership to reconsider")
    fresh = timeline.index("Fresh decision: decided to hold a review (due 1 May 2025)")
    assert first < asked < fresh
    assert "Home Office to be told of the fresh decision Overdue" in timeline


# 4. The fresh decision's form asks for the fresh decision's dates.


def test_the_fresh_decision_form_says_its_dates_are_the_fresh_decision_s(
    people, client, reconsidered
):
    client.force_login(people.chair)
    page = _text(client.get(reverse("reviews:decision", args=[reconsidered.pk])))
    assert (
        "When was the Home Office told of the fresh decision? (optional) The Home Office was "
        "told of the earlier decision, of 20 February 2025, on 21 February 2025: that date is "
        "kept with the earlier decision."
    ) in page
    assert (
        "When was the family told of the fresh decision? (optional) The family was told of the "
        "earlier decision, of 20 February 2025, on 24 February 2025: that date is kept with the "
        "earlier decision."
    ) in page
    assert "The earlier decision is kept as it was" in page


def test_the_first_decision_s_form_keeps_its_own_words(people, client):
    review = ReviewDecisionPendingFactory(partnership=people.home)
    client.force_login(people.chair)
    page = _text(client.get(reverse("reviews:decision", args=[review.pk])))
    assert "Date the Home Office was told (optional)" in page
    assert "Date the family was told (optional)" in page
    assert "fresh decision" not in page


def test_the_fresh_decision_form_names_an_earlier_date_not_recorded(people, client):
    review = ReviewNotProceedingFactory(partnership=people.home)
    _reconsider(review, people, on=ASKED)
    client.force_login(people.chair)
    page = _text(client.get(reverse("reviews:decision", args=[review.pk])))
    assert "No date was recorded for telling the family of the earlier decision, of 20 " in page


def test_the_fresh_decision_form_refuses_a_told_date_before_it_and_saves_nothing(
    people, client, reconsidered
):
    client.force_login(people.chair)
    url = reverse("reviews:decision", args=[reconsidered.pk])
    data = {
        "proceed": "yes",
        "reasons": "Coercive control was a concern.",
        **_date("decided_on", FRESH),
        **_date("home_office_told_on", date(2025, 4, 19)),
        **_date("family_told_on", date(2025, 4, 21)),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    assert (
        "The date the Home Office was told of the fresh decision must be on or after the decision"
    ) in text
    assert 'value="19"' in response.content.decode()
    reconsidered.refresh_from_db()
    assert (reconsidered.status, reconsidered.decided_on, reconsidered.home_office_told_on) == (
        Status.DECISION_PENDING,
        DECIDED,
        TOLD,
    )
    response = client.post(url, {**data, **_date("home_office_told_on", date(2025, 4, 22))})
    assert response.status_code == 302
    reconsidered.refresh_from_db()
    assert (reconsidered.home_office_told_on, reconsidered.family_told_on) == (
        date(2025, 4, 22),
        date(2025, 4, 21),
    )
    qa_view = reconsidered.decision_qa_views.get()
    assert (qa_view.home_office_told_on, qa_view.family_told_on) == (TOLD, FAMILY)


# The Home Office's two notices, one per decision.


def test_each_home_office_notice_says_which_decision_it_told(people, client):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    services.review_record_home_office_told(review=review, by=people.coordinator, told_on=TOLD)
    _reconsider(review, people, on=ASKED)
    client.force_login(people.coordinator)
    first = review.home_office_notices.get()
    page = _text(client.get(first.get_absolute_url()))
    assert (
        "Decision under reconsideration The Home Office QA panel asked on 1 April 2025 for this "
        "decision to be "
        "reconsidered. The CSP chair's fresh decision is still to come."
    ) in page
    route = _by_id(client.get(review.get_absolute_url()), "decision-route")
    assert "Told 21 February 2025 (of the decision under reconsideration, of 20 February" in route
    _decide_afresh(review, people, on=FRESH, home_office_told_on=date(2025, 4, 22))
    fresh = review.home_office_notices.exclude(pk=first.pk).get()
    page = _text(client.get(first.get_absolute_url()))
    assert "The CSP chair made a fresh decision on 20 April 2025." in page
    assert (
        "The Home Office was also told On 22 April 2025 , of the fresh decision of 20 April 2025"
        in page
    )
    page = _text(client.get(fresh.get_absolute_url()))
    assert "This told the Home Office of the fresh decision, made after the Home Office QA" in page
    assert (
        "The Home Office was also told On 21 February 2025 , of the earlier decision of 20 Feb"
        in page
    )
    route = _by_id(client.get(review.get_absolute_url()), "decision-route")
    assert "Told 21 February 2025 (of the earlier decision, of 20 February 2025)" in route
    assert "Told 22 April 2025 (of the fresh decision, of 20 April 2025)" in route


def test_on_one_day_the_notice_is_still_of_the_earlier_decision(people, client):
    """Decided, told, asked to reconsider and decided afresh all on 20 February: which decision
    a notice told comes from the order of events, not from their dates."""
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    services.review_record_home_office_told(review=review, by=people.coordinator, told_on=DECIDED)
    _reconsider(review, people, on=DECIDED)
    client.force_login(people.coordinator)
    route = _by_id(client.get(review.get_absolute_url()), "decision-route")
    assert "(of the decision under reconsideration, of 20 February 2025)" in route
    _decide_afresh(review, people, on=DECIDED)
    page = client.get(review.get_absolute_url())
    assert _by_id(page, "decision-route-heading") == (
        "After the earlier decision not to hold a review"
    )
    route = _by_id(page, "decision-route")
    assert "Told 20 February 2025 (of the earlier decision, of 20 February 2025)" in route
    assert "of the fresh decision, of" not in route
    assert "Not told of the fresh decision yet" in route
    form = _text(client.get(reverse("reviews:home_office_told", args=[review.pk])))
    assert "of the earlier decision of 20 February 2025" in form


def test_telling_the_home_office_of_the_fresh_decision_lists_the_earlier_notice(people, client):
    review = ReviewNotProceedingFactory(partnership=people.home, home_office_told_on=None)
    services.review_record_home_office_told(review=review, by=people.coordinator, told_on=TOLD)
    _reconsider(review, people, on=ASKED)
    _decide_afresh(review, people, on=FRESH)
    client.force_login(people.coordinator)
    page = _text(client.get(reverse("reviews:home_office_told", args=[review.pk])))
    assert (
        "The Home Office is told of the fresh decision to hold a review, made on 20 April" in page
    )
    assert "Told on 21 February 2025 , of the earlier decision of 20 February 2025" in page

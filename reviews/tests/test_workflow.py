"""Each transition: allowed from its states by its role, refused from every other state and by
every other role, and atomic (a failure part-way leaves the review as it was)."""

from datetime import date
from unittest import mock

import pytest

from dhr.errors import NotAllowed, TransitionError
from dhr.tests.module_data import refetched
from reviews import decision_route, extensions, services, workflow
from reviews.models import DecisionQAView, Status
from reviews.tests.factories import (
    FACTORY_FOR_STATUS,
    ReviewAgencyReportsFactory,
    ReviewDraftingFactory,
)

ON = date(2025, 9, 1)


def _actor(people, transition):
    return people.coordinator if transition.role == "coordinator" else people.chair


def _decide(review, by, proceed=True):
    return services.review_record_decision(
        review=review,
        by=by,
        decided_on=ON,
        proceed=proceed,
        reasons="Reasons",
        situations_of_concern=["marac"],
        other_reviews_considered=[],
    )


def _snapshot(review):
    return {
        f.attname: getattr(review, f.attname)
        for f in review._meta.concrete_fields
        if f.name != "updated_at"
    }


def _cases(allowed: bool):
    for name, transition in workflow.TRANSITIONS.items():
        for status in Status:
            if (status in transition.sources) is allowed:
                yield name, status


def _run(people, review, name, by):
    # What the apps above add to a transition's checks (the action plan before "conclude", the
    # QA letter before "approve_for_publication" and "publish") is tested with those apps.
    with mock.patch.dict(extensions.REGISTERED, clear=True):
        if name == "decide_to_proceed":
            return _decide(review, by, proceed=True)
        if name == "decide_not_to_proceed":
            return _decide(review, by, proceed=False)
        if name in ("qa_panel_agrees", "qa_panel_asks_to_reconsider"):
            view = DecisionQAView.View.AGREES if name == "qa_panel_agrees" else "reconsider"
            decision_route.review_record_decision_qa_view(
                review=review, by=by, view=view, received_on=ON
            )
            return review
        if name == "direct_review":
            return decision_route.review_record_direction(review=review, by=by, directed_on=ON)
        if name == "conclude":
            return services.review_conclude(review=review, by=by, on=ON, closing_audit="Done")
        if name == "publish":
            return services.review_publish(
                review=review, by=by, on=ON, url="https://example.org/dhr"
            )
        return services.review_transition(review=review, by=by, action=name, on=ON)


# The people, and a review of 'home' in each state, are built once for the module (conftest.py,
# `module_transaction`); each test reads them afresh and its writes are undone.
@pytest.fixture
def people(db, module_people):
    return refetched(module_people)


@pytest.fixture(scope="module")
def module_reviews(module_people, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            status: FACTORY_FOR_STATUS[status](partnership=module_people.home) for status in Status
        }


@pytest.fixture
def reviews(people, module_reviews):
    """A review of 'home' in each state, by state."""
    return refetched(module_reviews)


@pytest.mark.parametrize(("name", "status"), list(_cases(allowed=True)))
def test_each_transition_is_allowed_from_its_states(people, reviews, name, status):
    transition = workflow.TRANSITIONS[name]
    review = reviews[status]
    actor = _actor(people, transition)
    review = _run(people, review, name, actor)
    review.refresh_from_db()
    assert review.status == transition.target
    latest = review.history.latest()
    assert latest.history_user == actor
    assert latest.history_change_reason == transition.label


@pytest.mark.parametrize(("name", "status"), list(_cases(allowed=False)))
def test_each_transition_is_refused_from_every_other_state(people, reviews, name, status):
    transition = workflow.TRANSITIONS[name]
    review = reviews[status]
    versions = review.history.count()
    with pytest.raises(TransitionError, match="you cannot"):
        _run(people, review, name, _actor(people, transition))
    review.refresh_from_db()
    assert review.status == status
    assert review.history.count() == versions


ROLES = ["coordinator", "chair", "viewer", "other_coordinator", "other_chair"]


@pytest.mark.parametrize(
    ("name", "role"),
    [(n, r) for n, t in workflow.TRANSITIONS.items() for r in ROLES if r != t.role],
)
def test_each_transition_is_refused_to_other_roles(people, reviews, name, role):
    transition = workflow.TRANSITIONS[name]
    status = next(iter(transition.sources))
    review = reviews[status]
    with pytest.raises(NotAllowed):
        _run(people, review, name, getattr(people, role))
    review.refresh_from_db()
    assert review.status == status


@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_each_transition_is_atomic(people, reviews, name):
    """The review row is written, then recording its history fails: nothing is kept."""
    transition = workflow.TRANSITIONS[name]
    status = next(iter(transition.sources))
    review = reviews[status]
    before = review.history.count()
    fields = _snapshot(review)
    with (
        mock.patch(
            "simple_history.models.HistoricalRecords.create_historical_record",
            side_effect=RuntimeError("history store down"),
        ),
        pytest.raises(RuntimeError),
    ):
        _run(people, review, name, _actor(people, transition))
    review.refresh_from_db()
    assert _snapshot(review) == fields
    assert review.history.count() == before


def test_a_transition_waits_for_what_it_needs(people):
    review = FACTORY_FOR_STATUS[Status.PROCEEDING](
        partnership=people.home, chair_name="", terms_of_reference_agreed_on=None
    )
    with pytest.raises(TransitionError) as error:
        services.review_transition(
            review=review, by=people.coordinator, action="complete_set_up", on=ON
        )
    assert "Record the independent chair" in str(error.value)
    assert "terms of reference were agreed" in str(error.value)
    review.refresh_from_db()
    assert review.status == Status.PROCEEDING


def test_drafting_waits_for_every_agency_report(people):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    agency = review.agency_reports.get().agency
    with pytest.raises(TransitionError, match=f"received from {agency.name}"):
        services.review_transition(
            review=review, by=people.coordinator, action="start_drafting", on=ON
        )


def test_sign_off_waits_for_both_documents(people):
    review = ReviewDraftingFactory(partnership=people.home)
    with pytest.raises(TransitionError, match="Upload the overview report"):
        services.review_transition(review=review, by=people.chair, action="sign_off", on=ON)


def test_sign_off_records_the_chair(people):
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    review = services.review_transition(review=review, by=people.chair, action="sign_off", on=ON)
    assert review.signed_off_by == people.chair
    assert review.signed_off_on == ON


def test_available_lists_only_what_this_user_may_do_now(people):
    review = FACTORY_FOR_STATUS[Status.DECISION_PENDING](partnership=people.home)
    names = lambda user: {t.name for t, _ in workflow.available(review, user)}  # noqa: E731
    assert names(people.chair) == {"decide_to_proceed", "decide_not_to_proceed"}
    assert names(people.coordinator) == set()
    assert names(people.viewer) == set()


@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_each_transitions_words_read_inside_a_sentence_with_their_capitals(name):
    """A label or step is lowered only at its first letter inside a sentence ("Waiting for: A
    chair to ...", "you cannot ... now", "Done: ..."), so each must start with an ordinary
    capitalised word: an acronym or a name there would lose its capitals."""
    transition = workflow.TRANSITIONS[name]
    for text, inside in (
        (transition.label, transition.label_in_sentence),
        (transition.step or transition.label, transition.step_in_sentence),
    ):
        first = text.split()[0]
        assert first[0].isupper(), text
        assert first[1:].islower(), text
        assert inside == first.lower() + text[len(first) :]


def test_what_others_are_waiting_for_keeps_its_capitals(people):
    review = FACTORY_FOR_STATUS[Status.DECISION_PENDING](partnership=people.home)
    assert workflow.waiting_on_others(review, people.coordinator) == [
        "A CSP chair to record the decision"
    ]
    with mock.patch.dict(extensions.REGISTERED, clear=True):  # no letter: both ways are open
        review = FACTORY_FOR_STATUS[Status.REVISING](partnership=people.home)
        assert workflow.waiting_on_others(review, people.chair) == [
            "A coordinator to resubmit the revised report to the QA panel"
        ]

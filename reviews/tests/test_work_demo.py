"""The work queues on the demo data: they hold what the chase chases, each for whom it is
(`reviews.work`; the queues on records built for each case are in test_work.py).

These tests only read the demo, so it is put back once for the module, in the transaction
around the module (conftest.py, `module_transaction`), rather than for each test: each test runs
in a savepoint inside it, so what one writes is gone before the next."""

import pytest
from django.utils import timezone

from dhr.models import Role, User
from dhr.tests.demo_data import load_demo
from reviews import clocks
from reviews.deadlines import Chase, open_deadlines
from reviews.models import Review
from reviews.tests.test_work import _work
from reviews.work import KINDS, Actor

pytestmark = pytest.mark.django_db


def _chased(deadline, today) -> bool:
    """The chase's own rule (chase_plan), independent of the queue's."""
    partnership = deadline.partnership
    return (
        clocks.reminder_step(
            deadline.due,
            today,
            days_before=partnership.reminder_days_before if deadline.remind_before else [0],
            overdue_every=partnership.overdue_reminder_every_days,
        )
        is not None
    )


@pytest.fixture(scope="module")
def module_demo(module_transaction, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo(db, module_demo):
    """The demo, put back once for the module; what a test writes (a signed-in session, say)
    is undone after it."""


@pytest.mark.parametrize(
    ("email", "role", "chase"),
    [
        ("coordinator@example.org", Role.COORDINATOR, Chase.COORDINATORS),
        ("chair@example.org", Role.CHAIR, Chase.CHAIRS),
    ],
)
def test_on_the_demo_the_queue_holds_everything_the_chase_chases_and_nothing_of_others(
    demo, email, role, chase
):
    today = timezone.localdate()
    user = User.objects.get(email=email)
    partnerships = set(user.memberships.filter(role=role).values_list("partnership", flat=True))
    chased = {
        (d.object_type, d.object_id)
        for d in open_deadlines(reviews=Review.objects.all(), today=today)
        if d.kind in KINDS
        and d.chase == chase
        and d.partnership.pk in partnerships
        and _chased(d, today)
    }
    assert chased, "the demo has something chased for this person"
    work = _work(user, today)
    mine = [item for group in work.mine for item in group.items]
    assert chased <= {item.key for item in mine}
    actor = Actor.COORDINATORS if role == Role.COORDINATOR else Actor.CHAIRS
    assert {item.actor for item in mine} == {actor}
    assert not {item.key for item in mine} & {
        item.key for group in work.others for item in group.items
    }


def test_on_the_demo_an_agency_contact_s_queue_holds_only_their_agency_s_tasks(demo):
    user = User.objects.get(email="police.contact@example.org")
    agencies = set(user.agency_contacts.values_list("agency", flat=True))
    work = _work(user)
    items = [item for group in work.mine for item in group.items]
    assert items
    assert {item.agency.pk for item in items} == agencies
    assert {item.partnership.slug for item in items} == {"northvale"}
    assert work.others == []


def test_on_the_demo_the_police_contact_for_southmere_has_none_of_northvale_s_tasks(demo):
    """Northvale Police serves both partnerships, with a contact named for each."""
    user = User.objects.get(email="southmere.police@example.org")
    assert set(user.agency_contacts.values_list("agency__name", flat=True)) == {"Northvale Police"}
    work = _work(user)
    items = [item for group in work.mine + work.others for item in group.items]
    assert not [item for item in items if item.partnership.slug == "northvale"]


def test_on_the_demo_the_list_s_overdue_filter_and_the_dashboard_agree(demo, client):
    client.force_login(User.objects.get(email="coordinator@example.org"))
    work = client.get("/").context["work"]
    overdue_on_the_dashboard = {
        item.review.pk
        for group in work.mine + work.others
        for item in group.items
        if item.overdue and item.review is not None
    }
    listed = client.get("/reviews/?overdue=on").context["page"].object_list
    assert overdue_on_the_dashboard
    assert {review.pk for review in listed} == overdue_on_the_dashboard


def test_on_the_demo_a_review_after_sign_off_shows_its_next_real_date_in_the_list(demo, client):
    client.force_login(User.objects.get(email="coordinator@example.org"))
    today = timezone.localdate()
    rows = dict(client.get("/reviews/?status=qa_feedback").context["rows"])
    [(review, shown)] = rows.items()
    found = open_deadlines(reviews=Review.objects.filter(pk=review.pk), today=today)
    assert "Revised report, on the Home Office QA panel's points" in {d.what for d in found}
    # The most urgent of them: the longest overdue.
    assert (shown.what, shown.due) == (found[0].what, found[0].due)


def test_on_the_demo_every_deadline_names_a_kind_the_queues_show(demo):
    today = timezone.localdate()
    kinds = {d.kind for d in open_deadlines(reviews=Review.objects.all(), today=today)}
    assert kinds
    assert kinds <= set(KINDS) | {"report", "scoping"}

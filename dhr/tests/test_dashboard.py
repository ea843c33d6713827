import pytest
from django.urls import reverse

from reviews.tests.factories import ReviewFactory

ROLES = [
    "coordinator",
    "chair",
    "viewer",
    "other_coordinator",
    "other_chair",
    "other_viewer",
    "agency_contact",
    "other_agency_contact",
    "admin",
    "stranger",
]
# How many of the two reviews (one per partnership, the home one given to the home viewer)
# each role's dashboard counts.
SEES = {
    "coordinator": 1,
    "chair": 1,
    "viewer": 1,
    "other_coordinator": 1,
    "other_chair": 1,
    "other_viewer": 0,
    "agency_contact": 0,
    "other_agency_contact": 0,
    "admin": 2,
    "stranger": 0,
}


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_counts_only_what_each_role_may_see(client, people, role):
    ReviewFactory(partnership=people.home).viewers.add(people.viewer)
    ReviewFactory(partnership=people.away)
    client.force_login(getattr(people, role))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["total"] == SEES[role]


def test_dashboard_asks_anonymous_users_to_sign_in(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "offered"), [("coordinator", True), ("chair", False), ("viewer", False)]
)
def test_only_coordinators_are_offered_to_record_a_notification(client, people, role, offered):
    client.force_login(getattr(people, role))
    page = client.get(reverse("dashboard")).content.decode()
    assert ("Record a police notification" in page) is offered


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_account_pages_are_open_to_anonymous_users(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_a_signed_in_user_is_sent_from_sign_in_to_the_dashboard(client, people):
    client.force_login(people.viewer)
    assert client.get(reverse("login")).url == reverse("dashboard")


def test_the_admin_site_is_for_administrators_only(client, people):
    client.force_login(people.coordinator)
    assert client.get("/admin/").status_code == 302
    client.force_login(people.admin)
    assert client.get("/admin/").status_code == 200

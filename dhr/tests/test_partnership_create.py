"""The first partnership from the service: an administrator adds it with its coordinator and
chair, who are invited by email to choose their password; and the same from the command line."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from dhr.models import Membership, OutgoingEmail, Partnership, Role, User

URL = reverse("partnership_create")
GOOD = {
    "name": "Eastbrook Community Safety Partnership",
    "area": "Eastbrook",
    "coordinator_name": "Cora Coordinator",
    "coordinator_email": "Cora.Coordinator@Eastbrook.example.org",
    "chair_name": "Chas Chair",
    "chair_email": "chas.chair@eastbrook.example.org",
}


def _counts():
    return (Partnership.objects.count(), User.objects.count(), Membership.objects.count(),
            OutgoingEmail.objects.count())  # fmt: skip


def test_an_administrator_adds_a_partnership_and_its_leads_are_invited(client, people):
    client.force_login(people.admin)
    assert "Add a partnership" in client.get(reverse("administration")).content.decode()
    response = client.post(URL, GOOD)
    assert response.url == reverse("administration")
    partnership = Partnership.objects.get(name=GOOD["name"])
    assert partnership.slug == "eastbrook-community-safety-partnership"
    coordinator = User.objects.get(email="cora.coordinator@eastbrook.example.org")
    assert not coordinator.has_usable_password()
    assert Membership.objects.get(user=coordinator).role == Role.COORDINATOR
    assert Membership.objects.get(user__email=GOOD["chair_email"]).role == Role.CHAIR
    assert partnership.history.first().history_user == people.admin

    invitation = OutgoingEmail.objects.get(to=[coordinator.email])
    assert "as the coordinator of Eastbrook Community Safety Partnership" in invitation.body
    link = re.search(r"https?://[^/\s]+(/account/password-reset/\S+/)", invitation.body).group(1)
    # The coordinator chooses a password, signs in, and must set up an app.
    newcomer = Client()
    page = newcomer.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    chosen = "a-long-new-passphrase"
    response = newcomer.post(form_url, {"new_password1": chosen, "new_password2": chosen})
    assert response.url == reverse("password_reset_complete")
    response = newcomer.post(reverse("login"), {"username": coordinator.email, "password": chosen})
    assert response.status_code == 302
    assert newcomer.get(reverse("dashboard")).url.startswith(reverse("two_factor_setup"))


def test_someone_with_an_account_is_told_of_the_new_role_without_a_password_link(client, people):
    client.force_login(people.admin)
    client.post(URL, {**GOOD, "chair_email": people.other_chair.email.upper()})
    membership = Membership.objects.get(user=people.other_chair, partnership__name=GOOD["name"])
    assert membership.role == Role.CHAIR
    email = OutgoingEmail.objects.get(to=[people.other_chair.email])
    assert "Sign in as usual" in email.body
    assert "password-reset" not in email.body
    assert people.other_chair.memberships.count() == 2


@pytest.mark.parametrize(
    ("change", "message", "kept"),
    [
        ({"name": ""}, "Enter the partnership's name", "Eastbrook"),
        ({"area": ""}, "Enter the council area the partnership serves", None),
        ({"coordinator_email": "not an address"}, "email address in the correct format",
         "not an address"),
        ({"chair_name": ""}, "Enter the CSP chair's full name", None),
        ({"chair_email": GOOD["coordinator_email"].lower()},
         "The CSP chair must be someone other than the coordinator", None),
        ({"name": "Home CSP"}, "A partnership with this name already exists", None),
        ({"area": "x" * 201}, "Council area it serves must be 200 characters or fewer", None),
    ],
)  # fmt: skip
def test_bad_input_is_explained_kept_and_saves_nothing(client, people, change, message, kept):
    client.force_login(people.admin)
    before = _counts()
    response = client.post(URL, {**GOOD, **change})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert escape(message) in page
    if kept:
        assert kept in page
    assert _counts() == before


@pytest.mark.parametrize("role", ["coordinator", "chair", "viewer", "agency_contact", "stranger"])
def test_only_an_administrator_adds_partnerships(client, people, role):
    client.force_login(getattr(people, role))
    before = _counts()
    assert client.get(URL).status_code == 404
    assert client.post(URL, GOOD).status_code == 404
    assert _counts() == before


def test_the_command_does_the_same_for_scripts(db, capsys):
    call_command(
        "create_partnership",
        "--name", "Westholm CSP", "--area", "Westholm",
        "--coordinator", "Wren Coordinator <wren@westholm.example.org>",
        "--chair", "Wyn Chair <wyn@westholm.example.org>",
    )  # fmt: skip
    assert "Added Westholm CSP (westholm-csp)" in capsys.readouterr().out
    assert OutgoingEmail.objects.count() == 2
    with pytest.raises(CommandError, match="A partnership with this name already exists"):
        call_command(
            "create_partnership",
            "--name", "westholm csp", "--area", "W",
            "--coordinator", "A <a@example.org>", "--chair", "B <b@example.org>",
        )  # fmt: skip

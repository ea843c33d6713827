"""An agency's contact is named for the partnerships they serve; a change of them is a change of
access, kept in the contact's history like the rest of the row."""

import pytest

from dhr.models import AgencyContact, User
from dhr.permissions import served_by, serves
from reviews.tests.factories import AgencyContactFactory

pytestmark = pytest.mark.django_db


def test_a_change_of_the_partnerships_served_is_kept_in_the_history(people):
    contact = AgencyContact.objects.get(user=people.agency_contact)
    before = contact.history.count()
    contact.partnerships.add(people.away)
    latest = contact.history.latest()
    assert contact.history.count() == before + 1
    assert {row.partnership_id for row in latest.partnerships.all()} == {
        people.home.pk,
        people.away.pk,
    }


def test_the_rule_answers_per_agency_and_partnership(people):
    """The same person may serve one partnership for one agency and another for another."""
    AgencyContactFactory(
        user=people.away_agency_contact, agency=people.other_agency, partnerships=[people.home]
    )
    user = User.objects.get(pk=people.away_agency_contact.pk)
    assert served_by(user) == {
        people.involved_agency.pk: frozenset({people.away.pk}),
        people.other_agency.pk: frozenset({people.home.pk}),
    }
    assert serves(user, people.other_agency.pk, people.home.pk)
    assert not serves(user, people.involved_agency.pk, people.home.pk)
    assert not serves(user, people.other_agency.pk, people.away.pk)

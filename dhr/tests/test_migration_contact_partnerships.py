"""The migration that names the partnerships an agency's contacts serve (0016 adds them, 0017
fills them) gives every contact there was every partnership there was: nobody reaches less,
nor more, than before the upgrade."""

import pytest

from dhr.models import AgencyContact
from dhr.tests.migrating import migrate, migrate_to_latest
from reviews.tests.factories import AgencyFactory, PartnershipFactory, UserFactory

# Migrating the test database back and forth takes seconds; inside the test's transaction, undone
# by its rollback (dhr/tests/migrating.py).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BEFORE = [("dhr", "0015_role_csp_chair_label")]


def test_every_contact_serves_every_partnership_after_the_upgrade():
    north, south = PartnershipFactory(slug="north"), PartnershipFactory(slug="south")
    police, health = AgencyFactory(name="Police"), AgencyFactory(name="Health board")
    first, second = UserFactory(), UserFactory()
    old = migrate(BEFORE)
    OldContact = old.get_model("dhr", "AgencyContact")
    OldContact.objects.create(user_id=first.pk, agency_id=police.pk)
    OldContact.objects.create(user_id=first.pk, agency_id=health.pk)
    OldContact.objects.create(user_id=second.pk, agency_id=police.pk)

    migrate_to_latest()

    served = {
        (c.user_id, c.agency_id): set(c.partnerships.values_list("pk", flat=True))
        for c in AgencyContact.objects.all()
    }
    both = {north.pk, south.pk}
    assert served == {
        (first.pk, police.pk): both,
        (first.pk, health.pk): both,
        (second.pk, police.pk): both,
    }


def test_a_deployment_without_contacts_migrates():
    PartnershipFactory(slug="north")
    migrate(BEFORE)
    migrate_to_latest()

    assert not AgencyContact.objects.exists()

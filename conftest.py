"""Fixtures shared by every app's tests: one partnership with a person in every role, and the
outsiders each access rule must keep out."""

import os
from types import SimpleNamespace

import pytest
from hypothesis import settings

from dhr.models import Role
from reviews.tests.factories import (
    AgencyContactFactory,
    AgencyFactory,
    MembershipFactory,
    PartnershipFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; the live server is a real thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-password-1"


@pytest.fixture
def people(db):
    """A partnership ('home') with a coordinator, chair and viewer; another partnership with its
    own coordinator, chair and viewer; contacts of an involved agency and of another; an admin."""
    home = PartnershipFactory(name="Home CSP", slug="home")
    away = PartnershipFactory(name="Away CSP", slug="away")
    involved, other_agency = AgencyFactory(name="Involved Agency"), AgencyFactory(name="Other")

    def member(partnership, role):
        return MembershipFactory(partnership=partnership, role=role).user

    return SimpleNamespace(
        home=home,
        away=away,
        involved_agency=involved,
        other_agency=other_agency,
        coordinator=member(home, Role.COORDINATOR),
        chair=member(home, Role.CHAIR),
        viewer=member(home, Role.VIEWER),
        other_coordinator=member(away, Role.COORDINATOR),
        other_chair=member(away, Role.CHAIR),
        other_viewer=member(away, Role.VIEWER),
        agency_contact=AgencyContactFactory(agency=involved).user,
        other_agency_contact=AgencyContactFactory(agency=other_agency).user,
        admin=UserFactory(is_superuser=True, is_staff=True),
        stranger=UserFactory(),
    )


# Property-based tests: no example database in the checkout, no per-example deadline (a shared
# 2-core CI machine is slow at times), and the same number of examples everywhere.
settings.register_profile("dhr", database=None, deadline=None, max_examples=150)
settings.load_profile("dhr")

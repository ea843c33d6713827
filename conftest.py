"""Fixtures shared by every app's tests: one partnership with a person in every role, and the
outsiders each access rule must keep out."""

import gc
import os
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TransactionTestCase
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import Verbosity, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from dhr import two_factor
from dhr.models import Role
from dhr.tests import emptying
from dhr.tests.two_factor import app_of
from reviews.tests.browser import browser_page, chromium, playwright_driver  # noqa: F401
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
FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
FUZZ_SCALE = int(os.environ.get("FUZZ_SCALE", "10")) if FUZZING else 1


def _people():
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
        agency_contact=AgencyContactFactory(agency=involved, partnerships=[home]).user,
        other_agency_contact=AgencyContactFactory(agency=other_agency, partnerships=[home]).user,
        # The involved agency's contact for the away partnership only: none of home's actions.
        away_agency_contact=AgencyContactFactory(agency=involved, partnerships=[away]).user,
        admin=UserFactory(is_superuser=True, is_staff=True),
        stranger=UserFactory(),
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, from empty tables. A run that keeps the test databases (--reuse-db)
    would otherwise start with whatever a run killed part-way left: a transactional test's rows
    are flushed at its end, and a walk as the administrator (who sees every review) found the
    rows of another, with their files gone. The flush puts back what post_migrate installs."""
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        emptying.remember()
    TransactionTestCase._fixture_teardown = _emptied_after


_flushed_after = TransactionTestCase._fixture_teardown


def _emptied_after(self):
    """A transactional test's rows gone, the quick way where it can be (dhr/tests/emptying.py),
    else by Django's flush."""
    aliases = self._databases_names(include_mirrors=False)
    if not all(emptying.empty(alias) for alias in aliases):
        _flushed_after(self)
        for alias in aliases:  # post_migrate's rows made anew, under new numbers
            emptying.remember(alias)


def pytest_collection_modifyitems(items):
    """The longest tests first: the browser tests (the accessibility gate's walks, of minutes,
    at their head), then the slow ones, then the rest. Under pytest-xdist a worker is handed its
    next test as it finishes the last, so the short tests fill in around the long ones, instead
    of one walk started late running on alone at the end. The order within each kind is kept."""
    items.sort(
        key=lambda item: (
            0 if item.get_closest_marker("browser") else 1 if item.get_closest_marker("slow") else 2
        )
    )


def pytest_collection_finish(session):
    """The garbage collector set for a test run: what collection made (the tests, their
    modules and Django's apps) is moved out of its sight, and it runs after 50,000 new objects
    rather than 700. Thousands of short tests each build and drop many objects (records,
    queries, pages); with the defaults the collector ran through all of it again and again
    (about a tenth of the processes' time, measured on qa_feedback and recommendations:
    246 s and 222 s against 267 s and 273 s). Memory is not short: 24 GiB for two workers."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def pytest_sessionfinish(session):
    from dhr.tests.queue import tidy_up

    tidy_up()  # this run's keys on the broker (see dhr/settings/test.py)


@pytest.fixture
def people(db):
    return _people()


# Built once for a module. The permission and workflow matrices make hundreds of requests
# against the same people and records: a module builds them once, in a transaction open for
# the whole module and rolled back at its end, and each test runs in a savepoint inside it
# (pytest-django's `db`), so what one test writes is gone before the next. A test gets the
# rows as new instances (dhr.tests.module_data.refetched), so nothing it changes or caches in
# memory reaches another test either.


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """A transaction around the whole module, rolled back at its end. Only for modules whose
    tests all use `db`: a transactional or live-server test would commit or flush inside it."""
    for item in request.session.items:
        marker = item.get_closest_marker("django_db")
        if item.module is request.module and (
            (marker and marker.kwargs.get("transaction"))
            or {"transactional_db", "live_server"} & set(item.fixturenames)
        ):
            pytest.fail(f"{item.nodeid} needs its own transactions: not in this module")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_people(module_transaction, django_db_blocker):
    """`people`, built once for the module: a module that wants it overrides `people` with
    `dhr.tests.module_data.refetched(module_people)`."""
    with django_db_blocker.unblock():
        return _people()


# Property-based tests. `make test` ("dhr"): the same examples on every run, from a seed fixed
# by each test's own code (derandomize), so the suite's answer depends on the code alone; no
# per-example deadline (a shared 2-core CI machine is slow at times). `make fuzz` ("fuzz"):
# random seeds and many more examples, failures kept in .hypothesis/ and printed to be added as
# an @example. FUZZ_SCALE multiplies the examples of the tests that set their own count.
settings.register_profile("dhr", database=None, deadline=None, max_examples=150, derandomize=True)
settings.register_profile(
    "fuzz",
    database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
    deadline=None,
    max_examples=150 * FUZZ_SCALE,
    derandomize=False,
    print_blob=True,
)
# The same examples, each printed: to check that two runs try the very same ones.
settings.register_profile(
    "dhr-verbose", parent=settings.get_profile("dhr"), verbosity=Verbosity.verbose
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dhr"))


@pytest.fixture(autouse=True)
def _force_login_completes_two_factor(monkeypatch):
    """`client.force_login(user)` signs in as far as a real sign-in would: a user who must use
    two-factor sign-in gets an app, and the session is verified with it. Tests of two-factor
    sign-in itself use `force_password_only`."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if two_factor.required_for(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = app_of(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "force_password_only", original, raising=False)

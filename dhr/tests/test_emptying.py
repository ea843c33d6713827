"""A transactional test's rows are gone before the next test (dhr/tests/emptying.py)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import TransactionTestCase

from dhr.models import Partnership
from dhr.tests import emptying
from recommendations.models import Theme

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_quick_emptying_is_the_one_in_use():
    assert TransactionTestCase._fixture_teardown.__name__ == "_emptied_after"


def test_a_transactional_test_writes_rows():
    Partnership.objects.create(name="Left behind", slug="left-behind")
    assert "dhr_partnership" in emptying.filled_tables()


def test_the_next_one_finds_none():
    # Runs after the one above (tests of a module run in order on one worker under --dist
    # load with --maxschedchunk 1 only by chance: so it empties and checks by itself too).
    Partnership.objects.create(name="Left behind", slug="left-behind")
    assert emptying.empty()
    assert set(emptying.filled_tables()) == set(emptying._installed["default"])
    assert ContentType.objects.exists()  # kept, as migrated
    assert Theme.objects.exists()  # installed by post_migrate, kept


def test_changed_content_types_are_left_to_django_s_flush():
    ContentType.objects.create(app_label="gone", model="gone")
    assert emptying.empty() is False


def test_a_changed_theme_is_left_to_django_s_flush():
    theme = Theme.objects.first()
    theme.name += " (changed)"
    theme.save()
    assert emptying.empty() is False


def test_after_django_s_flush_the_quick_emptying_works_again():
    """A test that changed what post_migrate installed is emptied by Django's flush, which
    installs it anew under new numbers: what is kept is taken again, so the tests after it are
    emptied the quick way."""
    theme = Theme.objects.first()
    theme.name += " (changed)"
    theme.save()

    class Case(TransactionTestCase):
        databases = {"default"}

        def runTest(self):
            pass

    Case()._fixture_teardown()  # the suite's own teardown: Django's flush here
    assert Theme.objects.filter(name__endswith="(changed)").count() == 0
    Partnership.objects.create(name="Left behind", slug="left-behind")
    assert emptying.empty()

"""The demo put back for a test (dhr/tests/demo_data.py) is the demo the command loads."""

import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from dhr.models import Partnership
from dhr.tests import demo_data
from reviews.models import Review


def _rows_of_every_model() -> dict[str, int]:
    return {
        m._meta.label: m._base_manager.count() for m in apps.get_models(include_auto_created=True)
    }


def test_the_demo_put_back_into_an_empty_database_is_the_demo_loaded(db, monkeypatch):
    monkeypatch.setattr(demo_data, "_kept", {})
    demo_data.load_demo()  # loaded by the command, and kept
    assert len(demo_data._kept) == 1
    loaded = demo_data._take()
    counts = _rows_of_every_model()
    assert Review.objects.count() >= 15
    assert loaded.files, "the demo writes its PDFs and reports under MEDIA_ROOT"
    last = Partnership.objects.order_by("-pk").values_list("pk", flat=True).first()

    # Everything gone: every table and every file.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the demo's writes checked first
        every = connection.introspection.table_names(cursor)
        tables = ", ".join(connection.ops.quote_name(t) for t in every if t != "django_migrations")
        cursor.execute(f"TRUNCATE {tables}")
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Review.objects.exists()

    demo_data.load_demo()  # put back from what was kept
    again = demo_data._take()
    assert _rows_of_every_model() == counts
    assert again.tables.keys() == loaded.tables.keys()
    differ = [t for t in loaded.tables if again.tables[t] != loaded.tables[t]]
    assert not differ, f"tables put back differently: {differ}"
    assert {Path(p) for p in again.files} == {Path(p) for p in loaded.files}
    assert all(again.files[p] == content for p, content in loaded.files.items())
    # The next row of each table takes a number past the rows put back.
    assert Partnership.objects.create(name="New", slug="new").pk > last


def test_a_database_already_holding_rows_gets_the_command_itself(db, monkeypatch):
    monkeypatch.setattr(demo_data, "_kept", {})
    Partnership.objects.create(name="Built first", slug="built-first")
    demo_data.load_demo()
    assert not demo_data._kept  # nothing kept: the demo here is not the demo alone
    assert Partnership.objects.filter(slug="built-first").exists()
    assert Review.objects.count() >= 15


@pytest.mark.django_db(transaction=True)
def test_a_put_back_rolled_back_leaves_no_sequence_behind_the_rows(monkeypatch):
    """A test's rollback undoes the rows put back but not the sequences: they must never have
    moved back, or the next row takes a number in use (Django's flush numbers the content types
    it installs anew, past the demo's)."""
    monkeypatch.setattr(demo_data, "_kept", {})
    demo_data.load_demo()
    [kept] = demo_data._kept.values()
    # As a TransactionTestCase flushes: the content types are numbered anew, past the demo's.
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    with transaction.atomic():
        demo_data._put_back(kept)
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    assert ContentType.objects.create(app_label="new", model="new").pk
    assert Partnership.objects.create(name="New", slug="new").pk

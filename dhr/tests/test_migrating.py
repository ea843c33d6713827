"""The migration tests' helper (dhr/tests/migrating.py): what it migrates is undone by the test's
rollback, it refuses to migrate where nothing would undo it, and the rows written before
migrating are checked as a commit would check them."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from dhr.tests.migrating import migrate
from qa_feedback.models import ReportCopy
from reviews.tests.factories import UserFactory

LATEST = ("qa_feedback", "0005_qapoint_theme_heading")
BEFORE = ("qa_feedback", "0004_commissioner_ticks_become_copies")


def _headings() -> bool:
    """Whether the QA points' table has the column added by the latest migration of qa_feedback."""
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "qa_feedback_qapoint")
    return "heading" in {column.name for column in columns}


def _applied() -> set[tuple[str, str]]:
    return set(MigrationRecorder(connection).applied_migrations())


@pytest.mark.django_db(transaction=True)
def test_a_migration_is_undone_by_the_rollback():
    with transaction.atomic():
        migrate([BEFORE])
        assert not _headings()
        assert LATEST not in _applied()
        transaction.set_rollback(True)
    assert _headings()
    assert LATEST in _applied()


@pytest.mark.django_db(transaction=True)
def test_migrating_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the test's transaction"):
        migrate([BEFORE])
    assert _headings()
    assert LATEST in _applied()


@pytest.mark.django_db
def test_the_rows_written_before_migrating_are_checked_first():
    ReportCopy.objects.create(  # of no review: refused only when the foreign keys are checked
        review_id=10**9, sent_on=date(2026, 3, 9), recorded_by=UserFactory()
    )
    with pytest.raises(IntegrityError):
        migrate([LATEST])

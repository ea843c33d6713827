"""Migrating the test database back and forth inside the test's own transaction, for the tests
of data migrations.

Such a test goes back to before a data migration, writes rows as they were then and comes
forward again. PostgreSQL alters tables inside a transaction: in a test of pytest-django's `db`
the rollback at its end undoes every migration with the test's rows, so nothing migrates the
database forward again afterwards, nor empties it, as a transactional test had to (after going
back before the last migrations of reviews, 5 to 10 seconds).

In a real `migrate` each migration commits on its own: the foreign keys of the rows it wrote are
checked then, and PostgreSQL will not alter a table with checks still pending. Here the checks
run where those commits would be: before migrating (the test's own rows) and after each
migration, so that a migration's rows are checked as a deployment would check them.
"""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _committed(action: str, migration=None, fake: bool = False) -> None:
    if action in ("apply_success", "unapply_success"):
        connection.check_constraints()


def _executor() -> MigrationExecutor:
    if not connection.in_atomic_block:
        # A migration committed would stay: every later test would find the old tables.
        raise RuntimeError("Migrate only inside the test's transaction (pytest-django's `db`).")
    connection.check_constraints()
    return MigrationExecutor(connection, progress_callback=_committed)


def migrate(targets: list[tuple[str, str]]) -> Apps:
    """Migrate the test database to `targets`, as `manage.py migrate APP MIGRATION` would; the
    models as they were there."""
    executor = _executor()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Every migration applied: the models as they are now."""
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())

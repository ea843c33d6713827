"""After a transactional test (a live server's, a real worker's), the database emptied of what
the test wrote, in a twentieth of the time Django's `flush` takes.

Django's TransactionTestCase ends each test with `manage.py flush`: a TRUNCATE of every table
(about a hundred here, most of them empty: PostgreSQL makes each table's files anew either way,
about 0.4 s) and then post_migrate, which installs the content types, permissions, themes and
the chase's schedule again. Here one query finds the tables holding rows, and only those are
emptied; what post_migrate installed stays as it is unless the test changed it (a test of the
schedule), when Django's flush runs as before (the migration tests migrate inside their own
transaction: dhr/tests/migrating.py). Sequences are not reset, as Django's flush does not
reset them for a TransactionTestCase either.
"""

from django.db import connections, transaction

KEPT = ("django_migrations",)

# The tables post_migrate fills (content types, permissions, the themes, the chase's schedule),
# as the session's first flush left them, and what they held: kept through each emptying.
_installed: dict[str, dict[str, str]] = {}


def _fingerprints(cursor, connection, tables) -> dict[str, str]:
    """Each table's rows, as one digest."""
    if not tables:
        return {}
    quote = connection.ops.quote_name
    cursor.execute(
        " UNION ALL ".join(
            f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f"FROM {quote(table)} t"
            for table in tables
        )
    )
    return dict(cursor.fetchall())


def remember(alias: str = "default") -> None:
    """What post_migrate installed, after the session's first flush (conftest.py)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        _installed[alias] = _fingerprints(cursor, connection, filled_tables(alias))


def filled_tables(alias: str = "default") -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t not in KEPT]
        quote = connection.ops.quote_name
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables
            )
        )
        return [row[0] for row in cursor.fetchall()]


def empty(alias: str = "default") -> bool:
    """Empty the tables holding rows, but for what post_migrate installed; False (nothing
    done) when the test changed that, for Django's flush to put right."""
    connection = connections[alias]
    installed = _installed.get(alias)
    if installed is None:
        return False
    with connection.cursor() as cursor:
        if _fingerprints(cursor, connection, list(installed)) != installed:
            return False
    filled = [table for table in filled_tables(alias) if table not in installed]
    if filled:
        quote = connection.ops.quote_name
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # Django's foreign keys are checked at the commit: the rows go in any order.
            for table in filled:
                cursor.execute(f"DELETE FROM {quote(table)}")
    return True

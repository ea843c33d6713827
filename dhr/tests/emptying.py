"""After a transactional test (a live server's, a real worker's), the database emptied of what
the test wrote, in a twentieth of the time Django's `flush` takes.

Django's TransactionTestCase ends each test with `manage.py flush`: a TRUNCATE of every table
(about a hundred here, most of them empty: PostgreSQL makes each table's files anew either way,
about 0.4 s) and then post_migrate, which reads every content type and permission to make the
ones missing. Here one query finds the tables holding rows, and only those are emptied; the
content types and permissions stay as they are unless the test changed them (a migration test
does), when Django's flush runs as before. Sequences are not reset, as Django's flush does not
reset them for a TransactionTestCase either.
"""

from django.db import connections, transaction

KEPT = ("django_migrations", "django_content_type", "auth_permission")


def _fingerprint(cursor) -> tuple:
    """What post_migrate would change: the content types and permissions as they stand."""
    cursor.execute(
        "SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM django_content_type), "
        "(SELECT count(*) || ':' || coalesce(max(id), 0) FROM auth_permission)"
    )
    return cursor.fetchone()


_as_migrated: dict[str, tuple] = {}


def remember(alias: str = "default") -> None:
    """The content types and permissions after the session's first flush (conftest.py)."""
    with connections[alias].cursor() as cursor:
        _as_migrated[alias] = _fingerprint(cursor)


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
    """Empty the tables holding rows; False (nothing done) when the content types or the
    permissions are not as migrated, for Django's flush to put right."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if _as_migrated.get(alias) != _fingerprint(cursor):
            return False
    filled = filled_tables(alias)
    if filled:
        quote = connection.ops.quote_name
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # Django's foreign keys are checked at the commit: the rows go in any order.
            for table in filled:
                cursor.execute(f"DELETE FROM {quote(table)}")
    return True

"""The demo (`manage.py load_demo`), loaded once per test process and put back for each test
that asks for it.

Loading the demo takes about ten seconds (every review taken through its stages by the services,
three publishable PDFs made with WeasyPrint), and two dozen tests start from it. The first test
in a process to ask loads it for real; its rows are then copied out of every table (PostgreSQL's
COPY) with the files it wrote under MEDIA_ROOT, and each later test gets exactly those rows and
files back in under a second: the tables emptied, the rows copied in, the sequences moved past
them. What a test sees is what the command made that day, row for row
(dhr/tests/test_demo_data.py compares the two).

A copy is kept per day (the demo's dates count from today, and a test may travel in time) and
per kind of test: inside a test's transaction (`db`) the demo's emails stay queued, as the
outbox sends only after a commit, while a transactional test's were sent as it loaded. The demo
is put back only into a database holding nothing of its own yet (no person, partnership or
review): a test that builds something first gets the command itself.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from dhr.models import Partnership, User
from reviews.models import Review

_kept: dict[tuple, "Snapshot"] = {}


class Snapshot:
    def __init__(self, tables: dict[str, bytes], files: dict[Path, bytes]):
        self.tables = tables
        self.files = files


def load_demo() -> None:
    """The demo in the test database, as `call_command("load_demo")` leaves it."""
    if _holds_anything():
        call_command("load_demo", verbosity=0)
        return
    key = (timezone.localdate(), connection.in_atomic_block, str(settings.MEDIA_ROOT))
    kept = _kept.get(key)
    if kept is None:
        call_command("load_demo", verbosity=0)
        _kept[key] = _take()
    else:
        _put_back(kept)


def _holds_anything() -> bool:
    return any(model.objects.exists() for model in (User, Partnership, Review))


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if name != "django_migrations")


def _take() -> Snapshot:
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            quoted = connection.ops.quote_name(table)
            with cursor.copy(f"COPY {quoted} TO STDOUT (FORMAT binary)") as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
    media = Path(settings.MEDIA_ROOT)
    files = {path: path.read_bytes() for path in media.rglob("*") if path.is_file()}
    return Snapshot(tables, files)


def _put_back(kept: Snapshot) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        quoted = ", ".join(connection.ops.quote_name(table) for table in kept.tables)
        cursor.execute(f"TRUNCATE {quoted}")
        # The foreign keys Django makes are checked at the commit (DEFERRABLE INITIALLY
        # DEFERRED), so the tables go back in any order.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, data in kept.tables.items():
            quoted = connection.ops.quote_name(table)
            with cursor.copy(f"COPY {quoted} FROM STDIN (FORMAT binary)") as copy:
                copy.write(data)
        # Each sequence past the rows put back, and never moved back: a test's rollback undoes
        # the rows but not a sequence, and Django's flush renumbers what post_migrate installs.
        for sequence in connection.introspection.sequence_list():
            table = connection.ops.quote_name(sequence["table"])
            column = connection.ops.quote_name(sequence["column"])
            cursor.execute(
                f"SELECT setval(%s, GREATEST(coalesce(max({column}), 1), nextval(%s))) "
                f"FROM {table}",
                [sequence["name"], sequence["name"]],
            )
    ContentType.objects.clear_cache()
    for path, content in kept.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

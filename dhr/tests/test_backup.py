"""Backup and restore as docs/backup.md describes: scripts/backup.sh dumps the database (and the
media files), scripts/restore.sh restores it into a fresh, empty database, and every record of
every table is there, the same."""

import os
import stat
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from qa_feedback.tests.factories import letter_with_points
from recommendations.tests.factories import ActionUpdateFactory, EvidenceFactory, plan_for
from reviews.models import Status

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{name}"


def _snapshot(url: str) -> dict[str, list]:
    """Every row of every table, sorted: what must come back."""
    with psycopg.connect(url) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: sorted(map(repr, db.execute(f'SELECT * FROM "{table}"').fetchall()))
            for table in tables
        }


def test_a_backup_restores_into_a_fresh_database_with_every_record(people, tmp_path):
    plan = plan_for(people, Status.MONITORING)
    EvidenceFactory(update=ActionUpdateFactory(action=plan.action, author=people.agency_contact))
    letter_with_points(plan.review, 3)
    source = _url(connection.settings_dict["NAME"])
    media = tmp_path / "media"
    media.mkdir()
    (media / "evidence.pdf").write_bytes(b"%PDF-1.4 fictional")

    dump = subprocess.run(
        [SCRIPTS / "backup.sh", source, media, tmp_path / "backups"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    fresh = f"{connection.settings_dict['NAME']}_restored"
    server = ["-h", connection.settings_dict["HOST"], "-U", connection.settings_dict["USER"]]
    subprocess.run(["dropdb", "--if-exists", *server, fresh], check=True)
    subprocess.run(["createdb", *server, fresh], check=True)
    try:
        [media_tar] = (tmp_path / "backups").glob("media-*.tar.gz")
        restored_media = tmp_path / "restored-media"
        subprocess.run(
            [SCRIPTS / "restore.sh", dump, _url(fresh), media_tar, restored_media],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        before, after = _snapshot(source), _snapshot(_url(fresh))
        assert after == before
        assert len(before["reviews_review"]) == 1
        assert len(before["recommendations_evidence"]) == 1
        assert len(before["qa_feedback_qapoint"]) == 3
        assert (restored_media / "evidence.pdf").read_bytes() == b"%PDF-1.4 fictional"
        # OFFICIAL-SENSITIVE: readable by the backup's owner only.
        assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
        assert stat.S_IMODE(Path(dump).stat().st_mode) == 0o600
        assert stat.S_IMODE(media_tar.stat().st_mode) == 0o600
        # The database settings the deploy guide recommends come back with the restore.
        with psycopg.connect(_url(fresh)) as db:
            assert db.execute("SHOW random_page_cost").fetchone()[0] == "1.1"
            assert db.execute("SHOW jit").fetchone()[0] == "off"
    finally:
        subprocess.run(["dropdb", "--if-exists", *server, fresh], check=False)


def test_backups_older_than_keep_days_are_rotated_away(db, tmp_path):
    out = tmp_path / "backups"
    out.mkdir()
    old = [out / "dhr-20200101T000000Z.dump", out / "media-20200101T000000Z.tar.gz"]
    kept = out / "notes.txt"  # not a backup: never touched
    for path in [*old, kept]:
        path.write_bytes(b"old")
        ten_days_ago = time.time() - 10 * 86400
        os.utime(path, (ten_days_ago, ten_days_ago))
    subprocess.run(
        [SCRIPTS / "backup.sh", _url(connection.settings_dict["NAME"]), tmp_path / "none", out],
        capture_output=True, text=True, check=True, env={**os.environ, "KEEP_DAYS": "7"},
    )  # fmt: skip
    names = sorted(path.name for path in out.iterdir())
    assert not any(path.exists() for path in old)
    assert kept.exists()
    assert len([name for name in names if name.endswith(".dump")]) == 1

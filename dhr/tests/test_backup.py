"""Backup and restore as docs/backup.md describes: scripts/backup.sh dumps the database (and the
media files), scripts/restore.sh restores it into a fresh, empty database, and every record of
every table is there, the same."""

import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from qa_feedback.tests.factories import letter_with_points
from recommendations.tests.factories import ActionUpdateFactory, EvidenceFactory, plan_for
from reviews.models import Status

pytestmark = pytest.mark.django_db(transaction=True)
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
    finally:
        subprocess.run(["dropdb", "--if-exists", *server, fresh], check=False)

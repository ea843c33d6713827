"""The throwaway place each benchmark runs in: a temporary folder holding a SQLite database and
a media folder, the local settings, quiet logs and tasks run at once (no worker)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment(name: str) -> Path:
    """Set the environment up for Django (not started yet) and return the new folder, which the
    caller removes when done."""
    tmp = Path(tempfile.mkdtemp(prefix=f"dhr-bench-{name}-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dhr.settings.local"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return tmp

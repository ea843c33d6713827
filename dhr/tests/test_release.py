"""`make release` packs what a server installs: the code and the compiled GOV.UK assets, so that
a server needs no Node.js; its `make install` installs only what the service runs."""

import subprocess
import tarfile
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def test_the_release_archive_carries_the_compiled_assets_and_needs_no_node(tmp_path):
    archive = BASE / "dist" / "dhr-rehearsal.tar.gz"
    try:
        out = subprocess.run(
            [BASE / "scripts" / "release.sh", "rehearsal"],
            cwd=BASE, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        assert out == "dist/dhr-rehearsal.tar.gz"
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
            tar.extractall(tmp_path, filter="data")
    finally:
        archive.unlink(missing_ok=True)
    for needed in ("manage.py", "requirements.txt", "static/govuk/app.css",
                   "static/govuk/govuk-frontend.min.js", "deploy/dhr-manage"):  # fmt: skip
        assert f"dhr-rehearsal/{needed}" in names, needed
    assert not any("node_modules" in name or ".venv" in name for name in names)
    # A server's install: the service's requirements only, and nothing of Node.js.
    plan = subprocess.run(
        ["make", "-n", "install"], cwd=tmp_path / "dhr-rehearsal",
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "requirements.txt" in plan
    assert "requirements-dev.txt" not in plan
    assert "npm" not in plan
    assert "ensure-system.sh server" in plan


def test_the_service_s_requirements_leave_the_test_tools_out():
    service = (BASE / "requirements.txt").read_text().lower()
    for tool in ("pytest", "playwright", "ruff", "hypothesis", "factory"):
        assert tool not in service, tool
    assert (BASE / "requirements-dev.txt").read_text().startswith("# The tests and tools")

"""The example nginx configuration (deploy/nginx/dhr.conf) passes `nginx -t` on the nginx this
machine has (Debian 12's 1.22, as a council's server would), with a certificate in the place
the file names."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CONF = Path(settings.BASE_DIR) / "deploy" / "nginx" / "dhr.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=dhr.example.org", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_the_example_configuration_passes_nginx_t(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `scripts/ensure-system.sh test` installs it")
    cert, key = _certificate(tmp_path)
    site = CONF.read_text()
    assert "/etc/letsencrypt/live/dhr.example.org/fullchain.pem" in site
    site = site.replace("/etc/letsencrypt/live/dhr.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/dhr.example.org/privkey.pem", str(key))
    (tmp_path / "dhr.conf").write_text(site)
    # As /etc/nginx/nginx.conf includes sites-enabled/*: inside http { }.
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/dhr.conf;\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    assert "[warn]" not in result.stderr


def test_the_proxy_keeps_the_port_and_appends_the_client_address():
    site = CONF.read_text()
    assert "proxy_set_header Host $http_host;" in site
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site

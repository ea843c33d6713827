#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those that are missing.
#   scripts/ensure-system.sh server  what the service needs to run (WeasyPrint's libraries and
#                                    fonts, venv): a server installing a release archive
#   scripts/ensure-system.sh assets  Node.js and npm, to build the GOV.UK assets
#   scripts/ensure-system.sh run     both: what `make run` needs
#   scripts/ensure-system.sh test    and what the tests need (Chromium and its headless shell, poppler, Java for the
#                                    Nu HTML Checker, nginx to check the example configuration)
#   scripts/ensure-system.sh bench   and what the benchmarks need (wrk)
set -euo pipefail
mode=${1:-run}

need=()
if [ "$mode" != server ]; then
  # NodeSource's nodejs carries its own npm (and conflicts with Debian's npm package).
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
fi
if [ "$mode" != assets ]; then
  # WeasyPrint's libraries and fonts: letters are printed as PDFs under `make run` too.
  for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
    dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib")
  done
  python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
fi
if [ "$mode" = bench ]; then
  command -v wrk >/dev/null || need+=(wrk)
fi
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromium-headless-shell ] || need+=(chromium-headless-shell)  # the tests' browser
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v java >/dev/null || need+=(default-jre-headless)  # the Nu HTML Checker
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
  command -v openssl >/dev/null || need+=(openssl)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Not root: install these yourself (apt-get install ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

#!/usr/bin/env bash
# `make release`: dist/dhr-<version>.tar.gz, the code at HEAD (git archive) and the compiled
# GOV.UK assets (static/govuk, built by `make assets`), under one folder dhr-<version>/. A
# server unpacks it and runs `make install`: no Node.js, npm or build step there.
#   scripts/release.sh [VERSION]    (default: git describe)
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-$(git describe --tags --always --dirty)}
[ -f static/govuk/app.css ] || { echo "run make assets first" >&2; exit 1; }
mkdir -p dist
out="dist/dhr-$version.tar"
git archive --format=tar --prefix="dhr-$version/" -o "$out" HEAD
tar --append -f "$out" --transform "s,^,dhr-$version/," static/govuk
gzip -f "$out"
echo "$out.gz"

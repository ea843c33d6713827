#!/usr/bin/env bash
# Back up the service's database (and media files) to a folder: a custom-format pg_dump, which
# pg_restore reads back table by table, and a tar of MEDIA_ROOT. See docs/backup.md.
#   scripts/backup.sh DATABASE_URL MEDIA_ROOT OUT_DIR
set -euo pipefail
url=${1:?DATABASE_URL}; media=${2:?MEDIA_ROOT}; out=${3:?OUT_DIR}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/dhr-$stamp.dump" "$url"
if [ -d "$media" ]; then tar -C "$media" -czf "$out/media-$stamp.tar.gz" .; fi
echo "$out/dhr-$stamp.dump"

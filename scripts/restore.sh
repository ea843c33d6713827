#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database (create it first), and its
# media files into MEDIA_ROOT. See docs/backup.md.
#   scripts/restore.sh DUMP_FILE DATABASE_URL [MEDIA_TAR MEDIA_ROOT]
set -euo pipefail
dump=${1:?DUMP_FILE}; url=${2:?DATABASE_URL}
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
if [ $# -ge 4 ]; then mkdir -p "$4" && tar -C "$4" -xzf "$3"; fi
echo "restored $dump"

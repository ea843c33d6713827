#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database (create it first), and its
# media files into MEDIA_ROOT; then apply the service's database settings again
# (scripts/db-settings.sql), which a dump does not carry. See docs/backup.md.
#   scripts/restore.sh DUMP_FILE DATABASE_URL [MEDIA_TAR MEDIA_ROOT]
set -euo pipefail
dump=${1:?DUMP_FILE}; url=${2:?DATABASE_URL}
here=$(dirname "$0")
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
psql "$url" --quiet -v ON_ERROR_STOP=1 -f "$here/db-settings.sql"
if [ $# -ge 4 ]; then (umask 077 && mkdir -p "$4") && tar -C "$4" -xzf "$3"; fi
echo "restored $dump"

#!/usr/bin/env bash
# Back up the service's database (and media files) to a folder: a custom-format pg_dump, which
# pg_restore reads back table by table, and a tar of MEDIA_ROOT. See docs/backup.md.
#   scripts/backup.sh DATABASE_URL MEDIA_ROOT OUT_DIR
# The files hold OFFICIAL-SENSITIVE data: they are written readable by their owner only (0600,
# in a 0700 folder). With KEEP_DAYS set, backups older than that many days in OUT_DIR are
# deleted after a successful backup (rotation for cron).
set -euo pipefail
umask 077
url=${1:?DATABASE_URL}; media=${2:?MEDIA_ROOT}; out=${3:?OUT_DIR}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
chmod 700 "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/dhr-$stamp.dump.partial" "$url"
mv "$out/dhr-$stamp.dump.partial" "$out/dhr-$stamp.dump"
if [ -d "$media" ]; then tar -C "$media" -czf "$out/media-$stamp.tar.gz" .; fi
if [ -n "${KEEP_DAYS:-}" ]; then
  find "$out" -maxdepth 1 -type f \( -name 'dhr-*.dump' -o -name 'media-*.tar.gz' \) \
    -mtime +"$KEEP_DAYS" -delete
fi
echo "$out/dhr-$stamp.dump"

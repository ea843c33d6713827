#!/usr/bin/env bash
# `make fuzz`: the property-based tests (pytest's `hypothesis` mark) with random seeds and ten
# times the examples, round after round, for FUZZ_MINUTES (10 by default). Stops at the first
# failure: hypothesis prints the falsifying example (add it to the test as an @example, so that
# `make test` tries it every time) and keeps it in .hypothesis/ to replay first next time.
set -uo pipefail
# A database of its own (test_dhr_fuzz), so that it can run beside `make test`.
export DATABASE_URL=${FUZZ_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dhr_fuzz}
minutes=${FUZZ_MINUTES:-10}
end=$((SECONDS + minutes * 60))
round=0
while [ "$SECONDS" -lt "$end" ]; do
  round=$((round + 1))
  echo "fuzz: round $round ($(( (end - SECONDS) / 60 )) min left)"
  HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest -m hypothesis -q -p no:cacheprovider -x
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "fuzz: round $round found a failing example (above): add it as an @example"
    exit "$status"
  fi
done
echo "fuzz: $round rounds in $minutes minutes, nothing found"

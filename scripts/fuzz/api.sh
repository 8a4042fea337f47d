#!/usr/bin/env bash
# Fuzz the whole API with schemathesis against a running server, anonymously and as each demo sign-in.
# Usage: scripts/fuzz/api.sh BASE_URL OUT_DIR   (the server's database holds `manage.py seed_demo` data:
# the run writes to it, so use a scratch database). See docs/decisions/0600-api-fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${1:-http://127.0.0.1:8160}
OUT=${2:-fuzz-report}
mkdir -p "$OUT"
.venv/bin/python manage.py shell < scripts/fuzz/sessions.py | grep '^{' > "$OUT/sessions.json"
CSRF=fuzzcsrftokenfuzzcsrftoken012345  # the same secret as cookie and header passes the CSRF check
run() {  # run NAME [extra st options]
  local name=$1; shift
  .venv/bin/st run "$BASE/api/schema/" -w 2 -n "${N:-15}" --seed 2026 "$@" \
    -c not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    --phases examples,coverage,fuzzing --report ndjson --report-dir "$OUT/$name" --no-shrink \
    --output-truncate true > "$OUT/$name.txt" 2>&1 || true
  echo "$name: $(grep -oE '[0-9]+ generated' "$OUT/$name.txt" | head -1), $(grep -oE 'ST101 Server error: [0-9]+' "$OUT/$name.txt" || echo 'no server error')"
}
run anonymous
for caller in $(.venv/bin/python -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))))" "$OUT/sessions.json"); do
  sid=$(.venv/bin/python -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$OUT/sessions.json" "$caller")
  run "$caller" -H "Cookie: sessionid=$sid; csrftoken=$CSRF" -H "X-CSRFToken: $CSRF"
done

#!/usr/bin/env bash
# The API's contract check: schemathesis (requirements-dev.lock) generates requests for every
# operation of /api/v1/openapi.json and sends them to a real server on PostgreSQL, with a token of
# each demo role. It fails on any 5xx, any status code the schema does not list, and any response
# body that does not match its schema. Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust);
# nothing from the network.
#
#   .ci/schemathesis.sh                  # all roles, SCHEMATHESIS_EXAMPLES (10) examples per operation, the coverage phase as admin
#   SCHEMATHESIS_ROLES="editor" .ci/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=${SCHEMATHESIS_PORT:-8765}
DB=${SCHEMATHESIS_DB:-quotes_schemathesis}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-10}
# The coverage phase (boundary values of every parameter, the slowest phase) runs for the roles named here;
# every role gets the examples, fuzzing and stateful phases. The admin reaches every operation.
COVERAGE_ROLES=${SCHEMATHESIS_COVERAGE_ROLES:-"admin"}
# One token per role; a second annotator adds no operation a role does not reach (the permission
# matrix in tests/api/ covers "another annotator's quote").
ROLES=${SCHEMATHESIS_ROLES:-"annotator editor researcher admin"}
REPORT_DIR=${SCHEMATHESIS_REPORT_DIR:-.cache/schemathesis}

export DJANGO_SETTINGS_MODULE=config.settings.test  # DEBUG off, no live Wikidata
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}"
export API_TOKEN_RATE_PER_MINUTE=1000000  # the generated requests are many; 429 is tested in tests/api/
export LOG_LEVEL=ERROR

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${DB}" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${DB}" >/dev/null
$PY manage.py migrate --noinput >/dev/null
$PY manage.py load_seed >/dev/null
$PY manage.py demo_accounts >/dev/null
$PY manage.py demo_annotations >/dev/null

mkdir -p "$REPORT_DIR"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --log-level warning \
  --access-logfile - >"${REPORT_DIR}/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

# One worker: with two threads Hypothesis's lambda-source cache races (a KeyError reported as a
# "FlakyFailure" of the tool itself, seen in CI), which fails the run without any fault of the API.
failed=""
for role in $ROLES; do
  token=$($PY manage.py api_token create "$role" --name schemathesis --expires-days 1 | tail -n 1)
  phases="examples,fuzzing,stateful"
  case " ${COVERAGE_ROLES} " in *" ${role} "*) phases="examples,coverage,fuzzing,stateful" ;; esac
  echo "--- schemathesis as ${role} (phases: ${phases})"
  if ! .venv/bin/schemathesis --no-color run "http://127.0.0.1:${PORT}/api/v1/openapi.json" \
    --header "Authorization: Bearer ${token}" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    --max-examples "$EXAMPLES" \
    --phases "$phases" \
    --seed "${SCHEMATHESIS_SEED:-20260101}" \
    --generation-database none \
    --wait-for-schema 30 \
    --request-timeout 30 \
    --workers 1 \
    --report junit --report-junit-path "${REPORT_DIR}/${role}.xml"; then
    failed="${failed} ${role}"
  fi
done
# The tail of a CI log is what gets read: say which roles failed and show any 5xx the server logged.
if [ -n "$failed" ]; then
  echo "schemathesis found failures as:${failed}; server log: ${REPORT_DIR}/server.log" >&2
  grep -E '" 5[0-9]{2} ' "${REPORT_DIR}/server.log" | head -n 20 >&2 || true
  exit 1
fi
echo "schemathesis: no failures as any of: ${ROLES}"

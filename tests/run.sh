#!/usr/bin/env bash
# Install what the tests need and run the whole test suite: lint, types and pytest.
# Used as-is by CI (.ci/run). Extra arguments go to pytest, e.g. `bash tests/run.sh -k store`.
#
# System packages (Debian): chromium for the browser tests (no browser download),
# gettext to check the text catalogue and PostgreSQL for the store tests on a real server. A throwaway PostgreSQL server is
# started in a temporary folder for the run and stopped when the run ends, however
# it ends. Set SURVEYCOAL_TEST_POSTGRES to a server URL of your own to use that instead.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

postgres_bin() {
  # Debian keeps the server programs out of PATH, one folder per major version.
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)" && return 0
  return 1
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ -z "${SURVEYCOAL_TEST_POSTGRES:-}" ] && ! postgres_bin >/dev/null; then
  missing+=(postgresql)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    "${as_root[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "tests/run.sh: cannot install ${missing[*]} (no apt-get); the tests that need them fail in CI" >&2
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test,postgres]'

# A throwaway PostgreSQL server for the store tests, on a Unix socket only.
pg_dir=""
stop_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
    run_as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
run_as_pg() {
  # initdb and the server refuse to run as root: use the postgres account Debian makes.
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ -z "${SURVEYCOAL_TEST_POSTGRES:-}" ] && pg_bin="$(postgres_bin)"; then
  pg_dir="$(mktemp -d /tmp/surveycoal-pg.XXXXXX)"
  trap stop_postgres EXIT
  [ "$(id -u)" -ne 0 ] || chown postgres "$pg_dir"
  run_as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync >/dev/null
  run_as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses='' -k $pg_dir -c fsync=off" start >/dev/null
  export SURVEYCOAL_TEST_POSTGRES="postgresql+psycopg://postgres@/postgres?host=$pg_dir"
fi

python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
python3 -m pytest -q -n auto "$@"

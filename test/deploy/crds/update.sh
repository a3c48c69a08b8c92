#!/usr/bin/env bash
# Refreshes the vendored CRDs the deployment examples are validated against
# (test/deploy/crds.test.ts): fetched as Go modules through the Go module proxy, keeping only the
# CustomResourceDefinitions the examples use, each with its project's LICENSE.
# Usage: bash test/deploy/crds/update.sh   (needs Go; edit the versions below to move on)
set -euo pipefail

ISTIO_API=istio.io/api@v1.30.8 # the oldest Istio with TrafficExtension: what the examples promise
ENVOY_GATEWAY=github.com/envoyproxy/gateway@v1.9.1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

dir_of() { (cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$1") | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'; }
(cd "$tmp" && go mod init crds >/dev/null 2>&1)

istio="$(dir_of "$ISTIO_API")"
mkdir -p "$here/istio"
cp "$istio/LICENSE" "$here/istio/LICENSE"
# one file holds every Istio CRD, separated by `---`: keep those the examples use
for crd in trafficextensions.extensions.istio.io serviceentries.networking.istio.io \
  destinationrules.networking.istio.io requestauthentications.security.istio.io; do
  awk -v name="$crd" -v src="$ISTIO_API" 'BEGIN { RS = "\n---\n" } index($0, "\n  name: " name "\n") { print "# from " src " kubernetes/customresourcedefinitions.gen.yaml"; print }' \
    "$istio/kubernetes/customresourcedefinitions.gen.yaml" > "$here/istio/$crd.yaml"
  [[ -s "$here/istio/$crd.yaml" ]] || { echo "update.sh: $crd not found in $ISTIO_API" >&2; exit 1; }
done

eg="$(dir_of "$ENVOY_GATEWAY")"
mkdir -p "$here/envoy-gateway"
cp "$eg/LICENSE" "$here/envoy-gateway/LICENSE"
for crd in envoyextensionpolicies envoypatchpolicies; do
  cp "$eg/charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_$crd.yaml" "$here/envoy-gateway/"
done
echo "$ISTIO_API $ENVOY_GATEWAY" > "$here/VERSIONS"

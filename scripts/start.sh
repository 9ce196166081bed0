#!/usr/bin/env bash
# `make start`: installs what is missing, then starts the portal
# (frontend http://localhost:3000, backend http://localhost:7007).
#
# Clusters, in this order:
#   1. app-config.local.yaml with kubernetes.clusterLocatorMethods: used as is;
#   2. KUBECONFIG (a file): every context becomes a cluster;
#   3. otherwise (and FLSEC_DEMO is not 0): the local demo, three API servers
#      (aggregator cluster fl-hub, site clusters hospital-a and hospital-b) with
#      the cross-silo and the single-cluster example federations, built from
#      Go modules on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
. scripts/env.sh

configs=(--config "$PWD/app-config.yaml")
demo_pid=""
cleanup() {
  if [ -n "$demo_pid" ]; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

if [ -f app-config.local.yaml ] && grep -q clusterLocatorMethods app-config.local.yaml; then
  echo "start: clusters from app-config.local.yaml" >&2
  configs+=(--config "$PWD/app-config.local.yaml")
elif [ -n "${KUBECONFIG:-}" ] && [ -f "${KUBECONFIG%%:*}" ]; then
  echo "start: clusters from KUBECONFIG=${KUBECONFIG%%:*}" >&2
  mkdir -p "$FLSEC_CACHE/run"
  kube_config="$FLSEC_CACHE/run/app-config.kubeconfig.yaml"
  printf 'flSecurity:\n  kubeconfig: %s\n' "${KUBECONFIG%%:*}" > "$kube_config"
  configs+=(--config "$kube_config")
elif [ "${FLSEC_DEMO:-1}" != "0" ] && command -v go >/dev/null; then
  echo "start: no cluster configured; starting the local demo (three API servers)" >&2
  ./scripts/ensure-test-cluster.sh >/dev/null
  demo_config="$FLSEC_CACHE/run/app-config.demo.yaml"
  rm -f "$demo_config" "$demo_config.ready"
  node --import tsx packages/demo-cluster/src/demo/main.ts "$demo_config" &
  demo_pid=$!
  for _ in $(seq 1 180); do
    [ -f "$demo_config.ready" ] && break
    if ! kill -0 "$demo_pid" 2>/dev/null; then
      echo "start: the demo control plane failed (see above)" >&2
      exit 1
    fi
    sleep 1
  done
  [ -f "$demo_config.ready" ] || { echo "start: the demo control plane did not come up in 180 s" >&2; exit 1; }
  configs+=(--config "$demo_config")
else
  echo "start: no cluster configured (see README: Clusters); the FL Security view will say so" >&2
fi

yarn start "${configs[@]}" "$@"

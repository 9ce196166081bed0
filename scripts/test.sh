#!/usr/bin/env bash
# `make test`: installs what is missing, then runs every suite of the repo.
# Each stage runs even when an earlier one failed; the exit code is non-zero
# when any failed. STAGES="tsc unit" runs a subset.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh || exit 1
. scripts/env.sh
export CI="${CI:-true}"

passed=0
failed=0
failures=()
stage() {
  local name="$1"
  shift
  if [ -n "${STAGES:-}" ] && [[ " $STAGES " != *" $name "* ]]; then
    return 0
  fi
  echo
  echo "=== stage $name: $*"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=== stage $name passed in $((SECONDS - start))s"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== stage $name FAILED in $((SECONDS - start))s"
  fi
}

./scripts/system-deps.sh || exit 1

stage tsc yarn tsc
stage lint yarn lint:all
# Unit and integration suites (jest): PostgreSQL and the real kube-apiserver
# must be there first; the control plane is built once into the cache.
stage control-plane ./scripts/ensure-test-cluster.sh
stage jest ./scripts/with-postgres.sh yarn backstage-cli repo test
# A real Flower federation with the generated args; the wire is captured.
stage flower-e2e tools/flower-e2e/run.sh
# The running portal (local demo cluster) in Debian's Chromium.
stage browser ./scripts/e2e-browser.sh

echo
if [ "$failed" -gt 0 ]; then
  echo "failed stages: ${failures[*]}"
fi
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

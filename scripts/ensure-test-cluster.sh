#!/usr/bin/env bash
# Makes sure the local control plane used by the integration tests (etcd,
# kube-apiserver and upstream CRDs) is built, building it on first use (a
# cold build takes several minutes), and prints its cache directory.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(tools/test-cluster/build.sh)"
echo "test cluster: $dir/bin (kube-apiserver, etcd), CRDs in $dir/crds" >&2
echo "$dir"

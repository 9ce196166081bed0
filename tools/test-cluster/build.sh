#!/usr/bin/env bash
# Builds kube-apiserver and etcd from their Go modules (versions pinned in
# go.mod/go.sum next to this script) and copies upstream CRD YAML (modules
# pinned below) into a versioned cache outside the repository:
#
#   ${FLSEC_CACHE:-~/.cache/fl-security}/k8s-vX.Y.Z/bin/{kube-apiserver,etcd}
#   ${FLSEC_CACHE:-~/.cache/fl-security}/k8s-vX.Y.Z/crds/<source>/*.yaml
#   ${FLSEC_CACHE:-~/.cache/fl-security}/k8s-vX.Y.Z/tools/flsec-issue-cert
#
# Idempotent: reuses what is present. Concurrent runs wait on a lock.
# Prints the cache directory on stdout (last line); progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache_root="${FLSEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fl-security}"

# Upstream CRD sources: name, module@version, directory inside the module,
# file glob. Fetched with `go mod download`, which verifies each zip against
# the checksum database, so a pinned version always yields the same files.
crd_sources=(
  "cert-manager github.com/cert-manager/cert-manager@v1.21.2 deploy/crds *.yaml"
  "gateway-api-standard sigs.k8s.io/gateway-api@v1.6.3 config/crd/standard gateway.networking.k8s.io_*.yaml"
  "gateway-api-experimental sigs.k8s.io/gateway-api@v1.6.3 config/crd/experimental gateway.networking*.yaml"
  "istio istio.io/api@v1.32.0 kubernetes customresourcedefinitions.gen.yaml"
  "vault-secrets-operator github.com/hashicorp/vault-secrets-operator@v0.10.0 config/crd/bases secrets.hashicorp.com_*.yaml"
)
# Sources added later, each stamped in its own directory (<name>/SOURCE), so
# adding one never changes SOURCES above (checkouts that lack it keep their
# cache instead of rebuilding it without the new directory).
extra_crd_sources=(
  "trust-manager github.com/cert-manager/trust-manager@v0.25.0 deploy/crds trust.cert-manager.io_bundles.yaml"
)

log() { echo "test-cluster: $*" >&2; }

if ! command -v go >/dev/null; then
  log "Go is required (go.mod asks for $(awk '/^go /{print $2}' "$here/go.mod") or newer)"
  exit 1
fi

k8s_version="$(awk '$1 == "k8s.io/kubernetes" {print $2}' "$here/go.mod" | head -n1)"
etcd_version="$(awk '$1 == "go.etcd.io/etcd/server/v3" {print $2}' "$here/go.mod" | head -n1)"
if [ -z "$k8s_version" ] || [ -z "$etcd_version" ]; then
  log "cannot read the k8s.io/kubernetes and etcd versions from $here/go.mod"
  exit 1
fi

dest="$cache_root/k8s-$k8s_version"
mkdir -p "$dest"
exec 9>"$dest/.build.lock"
if ! flock -n 9; then
  log "another build holds $dest/.build.lock; waiting"
  flock 9
fi

now() { date +%s; }
build_binaries() {
  local bin="$dest/bin" tmp minor start
  if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/etcd" ] && [ -f "$bin/VERSIONS" ] &&
    [ "$(cat "$bin/VERSIONS")" = "kube-apiserver $k8s_version etcd $etcd_version" ]; then
    log "binaries present in $bin"
    return 0
  fi
  tmp="$dest/.bin.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  minor="$(echo "$k8s_version" | cut -d. -f2)"
  export CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  export GOMAXPROCS="${GOMAXPROCS:-$(nproc)}"
  (
    cd "$here"
    start="$(now)"
    log "downloading modules for kube-apiserver $k8s_version and etcd $etcd_version"
    go mod download
    log "modules ready in $(($(now) - start))s"
    start="$(now)"
    log "building kube-apiserver $k8s_version (GOMAXPROCS=$GOMAXPROCS; a cold build takes a while)"
    # Version stamps as upstream's release build sets them, so /version and the
    # compatibility version report the real release instead of v0.0.0-master.
    go build -o "$tmp/kube-apiserver" -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$k8s_version \
      -X k8s.io/component-base/version.gitMajor=1 \
      -X k8s.io/component-base/version.gitMinor=$minor \
      -X k8s.io/component-base/version.gitTreeState=clean" \
      k8s.io/kubernetes/cmd/kube-apiserver
    log "kube-apiserver built in $(($(now) - start))s"
    start="$(now)"
    log "building etcd $etcd_version"
    go build -o "$tmp/etcd" -ldflags "-s -w" go.etcd.io/etcd/server/v3
    log "etcd built in $(($(now) - start))s"
  )
  echo "kube-apiserver $k8s_version etcd $etcd_version" >"$tmp/VERSIONS"
  rm -rf "$bin"
  mv "$tmp" "$bin"
  log "binaries: $(du -h "$bin/kube-apiserver" | cut -f1) kube-apiserver, $(du -h "$bin/etcd" | cut -f1) etcd"
}

# A small stdlib-only helper (issuecert/) that issues test certificates the way
# cert-manager would; rebuilt when its source changes.
build_issuer() {
  local out="$dest/tools/flsec-issue-cert" stamp want
  want="$(cat "$here/issuecert/main.go" "$here/go.mod" | sha256sum | cut -d' ' -f1)"
  stamp="$dest/tools/flsec-issue-cert.sha256"
  if [ -x "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "flsec-issue-cert present in $dest/tools"
    return 0
  fi
  mkdir -p "$dest/tools"
  (
    cd "$here"
    CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" \
      go build -o "$out.tmp" -ldflags "-s -w" ./issuecert
  )
  mv "$out.tmp" "$out"
  echo "$want" >"$stamp"
  log "built flsec-issue-cert"
}

# Copies the CRD files of one source entry into <target>/<name>/.
copy_crd_source() {
  local entry="$1" target="$2" name module subdir pattern dir count
  read -r name module subdir pattern <<<"$entry"
  # Outside any module so the pinned versions above are the only input.
  dir="$(cd "$target" && GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-local}" \
    go mod download -json "$module" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  if [ -z "$dir" ] || [ ! -d "$dir/$subdir" ]; then
    log "could not fetch $module (or it has no $subdir)"
    exit 1
  fi
  mkdir -p "$target/$name"
  count=0
  for f in "$dir/$subdir"/$pattern; do
    [ -f "$f" ] || continue
    cp "$f" "$target/$name/"
    count=$((count + 1))
  done
  if [ "$count" -eq 0 ]; then
    log "no files match $subdir/$pattern in $module"
    exit 1
  fi
  chmod -R u+w "$target/$name"
  log "CRDs: $count file(s) from $module $subdir"
}

fetch_crds() {
  local crds="$dest/crds" want tmp entry
  want="$(printf '%s\n' "${crd_sources[@]}")"
  if [ -f "$crds/SOURCES" ] && [ "$(cat "$crds/SOURCES")" = "$want" ]; then
    log "CRDs present in $crds"
    return 0
  fi
  tmp="$dest/.crds.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  for entry in "${crd_sources[@]}"; do
    copy_crd_source "$entry" "$tmp"
  done
  echo "$want" >"$tmp/SOURCES"
  rm -rf "$crds"
  mv "$tmp" "$crds"
}

fetch_extra_crds() {
  local crds="$dest/crds" entry name tmp
  for entry in "${extra_crd_sources[@]}"; do
    name="${entry%% *}"
    if [ -f "$crds/$name/SOURCE" ] && [ "$(cat "$crds/$name/SOURCE")" = "$entry" ]; then
      log "CRDs present in $crds/$name"
      continue
    fi
    tmp="$dest/.crds-$name.tmp"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    copy_crd_source "$entry" "$tmp"
    echo "$entry" >"$tmp/$name/SOURCE"
    rm -rf "${crds:?}/$name"
    mv "$tmp/$name" "$crds/$name"
    rm -rf "$tmp"
  done
}

total_start="$(now)"
build_binaries
build_issuer
fetch_crds
fetch_extra_crds
log "ready in $(($(now) - total_start))s: $dest"
echo "$dest"

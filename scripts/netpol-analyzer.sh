#!/usr/bin/env bash
# Builds np-guard's netpol-analyzer (`netpolicy`), the independent oracle the
# NetworkPolicy tests compare our reachability with, into
# ${FLSEC_CACHE:-~/.cache/fl-security}/bin. The version is pinned in
# tools/netpol-analyzer/go.mod (go.sum verifies it); `go install ...@version`
# is refused by the module proxy for this module, a build from a pinned
# module is not. Idempotent; prints the binary's path.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)/tools/netpol-analyzer"
cache_root="${FLSEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fl-security}"
bin="$cache_root/bin/netpolicy"
version="$(awk '$1 == "require" && $2 == "github.com/np-guard/netpol-analyzer" {print $3}' "$here/go.mod")"
stamp="$bin.version"
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "netpol-analyzer: Go is required to build netpolicy $version" >&2
  exit 1
fi
mkdir -p "$cache_root/bin"
exec 9>"$cache_root/bin/.netpolicy.lock"
flock 9
echo "netpol-analyzer: building netpolicy $version" >&2
(
  cd "$here"
  CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" \
    go build -o "$bin.tmp" github.com/np-guard/netpol-analyzer/cmd/netpolicy
)
mv "$bin.tmp" "$bin"
echo "$version" >"$stamp"
echo "$bin"

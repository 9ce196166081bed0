#!/usr/bin/env bash
# Installs JavaScript dependencies when yarn.lock or a package.json changed
# since the last successful install. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# One install at a time: several shells may ask for it at once.
exec 9>"${TMPDIR:-/tmp}/flsec-install.lock"
flock 9

stamp=node_modules/.flsec-install-stamp
want="$(node -v) $(cat package.json packages/*/package.json plugins/*/package.json $(ls yarn.lock 2>/dev/null) | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install: yarn install (node $(node -v))" >&2
if [ "${CI:-}" = "true" ]; then
  node .yarn/releases/yarn-4.13.0.cjs install --immutable
else
  node .yarn/releases/yarn-4.13.0.cjs install
fi
# better-sqlite3 may come from a cache built for another Node: prove it loads.
if ! node -e 'new (require("better-sqlite3"))(":memory:").close()' 2>/dev/null; then
  echo "install: rebuilding better-sqlite3 against $(node -v)" >&2
  (cd node_modules/better-sqlite3 && npx --yes node-gyp@10 rebuild --release >/dev/null)
  node -e 'new (require("better-sqlite3"))(":memory:").close()'
fi
echo "$want" > "$stamp"

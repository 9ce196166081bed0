#!/usr/bin/env bash
# Creates (once) a virtualenv with the pinned Flower version in a cache outside
# the repo and prints its path. Safe to call concurrently.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
req="$root/tools/flower/requirements.txt"
cache="${FLSEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fl-security}"
tag="$(sha256sum "$req" | cut -c1-12)"
venv="$cache/flower-venv-$tag"
mkdir -p "$cache"
exec 9>"$cache/flower-venv.lock"
flock 9
if [ ! -x "$venv/bin/flower-superlink" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
fi
echo "$venv"

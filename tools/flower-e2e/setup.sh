#!/usr/bin/env bash
# Installs what the Flower end-to-end suite needs (non-interactive) and prints
# the path of the cached Flower virtualenv: tcpdump, openssl and ssh-keygen
# from Debian, pytest and dpkt from PyPI into the virtualenv. The fleet
# gateway's HAProxy comes from haproxy.sh (the generated image's branch).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

missing=()
command -v tcpdump >/dev/null || missing+=(tcpdump)
command -v openssl >/dev/null || missing+=(openssl)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

venv="$("$root/scripts/flower-venv.sh")"
req="$here/requirements-test.txt"
stamp="$venv/.flower-e2e-$(sha256sum "$req" | cut -c1-12)"
# Same lock as flower-venv.sh: concurrent runs must not pip into one venv at once.
exec 9>"$(dirname "$venv")/flower-venv.lock"
flock 9
if [ ! -e "$stamp" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
  touch "$stamp"
fi
echo "$venv"

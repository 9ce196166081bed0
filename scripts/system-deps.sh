#!/usr/bin/env bash
# Installs the Debian packages the test suites need, only when missing:
# Chromium (browser test), PostgreSQL (storage tests), openssl, ssh-keygen, curl
# (tools/flower-e2e/setup.sh adds tcpdump, haproxy.sh the gateway's HAProxy, for the wire test).
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing ${need[*]}; run as root or: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "system-deps: apt-get install ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# np-guard's netpol-analyzer, the NetworkPolicy oracle of the engine tests (built from the Go module proxy).
"$(dirname "$0")/netpol-analyzer.sh" >/dev/null

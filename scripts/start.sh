#!/usr/bin/env bash
# `make start`: installs what is missing, then starts the portal
# (frontend http://localhost:3000, backend http://localhost:7007).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
. scripts/env.sh
exec yarn start "$@"

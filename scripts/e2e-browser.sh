#!/usr/bin/env bash
# Browser test: starts the portal as `make start` does (local demo control
# plane included), waits until the example entity has a report, then drives
# it with Debian's Chromium (packages/app/e2e-tests). Screenshots land in
# test-results/.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

for port in 3000 7007; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "e2e-browser: port $port is in use; stop the running portal first" >&2
    exit 1
  fi
done

mkdir -p test-results
log=test-results/portal.log
# Own process group, so every child (frontend, backend, demo cluster) stops with it.
setsid ./scripts/start.sh > "$log" 2>&1 < /dev/null &
portal_pid=$!
stop_portal() {
  kill -TERM -- "-$portal_pid" 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 -- "-$portal_pid" 2>/dev/null || break
    sleep 1
  done
  kill -KILL -- "-$portal_pid" 2>/dev/null || true
}
trap stop_portal EXIT

ready() {
  curl -fs -o /dev/null http://127.0.0.1:3000/ || return 1
  local token
  token="$(curl -fs -X POST -H 'X-Requested-With: XMLHttpRequest' \
    http://127.0.0.1:7007/api/auth/guest/refresh | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).backstageIdentity.token))' 2>/dev/null)" || return 1
  # A stored report of the example entity with results (the first scan ran).
  curl -fs -H "Authorization: Bearer $token" \
    http://127.0.0.1:7007/api/fl-security/v1/reports/component/default/demo-federation |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.exit(JSON.parse(s).report.results.length>0?0:1))' 2>/dev/null
}

deadline=$((SECONDS + 600))
until ready; do
  if ! kill -0 "$portal_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "e2e-browser: the portal did not come up with a report; last lines of $log:" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  sleep 5
done
echo "e2e-browser: portal up after ${SECONDS}s" >&2

(cd packages/app && node --test e2e-tests/*.test.mjs)

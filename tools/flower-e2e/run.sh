#!/usr/bin/env bash
# End-to-end encryption proof with a real Flower federation:
#   generate (1 aggregator, 2 participants) -> setup (tcpdump, venv, the
#   generated HAProxy branch) -> pytest.
# Extra arguments go to pytest (e.g. -k flags, -x). FLSEC_E2E_KEEP=1 keeps the
# work directory (logs, pcaps, certificates of the throw-away PKI).
# When the kernel allows it, the suite runs in a private network namespace
# (only its own loopback): nothing can leave the machine and no port clashes
# with other local servers. FLSEC_E2E_NETNS=0 turns that off.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
. scripts/env.sh

./scripts/install.sh >&2
venv="$("$here/setup.sh")"

work="$(mktemp -d -t flsec-e2e-gen-XXXXXX)"
if [ "${FLSEC_E2E_KEEP:-0}" != "1" ]; then
  trap 'rm -rf "$work"' EXIT
else
  echo "flower-e2e: generated files kept in $work" >&2
fi

# The example spec, reduced to its first two participants.
"$venv/bin/python" - "$root/examples/federation.yaml" "$work/federation.yaml" <<'EOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
if len(spec.get("participants") or []) < 2:
    sys.exit("examples/federation.yaml needs at least two participants")
spec["participants"] = spec["participants"][:2]
yaml.safe_dump(spec, open(sys.argv[2], "w", encoding="utf-8"), sort_keys=False)
EOF
yarn fl-security generate --spec "$work/federation.yaml" --out "$work/generated" >&2

# The fleet gateway runs Debian's HAProxy of the generated image's branch.
branch="$(grep -hoE 'image: "?([^ "]*/)?haproxy:[0-9]+\.[0-9]+' "$work/generated/deploy/aggregator/"*.yaml |
  head -1 | sed -E 's/.*haproxy:([0-9]+\.[0-9]+)$/\1/')"
if [ -z "$branch" ]; then
  echo "flower-e2e: no haproxy:<major.minor> image among the generated aggregator objects" >&2
  exit 1
fi
FLSEC_E2E_HAPROXY="$("$here/haproxy.sh" "$branch")"
export FLSEC_E2E_HAPROXY

app="$("$venv/bin/python" "$here/find_app.py" "$root/templates/secure-fl-project/skeleton" "$work/app")"

export FLSEC_E2E_GENERATED="$work/generated" FLSEC_E2E_APP="$app"
# Every process the suite starts inherits this; the sweep below ends any that
# outlived pytest (e.g. if pytest itself was killed).
FLSEC_E2E_SESSION="$(cat /proc/sys/kernel/random/uuid)"
export FLSEC_E2E_SESSION

sweep() {
  local pids=() env pid
  for env in /proc/[0-9]*/environ; do
    pid="${env#/proc/}"; pid="${pid%/environ}"
    [ "$pid" = "$$" ] && continue
    if tr '\0' '\n' 2>/dev/null <"$env" | grep -qx "FLSEC_E2E_SESSION=$FLSEC_E2E_SESSION"; then
      pids+=("$pid")
    fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then
    echo "flower-e2e: ending ${#pids[@]} leftover process(es): ${pids[*]}" >&2
    kill -TERM "${pids[@]}" 2>/dev/null || true
    sleep 2
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
}

pytest=("$venv/bin/python" -m pytest -p no:cacheprovider --rootdir "$here" "$here" "$@")
if [ "${FLSEC_E2E_NETNS:-1}" = "1" ] && unshare --net true 2>/dev/null; then
  unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh "${pytest[@]}" &
else
  "${pytest[@]}" &
fi
child=$!
# pytest turns SIGTERM into an interrupt and tears its fixtures down.
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT
status=0
wait "$child" || status=$?
# After a signal, wait returns early: wait for pytest's own teardown.
while kill -0 "$child" 2>/dev/null; do wait "$child" || status=$?; done
sweep
exit "$status"

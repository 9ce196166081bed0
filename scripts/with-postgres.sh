#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL on a free loopback port and
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING set, so
# TestDatabases from @backstage/backend-test-utils tests against it too.
set -euo pipefail
initdb="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)"
bindir="$(dirname "$initdb")"
major="$(basename "$(dirname "$bindir")")"
dir="$(mktemp -d /tmp/flsec-pg.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
password="flsec-test-$RANDOM$RANDOM"
run_as=()
# PostgreSQL refuses to run as root.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
printf '%s\n' "$password" > "$dir/pw" && chmod 600 "$dir/pw" && { [ ${#run_as[@]} -eq 0 ] || chown postgres "$dir/pw"; }
"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" -A scram-sha-256 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres:$password@127.0.0.1:$port"
echo "with-postgres: PostgreSQL $major on 127.0.0.1:$port" >&2
"$@"

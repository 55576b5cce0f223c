#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the store tests and prints its URL.
# Usage: eval "$(bash scripts/start-test-postgres.sh)"   (sets IAMSIM_TEST_PG_URL)
# Needs Debian's postgresql package (initdb/pg_ctl under /usr/lib/postgresql/*/bin). As root, the
# cluster runs as the 'postgres' user, as PostgreSQL refuses to run as root.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "start-test-postgres: no PostgreSQL found (apt-get install -y postgresql)" >&2; exit 1; }
port=${IAMSIM_TEST_PG_PORT:-54329}
dir=$(mktemp -d /tmp/iamsim-pg.XXXXXX)
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
run "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# A port another cluster holds (a developer's own test cluster) is skipped: the next ten are tried in turn.
started=
for try in $(seq "$port" $((port + 10))); do
  if run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $try -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
    started=$try
    break
  fi
done
[ -n "$started" ] || { cat "$dir/server.log" >&2; exit 1; }
port=$started
echo "export IAMSIM_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export IAMSIM_TEST_PG_DIR=$dir"

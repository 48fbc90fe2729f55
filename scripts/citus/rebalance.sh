#!/usr/bin/env bash
# Rebalancing on Citus (issue 20 item 4, docs/adr/0011-citus-scale-out.md), exercised: a fourth PostgreSQL with
# Citus (port 9703, data under /tmp/citus-w3, configured as ../shared/vendor/citus/build-citus.sh configures its
# nodes) joins a database of its own on the running cluster, citus_rebalance_start() moves shards onto it while
# a loop reads the dashboard through the API, then isolate_tenant_to_new_shard gives the largest tenant a shard
# of its own. Shard placements are printed before and after. The node is stopped at the end (REBALANCE_KEEP=1
# keeps it); the cluster's other databases are not touched (nodes are registered per database).
#   bash scripts/citus/rebalance.sh        (CITUS_URL: the coordinator's superuser; default from .ci/citus)
set -euo pipefail
cd "$(dirname "$0")/../.."
CITUS_URL=${CITUS_URL:-$(bash .ci/citus | tail -n1)}
export CITUS_URL
PORT=${REBALANCE_PORT:-9703}
DIR=${REBALANCE_DIR:-/tmp/citus-w3}
PGBIN=/usr/lib/postgresql/${PG_MAJOR:-15}/bin
if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; OSUSER=postgres; else as_pg() { "$@"; }; OSUSER=$(id -un); fi
if [ ! -f "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"; chown "$OSUSER" "$DIR"; chmod 700 "$DIR"
  as_pg "$PGBIN/initdb" -D "$DIR" -U "$OSUSER" --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$DIR/postgresql.conf" <<CONF
# --- citus test cluster (w3, scripts/citus/rebalance.sh) ---
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
shared_preload_libraries = 'citus'
citus.enable_statistics_collection = off
max_connections = 200
max_prepared_transactions = 200
wal_level = logical
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi
started_here=0
if ! as_pg "$PGBIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null
  started_here=1
fi
stop_node() {
  if [ "$started_here" = 1 ] && [ "${REBALANCE_KEEP:-0}" != 1 ]; then
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null || true
  fi
}
trap stop_node EXIT
NEW_NODE="127.0.0.1:$PORT" node -r ./scripts/swc-register.js scripts/citus/rebalance.ts "$@"

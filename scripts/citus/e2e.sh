#!/usr/bin/env bash
# The e2e suites on a Citus cluster (issue 20, docs/adr/0011-citus-scale-out.md): a database of their own on
# every node (scripts/citus/database.ts), the app's login against the coordinator, the owner migrating, BullMQ
# on Redis; suites that make a database of their own make it on every node too (CITUS_E2E=1, test/support), as
# does the jest worker for its files (test/support/databases.ts). One file at a time: with two jest workers,
# registering one database's workers (`citus_add_node`, which re-creates the cluster-wide roles on them) while the
# other's migrations alter those roles fails ("failure on connection marked as essential"; on the worker "tuple
# concurrently updated"; sessions 13 and 14, test/citus/cluster.ts).
#   bash scripts/citus/e2e.sh [jest arguments, e.g. --testPathPatterns foundation --json --outputFile=…]
# CITUS_URL: the coordinator's superuser (default: what `bash .ci/citus` prints, which starts the cluster).
set -euo pipefail
cd "$(dirname "$0")/../.."
CITUS_URL=${CITUS_URL:-$(bash .ci/citus | tail -n1)}
export CITUS_URL
DB="halve_citus_e2e_$$"
db() { node -r ./scripts/swc-register.js scripts/citus/database.ts "$1" "$DB"; }
db create
trap 'db drop || true' EXIT
u=$(node -e 'const u = new URL(process.argv[1]); console.log(`${u.hostname}:${u.port || 5432}`)' "$CITUS_URL")
export CI=true CITUS_E2E=1 HALVE_DB_LEAST_PRIVILEGE=require REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export DATABASE_URL="postgres://halve_ci_app@$u/$DB" DATABASE_MIGRATION_URL="postgres://postgres@$u/$DB"
started=$(date +%s)
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects e2e --runInBand "$@" || status=$?
echo "e2e on Citus: $(( $(date +%s) - started )) s" >&2
exit $status

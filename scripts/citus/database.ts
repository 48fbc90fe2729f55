/**
 * A database of its own on the Citus cluster, for the e2e suites and the benchmark (issue 20, ADR 0011):
 *   node -r ./scripts/swc-register.js scripts/citus/database.ts create|drop <name>
 * CITUS_URL is the coordinator's superuser (`bash .ci/citus | tail -n1`). `create` makes the database and the
 * extension on every node, registers the workers and the app's login (halve_ci_app, or CITUS_APP_LOGIN).
 */
import { createClusterDatabase, dropClusterDatabase } from '../../test/citus/cluster';

async function main(): Promise<void> {
  const [action, name] = process.argv.slice(2);
  const admin = process.env.CITUS_URL;
  if (!admin) throw new Error('CITUS_URL is not set: export CITUS_URL=$(bash .ci/citus | tail -n1)');
  if (!name || !/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`database name "${name ?? ''}": lower-case letters, digits and _ only`);
  if (action === 'create')
    await createClusterDatabase(admin, name, {
      appLogin: process.env.CITUS_APP_LOGIN ?? 'halve_ci_app',
      shardCount: process.env.CITUS_SHARD_COUNT ? Number(process.env.CITUS_SHARD_COUNT) : undefined,
    });
  else if (action === 'drop') await dropClusterDatabase(admin, name);
  else throw new Error(`action "${action ?? ''}": create or drop`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});

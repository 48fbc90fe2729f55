// Builds the API, worker and libs (tsc + path aliases) and, when present, the portal (Vite).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const started = Date.now();
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
run('npx', ['tsc-alias', '-p', 'tsconfig.build.json']);
if (existsSync('apps/portal/vite.config.mjs') && process.env.HALVE_SKIP_PORTAL !== '1') {
  run('npx', ['vite', 'build', '--config', 'apps/portal/vite.config.mjs', '--logLevel', 'warn']);
}
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);

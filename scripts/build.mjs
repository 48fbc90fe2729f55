// Builds the API, worker and libs (tsc + path aliases) and, when present, the portal (Vite). Each build leaves a
// stamp (`.halve-browser-build` in its dist) that the browser tests compare with the sources' times, so that they
// rebuild what an edit made stale (test/browser/harness.ts ensureBuilt) and reuse what is current.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const started = Date.now();
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
run('npx', ['tsc-alias', '-p', 'tsconfig.build.json']);
writeFileSync('dist/.halve-browser-build', new Date().toISOString());
if (existsSync('apps/portal/vite.config.mjs') && process.env.HALVE_SKIP_PORTAL !== '1') {
  run('npx', ['vite', 'build', '--config', 'apps/portal/vite.config.mjs', '--logLevel', 'warn']);
  writeFileSync('apps/portal/dist/.halve-browser-build', new Date().toISOString());
}
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);

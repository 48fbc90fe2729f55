// Builds the API, worker and libs (tsc + path aliases) and, when present, the portal (Vite). Each build leaves a
// stamp (`.halve-browser-build` in its dist) that the browser tests compare with the sources' times, so that they
// rebuild what an edit made stale (test/browser/harness.ts ensureBuilt, which runs this script with `api` and/or
// `portal` to build only those) and reuse what is current.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

const parts = process.argv.slice(2);
const wanted = (part) => parts.length === 0 || parts.includes(part);
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const started = Date.now();
if (wanted('api')) {
  run('npx', ['tsc', '-p', 'tsconfig.build.json']);
  run('npx', ['tsc-alias', '-p', 'tsconfig.build.json']);
  writeFileSync('dist/.halve-browser-build', new Date().toISOString());
}
if (wanted('portal') && existsSync('apps/portal/vite.config.mjs') && process.env.HALVE_SKIP_PORTAL !== '1') {
  run('npx', ['vite', 'build', '--config', 'apps/portal/vite.config.mjs', '--logLevel', 'warn']);
  writeFileSync('apps/portal/dist/.halve-browser-build', new Date().toISOString());
}
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);

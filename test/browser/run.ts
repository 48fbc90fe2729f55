// Browser tests: `node -r ./scripts/swc-register.js test/browser/run.ts` (npm run test:browser).
// Starts a fresh server from the built dist (built first when missing) and walks the journeys in
// Chromium; screenshots go to test/browser/screenshots/. A journey whose API is not there yet is
// reported as skipped (the run still fails if any journey fails). Filter: `-- business demo`.
import { SkipError, ensureBuilt, log, startBrowser, startServer, type Browser, type Server } from './harness';
import { businessJourney } from './business.browser';
import { certifierJourney } from './certifier.browser';
import { demoJourney } from './demo.browser';
import { energyManagerJourney } from './energy-manager.browser';

const JOURNEYS: [string, (s: Server, b: Browser) => Promise<void>][] = [
  ['business', businessJourney],
  ['demo', demoJourney],
  ['energy-manager', energyManagerJourney],
  ['certifier', certifierJourney],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  ensureBuilt();
  const server = await startServer();
  const browser = await startBrowser();
  const results: {
    name: string;
    outcome: 'passed' | 'failed' | 'skipped';
    detail?: string;
    seconds: number;
  }[] = [];
  try {
    for (const [name, journey] of JOURNEYS) {
      if (only.length && !only.includes(name)) continue;
      log(`▶ ${name}`);
      const started = Date.now();
      try {
        await journey(server, browser);
        results.push({ name, outcome: 'passed', seconds: (Date.now() - started) / 1000 });
      } catch (err) {
        if (err instanceof SkipError)
          results.push({ name, outcome: 'skipped', detail: err.message, seconds: 0 });
        else
          results.push({
            name,
            outcome: 'failed',
            detail: err instanceof Error ? (err.stack ?? err.message) : String(err),
            seconds: (Date.now() - started) / 1000,
          });
      }
      const r = results[results.length - 1];
      log(
        `  ${r.outcome}${r.detail ? `: ${r.detail.split('\n').slice(0, 6).join('\n  ')}` : ''} (${r.seconds.toFixed(1)} s)`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  log('\nbrowser tests:');
  for (const r of results)
    log(`  ${r.outcome.padEnd(8)} ${r.name}${r.outcome === 'skipped' ? ` (${r.detail})` : ''}`);
  if (results.some((r) => r.outcome === 'failed')) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// Browser tests: `node -r ./scripts/swc-register.js test/browser/run.ts` (npm run test:browser).
// Starts a fresh server from the built dist (built first when missing) and walks the journeys in
// Chromium; screenshots go to test/browser/screenshots/. Every journey passes or fails: none is
// skipped. The run fails if any journey fails, or if a filter names no journey. Filter: `-- business demo`.
import { ensureBuilt, log, startBrowser, startServer, type Browser, type Server } from './harness';
import { businessJourney } from './business.browser';
import { certifierJourney } from './certifier.browser';
import { demoJourney } from './demo.browser';
import { energyManagerJourney } from './energy-manager.browser';
import { smeJourney } from './sme-journey.browser';

const JOURNEYS: [string, (s: Server, b: Browser) => Promise<void>][] = [
  ['business', businessJourney],
  ['demo', demoJourney],
  ['energy-manager', energyManagerJourney],
  // before the certifier journey, which approves the demo claim this one only opens
  ['sme', smeJourney],
  ['certifier', certifierJourney],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  ensureBuilt();
  const server = await startServer();
  // A browser that cannot start must not leave the server running.
  const browser = await startBrowser().catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const results: {
    name: string;
    outcome: 'passed' | 'failed';
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
  for (const r of results) log(`  ${r.outcome.padEnd(8)} ${r.name} (${r.seconds.toFixed(1)} s)`);
  if (!results.length) {
    log(`no journey matched ${only.join(', ')}; journeys: ${JOURNEYS.map(([n]) => n).join(', ')}`);
    process.exit(1);
  }
  if (results.some((r) => r.outcome === 'failed')) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

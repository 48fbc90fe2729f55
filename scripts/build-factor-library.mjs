#!/usr/bin/env node
/**
 * Builds the shipped emission-factor library and hourly grid-intensity profiles from the
 * source files in the shared data folder, so the committed data is reproducible.
 *
 *   node scripts/build-factor-library.mjs [sharedDataDir] [outDir]
 *
 * Defaults: sharedDataDir = ../shared/data (relative to the repository root),
 *           outDir        = libs/carbon/data.
 *
 * Outputs
 *   libs/carbon/data/emission-factors.csv            one row per factor (see SOURCE.md)
 *   libs/carbon/data/grid-intensity/<region>-<year>.csv  hourly profiles (EIA-930 only)
 *
 * Licences are respected here, not later: only sources whose terms allow redistribution in a
 * commercial product are read (DESNZ OGL v3, EPA public domain, China MEE/NBS facts,
 * residual mixes CC BY-SA 4.0, EIA-930 public domain + MIT derivation). Electricity Maps
 * profiles are never read by this script.
 *
 * One builder per source in scripts/factor-library/; this file runs them and writes the library.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outDir, COLUMNS, rows } from './factor-library/common.mjs';
import { buildDesnz } from './factor-library/desnz.mjs';
import { buildEpa } from './factor-library/epa.mjs';
import { buildChina } from './factor-library/china.mjs';
import { buildIpcc, buildResidualMix } from './factor-library/ipcc.mjs';
import { buildGridIntensity } from './factor-library/grid.mjs';

function csvField(v) {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function main() {
  const counts = {};
  const desnz = buildDesnz();
  counts.desnz = desnz.shipped;
  counts.epa = await buildEpa();
  counts.china = buildChina();
  counts.ipcc = buildIpcc();
  counts.residualMix = buildResidualMix();
  buildGridIntensity();
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvField(r[c])).join(','));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'emission-factors.csv'), lines.join('\n') + '\n');
  console.log(
    JSON.stringify({ rows: rows.length, ...counts, desnzBlankSkipped: desnz.skippedBlank }, null, 2),
  );
}

await main();

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { EmissionFactor, FactorPurpose, GwpSetName, Scope } from './emission-factor';
import { CarbonDataError } from './errors';
import { normaliseUnit } from './units';
import { toDecimal } from './decimal';

/** Columns of emission-factors.csv, in order (the seed/migration can COPY them as they are). */
export const EMISSION_FACTOR_COLUMNS = [
  'id',
  'source',
  'edition',
  'publishedYear',
  'year',
  'region',
  'activity',
  'variant',
  'scope',
  'scope3Category',
  'unit',
  'basis',
  'kgCo2ePerUnit',
  'kgCo2PerUnit',
  'kgCh4PerUnit',
  'kgN2oPerUnit',
  'kgCo2eCh4PerUnit',
  'kgCo2eN2oPerUnit',
  'gwpSet',
  'purpose',
  'verification',
  'licence',
  'url',
  'sourceRef',
  'label',
] as const;

const DATA_MARKER = join('libs', 'carbon', 'data', 'emission-factors.csv');

/**
 * Finds `libs/carbon/data` by walking up from `startDirs` (default: this file's directory, which
 * works from ts sources and from dist/, then process.cwd()).
 */
export function findCarbonDataDir(startDirs: string[] = [__dirname, process.cwd()]): string {
  for (const start of startDirs) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, DATA_MARKER))) return join(dir, 'libs', 'carbon', 'data');
      if (existsSync(join(dir, 'emission-factors.csv')) && dir.endsWith(join('carbon', 'data'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new CarbonDataError(`libs/carbon/data/emission-factors.csv not found from ${startDirs.join(', ')}`);
}

const PURPOSES: FactorPurpose[] = ['corporate_inventory', 'carbon_market', 'avoided_emissions', 'reference'];

const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/** Parses the library CSV text into typed factors, validating every row. */
export function parseEmissionFactorsCsv(text: string): EmissionFactor[] {
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((r, i) => {
    const where = `emission-factors.csv row ${i + 2} (${r.id})`;
    const scope = Number(r.scope);
    if (scope !== 1 && scope !== 2 && scope !== 3) throw new CarbonDataError(`${where}: scope ${r.scope}`);
    if (!PURPOSES.includes(r.purpose as FactorPurpose))
      throw new CarbonDataError(`${where}: purpose ${r.purpose}`);
    if (r.kgCo2ePerUnit === '' || toDecimal(r.kgCo2ePerUnit).isNegative()) {
      throw new CarbonDataError(`${where}: kgCo2ePerUnit '${r.kgCo2ePerUnit}'`);
    }
    return {
      id: r.id,
      source: r.source,
      edition: r.edition,
      publishedYear: Number(r.publishedYear),
      year: Number(r.year),
      region: r.region,
      activity: r.activity,
      variant: r.variant ?? '',
      scope: scope as Scope,
      scope3Category: r.scope3Category ? Number(r.scope3Category) : null,
      unit: normaliseUnit(r.unit),
      basis: (r.basis ?? '') as EmissionFactor['basis'],
      kgCo2ePerUnit: r.kgCo2ePerUnit,
      kgCo2PerUnit: orNull(r.kgCo2PerUnit),
      kgCh4PerUnit: orNull(r.kgCh4PerUnit),
      kgN2oPerUnit: orNull(r.kgN2oPerUnit),
      kgCo2eCh4PerUnit: orNull(r.kgCo2eCh4PerUnit),
      kgCo2eN2oPerUnit: orNull(r.kgCo2eN2oPerUnit),
      gwpSet: (r.gwpSet ?? '') as GwpSetName | '',
      purpose: r.purpose as FactorPurpose,
      verification: r.verification,
      licence: r.licence,
      url: r.url,
      sourceRef: r.sourceRef,
      label: r.label,
    };
  });
}

const cache = new Map<string, EmissionFactor[]>();

/** Loads (once per path) the shipped factor library. `dataDir` overrides the discovered folder. */
export function loadEmissionFactors(options: { dataDir?: string } = {}): EmissionFactor[] {
  const file = join(options.dataDir ?? findCarbonDataDir(), 'emission-factors.csv');
  let factors = cache.get(file);
  if (!factors) {
    factors = parseEmissionFactorsCsv(readFileSync(file, 'utf8'));
    cache.set(file, factors);
  }
  return factors;
}

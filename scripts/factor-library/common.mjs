// Shared by the factor-library builders: the CSV columns, number formatting, and the row collector.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Decimal from 'decimal.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'data'));
export const outDir = resolve(process.argv[3] ?? join(repoRoot, 'libs', 'carbon', 'data'));

Decimal.set({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

export const COLUMNS = [
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
];

export const LB_KG = new Decimal('0.45359237');
export const AR5 = { ch4: new Decimal(28), n2o: new Decimal(265) };

/** Plain decimal string without exponent and without trailing zeros. */
export function dec(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = new Decimal(typeof value === 'number' ? String(value) : String(value).trim());
  return d.toFixed();
}

/** Decimal from a spreadsheet cell (numbers or strings such as '0 '). */
export function num(value) {
  const s = String(value ?? '').trim();
  return new Decimal(s === '' ? '0' : s);
}

export function slug(text) {
  return String(text)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/%/g, 'pct')
    .replace(/\+/g, 'plus')
    .replace(/[–—]/g, '-')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export const UNIT_SLUG = (unit) => slug(unit.replace(/\./g, '-'));

export const rows = [];
export const ids = new Set();
export function add(row) {
  const unitPart = UNIT_SLUG(row.unit) + (row.basis ? `-${row.basis}` : '');
  const activityPart = row.activity + (row.variant ? `.${row.variant}` : '');
  const purposePart = row.purpose && row.purpose !== 'corporate_inventory' ? `:${row.purpose}` : '';
  row.id = `${row.sourceKey}:${activityPart}:${row.region}:${row.year}:${unitPart}${purposePart}`;
  if (ids.has(row.id)) throw new Error(`duplicate factor id ${row.id}`);
  ids.add(row.id);
  rows.push(row);
}

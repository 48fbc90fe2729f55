/**
 * Suggestions benchmark: the recommendation analysers on every building of a BDG2-style folder,
 * checking that no single suggestion claims an implausible share of the site's use and that
 * the combined saving (overlaps counted once) never exceeds the sum of the parts.
 *
 *   npm run bench:suggestions -- --data ../shared/data/buildings [--json FILE] [--limit N]
 *
 * Per building: its last calendar year of data (2017 for BDG2), read as a floating local clock
 * (BDG2 labels are local time with 24 rows a day; see building-data.ts), zero and missing
 * readings left out (BDG2 writes 0 while a meter is not reporting); building type from the
 * metadata's primary use, floor area (m²) and coordinates from metadata.csv. Priced on a flat
 * {@link PRICE} a kWh (GBP in London and Cardiff, else USD) with a demand charge of 10 a kW-month,
 * an alternative time-of-use tariff (0.6 × at night, 1.15 × by day), and a flat 0.2 kg CO2e/kWh
 * (the shares below are in kWh; only the PV size depends on the price). Anomalies compare the last 28
 * days with the forecasting module's baseline fitted on the months before, as the product does.
 *
 * Printed: per building its annual use, the suggestions' types, the largest single suggestion's
 * share of annual use (kWh), the PV suggestion's share, the sum of the parts and the combined
 * saving; then a summary. The run fails (exit 1) when any suggestion claims more than 30 % of a
 * site's use, or a combined saving exceeds the sum of its parts (issue 16). PV is held to the same
 * limit: its kWh are grid electricity displaced by on-site generation rather than a cut in use, but
 * the size proposed is the NPV-best one self-consuming at most 30 % of the site's use
 * (PV_MAX_SELF_CONSUMED_SHARE_OF_USE in pv-sizing.ts); its share is also shown in its own column.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countryFromTimeZone } from '@halve/forecasting';
import {
  type EnergyPoint,
  type MeterInput,
  type SiteAnalysisInput,
  type Suggestion,
  recentLoadForecast,
  runAnalysers,
} from '@halve/recommendations';
import { readMetadata } from './building-data';

const MAX_SHARE = 0.3;
/**
 * Flat energy prices a kWh: about the 2017 averages for commercial customers (US EIA Electric Power Annual 2017,
 * commercial sector 10.66 ¢/kWh; UK BEIS Quarterly Energy Prices 2017, non-domestic electricity, medium users ≈ 11–12 p/kWh).
 * ✘ Rounded, not re-read here; PV sizing (NPV-optimal) depends on them, the kWh shares of the other measures do not.
 */
const PRICE: Record<string, number> = { USD: 0.11, GBP: 0.12 };

function args(): { data: string; json?: string; limit?: number } {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const data = get('--data') ?? a.find((x) => !x.startsWith('--'));
  if (!data) {
    console.error(
      'usage: npm run bench:suggestions -- --data <folder with metadata.csv and <building>.csv files> [--json FILE] [--limit N]',
    );
    process.exit(2);
  }
  const limit = get('--limit');
  return { data: path.resolve(data), json: get('--json'), limit: limit ? Number(limit) : undefined };
}

/** `timestamp,kwh` rows of the last calendar year in the file, as instants on a floating (UTC) clock; zeros and blanks left out. */
function lastYear(file: string): { year: number; readings: EnergyPoint[] } {
  const rows = fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
  const year = Number(rows[rows.length - 1].slice(0, 4));
  const readings: EnergyPoint[] = [];
  for (const line of rows) {
    if (!line.startsWith(String(year))) continue;
    const comma = line.indexOf(',');
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2})/.exec(line.slice(0, comma));
    const raw = line.slice(comma + 1).trim();
    const kwh = raw === '' ? Number.NaN : Number(raw);
    if (!m || !Number.isFinite(kwh) || kwh <= 0) continue;
    readings.push({ ts: new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4])), energyKwh: kwh });
  }
  return { year, readings };
}

interface Row {
  building: string;
  use: string;
  annualKwh: number;
  suggestions: { type: string; annualSavingKwh: number; sharePct: number; capped: boolean }[];
  largestType: string | null;
  largestSharePct: number;
  pvSharePct: number | null;
  sumOfPartsKwh: number;
  combinedKwh: number;
  ms: number;
}

function main() {
  const { data, json, limit } = args();
  const raw = new Map(
    fs
      .readFileSync(path.join(data, 'metadata.csv'), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter(Boolean)
      .map((l) => {
        const [building, , , , sqm, , lat, lng] = l.split(',');
        return [building, { sqm: Number(sqm), lat: Number(lat), lng: Number(lng) }] as const;
      }),
  );
  const metas = readMetadata(data).filter((m) => fs.existsSync(path.join(data, `${m.building}.csv`)));
  const rows: Row[] = [];
  for (const meta of metas.slice(0, limit ?? metas.length)) {
    const started = Date.now();
    const { readings } = lastYear(path.join(data, `${meta.building}.csv`));
    const extra = raw.get(meta.building);
    const country = countryFromTimeZone(meta.tz) ?? 'US';
    const currency = country === 'GB' ? 'GBP' : 'USD';
    const meter: MeterInput = { id: 'main', name: 'Main', intervalMinutes: 60, readings };
    const forecast = recentLoadForecast(meter, [], 'UTC', country);
    const input: SiteAnalysisInput = {
      site: {
        id: meta.building,
        timezone: 'UTC',
        country,
        latitude: Number.isFinite(extra?.lat) ? extra!.lat : undefined,
        longitude: Number.isFinite(extra?.lng) ? extra!.lng : undefined,
        floorAreaM2: extra && extra.sqm > 0 ? extra.sqm : undefined,
        buildingType: meta.use,
      },
      meters: [meter],
      tariffs: [
        {
          id: 'flat',
          name: 'Flat',
          current: true,
          tariff: { type: 'flat', currency, pricePerKwh: PRICE[currency], demandChargePerKw: 10 },
        },
        {
          id: 'tou',
          name: 'Night-cheap',
          tariff: {
            type: 'time_of_use',
            currency,
            pricePerKwh: PRICE[currency] * 1.15,
            demandChargePerKw: 10,
            bands: [
              { days: [1, 2, 3, 4, 5, 6, 7], fromHour: 0, toHour: 7, pricePerKwh: PRICE[currency] * 0.6 },
            ],
          },
        },
      ],
      emissionFactor: { kgCo2ePerKwh: 0.2, source: 'benchmark flat factor' },
      currency,
      forecasts: forecast ? [forecast] : [],
    };
    const { suggestions, failures, combined } = runAnalysers(input);
    if (failures.length) console.warn(`${meta.building}: analyser failures ${JSON.stringify(failures)}`);
    const annualKwh = (readings.reduce((s, r) => s + r.energyKwh, 0) * 8760) / Math.max(readings.length, 1);
    const saving = suggestions.filter((s: Suggestion) => s.annualSavingKwh > 0);
    const pv = suggestions.find((s) => s.type === 'pv_sizing');
    const largest = saving.reduce<Suggestion | null>(
      (a, b) => (a === null || b.annualSavingKwh > a.annualSavingKwh ? b : a),
      null,
    );
    rows.push({
      building: meta.building,
      use: meta.use,
      annualKwh,
      suggestions: suggestions.map((s) => ({
        type: s.type,
        annualSavingKwh: s.annualSavingKwh,
        sharePct: (100 * s.annualSavingKwh) / annualKwh,
        capped: typeof s.evidence.numbers.cappedAtShareOfUsePct === 'number',
      })),
      largestType: largest?.type ?? null,
      largestSharePct: largest ? (100 * largest.annualSavingKwh) / annualKwh : 0,
      pvSharePct: pv ? (100 * pv.annualSavingKwh) / annualKwh : null,
      sumOfPartsKwh: combined.sumOfPartsKwh,
      combinedKwh: combined.annualSavingKwh,
      ms: Date.now() - started,
    });
  }

  const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
  const num = (v: number, d = 0) =>
    v.toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(
    `Suggestions on ${rows.length} buildings of ${data} (last calendar year of each; shares of the annual kWh use)\n`,
  );
  console.log(
    `${pad('building', 34)} ${pad('use', 16)} ${pad('annual kWh', 12)} ${pad('largest (type, % of use)', 30)} ${pad('PV % of use', 12)} ${pad('sum of parts kWh', 17)} ${pad('combined kWh', 13)} types`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.building, 34)} ${pad(r.use, 16)} ${pad(num(r.annualKwh), 12)} ${pad(r.largestType ? `${r.largestType} ${num(r.largestSharePct, 1)} %` : '-', 30)} ` +
        `${pad(r.pvSharePct === null ? '-' : `${num(r.pvSharePct, 1)} %`, 12)} ` +
        `${pad(num(r.sumOfPartsKwh), 17)} ${pad(num(r.combinedKwh), 13)} ${r.suggestions.map((s) => s.type).join(', ')}`,
    );
  }
  const shares = rows
    .filter((r) => r.largestType)
    .map((r) => r.largestSharePct)
    .sort((a, b) => a - b);
  const over = rows.filter((r) => r.largestSharePct > 100 * MAX_SHARE);
  const combinedOver = rows.filter((r) => r.combinedKwh > r.sumOfPartsKwh + 1e-6);
  const withOverlap = rows.filter((r) => r.sumOfPartsKwh - r.combinedKwh > 1e-6);
  const byType = new Map<string, number[]>();
  const cappedByType = new Map<string, number>();
  for (const r of rows)
    for (const s of r.suggestions)
      if (s.annualSavingKwh > 0) {
        byType.set(s.type, [...(byType.get(s.type) ?? []), s.sharePct]);
        if (s.capped) cappedByType.set(s.type, (cappedByType.get(s.type) ?? 0) + 1);
      }
  const q = (v: number[], p: number) =>
    v.length ? [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))] : Number.NaN;
  console.log('\nSummary');
  console.log(
    `  buildings: ${rows.length}; with at least one suggestion with a kWh saving: ${rows.filter((r) => r.largestType).length}`,
  );
  console.log(
    `  largest single suggestion (PV included), % of annual use (buildings with one): median ${num(q(shares, 0.5), 1)}, max ${num(shares[shares.length - 1] ?? 0, 1)} (limit ${MAX_SHARE * 100}); over the limit: ${over.length}${over.length ? ` (${over.map((r) => r.building).join(', ')})` : ''}`,
  );
  for (const [type, v] of [...byType.entries()].sort())
    console.log(
      `    ${pad(type, 20)} n = ${pad(String(v.length), 3)} median ${num(q(v, 0.5), 1)} %, max ${num(Math.max(...v), 1)} %; held at its ceiling: ${cappedByType.get(type) ?? 0}`,
    );
  const pvShares = rows.map((r) => r.pvSharePct).filter((v): v is number => v !== null);
  console.log(
    `  PV (grid electricity displaced, not a cut in use; held to the same limit): n = ${pvShares.length}, median ${num(q(pvShares, 0.5), 1)} %, max ${num(Math.max(...pvShares, 0), 1)} %, above ${MAX_SHARE * 100} %: ${pvShares.filter((v) => v > 100 * MAX_SHARE).length}`,
  );
  console.log(
    `  combined ≤ sum of the parts on every building: ${combinedOver.length === 0 ? 'yes' : `NO (${combinedOver.map((r) => r.building).join(', ')})`}; buildings where overlaps were deducted: ${withOverlap.length}, ${num(withOverlap.reduce((s, r) => s + r.sumOfPartsKwh - r.combinedKwh, 0))} kWh in all`,
  );
  console.log(`  time: ${num(rows.reduce((s, r) => s + r.ms, 0) / 1000, 1)} s`);
  if (json) fs.writeFileSync(json, JSON.stringify({ data, maxSharePct: MAX_SHARE * 100, rows }, null, 1));
  const ok = over.length === 0 && combinedOver.length === 0;
  console.log(ok ? '\nPASS' : '\nFAIL');
  if (!ok) process.exitCode = 1;
}

main();

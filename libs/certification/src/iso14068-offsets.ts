import Decimal from 'decimal.js';
import { RULES, type RuleMiss } from './iso14068';

/**
 * ISO 14068-1 offsets as structured credits: the registry (from a list), the project and its type,
 * removal or avoidance, the standard, vintage, serial range, retirement date and beneficiary.
 */

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
type Dec = InstanceType<typeof D>;
const r3 = (v: Dec) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

/** Registries whose retirements a certifier can look up (id → name). */
export const OFFSET_REGISTRIES = {
  verra: 'Verra (Verified Carbon Standard registry)',
  gold_standard: 'Gold Standard Impact Registry',
  acr: 'ACR (American Carbon Registry)',
  car: 'Climate Action Reserve',
  art_trees: 'ART (Architecture for REDD+ Transactions) registry',
  puro_earth: 'Puro.earth registry',
  isometric: 'Isometric registry',
  plan_vivo: 'Plan Vivo registry',
  global_carbon_council: 'Global Carbon Council registry',
  cdm: 'UNFCCC CDM registry',
  uk_land_carbon: 'UK Land Carbon Registry (Woodland and Peatland Codes)',
} as const;
export type OffsetRegistry = keyof typeof OFFSET_REGISTRIES;

/** Project types; those in AVOIDANCE_ONLY cannot issue removal credits. */
export const PROJECT_TYPES = [
  'afforestation_reforestation',
  'improved_forest_management',
  'redd_plus',
  'soil_carbon',
  'blue_carbon',
  'biochar',
  'direct_air_capture',
  'beccs',
  'enhanced_weathering',
  'renewable_energy',
  'cookstoves',
  'landfill_methane',
  'energy_efficiency',
  'industrial_gases',
  'other',
] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];
export const AVOIDANCE_ONLY: ProjectType[] = [
  'redd_plus',
  'renewable_energy',
  'cookstoves',
  'landfill_methane',
  'energy_efficiency',
  'industrial_gases',
];

export interface OffsetInput {
  registry?: OffsetRegistry;
  projectId?: string;
  projectName?: string;
  projectType?: ProjectType;
  creditType?: 'removal' | 'avoidance';
  /** The programme / methodology the credits were issued under, e.g. "VCS v4.5, VM0042". */
  standard?: string;
  vintage?: number;
  /** First and last credit serial of the retired block: the same text up to a trailing number. */
  serialFrom?: string;
  serialTo?: string;
  /** One credit = 1 t CO2e: must equal the number of serials in the range. */
  tonnesCo2e?: string;
  retiredOn?: string;
  /** Who the retirement was made on behalf of, as the registry shows it: must name the organisation. */
  beneficiary?: string;
}

/** Maximum credits in one batch and in one claim (the serials are registered one by one against double claiming). */
export const MAX_CREDITS_PER_BATCH = 100_000;
export const MAX_CREDITS_PER_CLAIM = 100_000;

/** The credit serials of a range "…0101".."…0150" (same text up to a trailing number), or why not. */
export function serialRange(
  from: string,
  to: string,
):
  | {
      ok: true;
      count: number;
      prefix: string;
      width: number;
      lo: bigint;
      hi: bigint;
      serials: () => string[];
    }
  | { ok: false; reason: string } {
  const a = /^(.*?)(\d+)$/.exec(from);
  const b = /^(.*?)(\d+)$/.exec(to);
  if (!a || !b) return { ok: false, reason: 'serialFrom and serialTo must each end in a number' };
  if (a[1] !== b[1])
    return {
      ok: false,
      reason: `serialFrom and serialTo differ before their trailing number ("${a[1]}" vs "${b[1]}")`,
    };
  const padded = a[2].length > 1 && a[2].startsWith('0');
  if (padded && a[2].length !== b[2].length)
    return { ok: false, reason: 'zero-padded serial numbers must have the same number of digits' };
  const lo = BigInt(a[2]);
  const hi = BigInt(b[2]);
  if (hi < lo) return { ok: false, reason: 'serialTo comes before serialFrom' };
  const n = hi - lo + 1n;
  if (n > BigInt(MAX_CREDITS_PER_BATCH))
    return { ok: false, reason: `more than ${MAX_CREDITS_PER_BATCH} credits in one batch: split it` };
  const count = Number(n);
  const width = padded ? a[2].length : 0;
  return {
    ok: true,
    count,
    prefix: a[1],
    width,
    lo,
    hi,
    serials: () => {
      const out: string[] = [];
      for (let i = 0n; i < n; i++) out.push(`${a[1]}${(lo + i).toString().padStart(width, '0')}`);
      return out;
    },
  };
}

/**
 * Problems of a claim's batches taken together: a credit in two batches (overlapping ranges of one
 * registry) or more than MAX_CREDITS_PER_CLAIM credits. Works on the intervals, without expanding them.
 */
export function batchesProblems(
  offsets: { registry?: string; serialFrom?: string; serialTo?: string }[],
): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const spans: { index: number; key: string; lo: bigint; hi: bigint }[] = [];
  let total = 0;
  offsets.forEach((o, index) => {
    if (!o.registry || !o.serialFrom || !o.serialTo) return;
    const r = serialRange(o.serialFrom, o.serialTo);
    if (!r.ok) return;
    total += r.count;
    spans.push({ index, key: `${o.registry}\u0000${r.prefix}\u0000${r.width}`, lo: r.lo, hi: r.hi });
  });
  spans.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  for (let i = 1; i < spans.length; i++) {
    const [p, q] = [spans[i - 1], spans[i]];
    if (p.key === q.key && q.lo <= p.hi)
      problems.push({
        index: Math.max(p.index, q.index),
        message: `offset batches ${Math.min(p.index, q.index) + 1} and ${Math.max(p.index, q.index) + 1} list the same credits`,
      });
  }
  if (total > MAX_CREDITS_PER_CLAIM)
    problems.push({ index: -1, message: `${total} credits in one claim: at most ${MAX_CREDITS_PER_CLAIM}` });
  return problems;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

// ---- offsets ----

export interface OffsetView extends OffsetInput {
  index: number;
  credits: number | null;
  retiredWithinWindow: boolean;
}

const REQUIRED_OFFSET_FIELDS: (keyof OffsetInput)[] = [
  'registry',
  'projectId',
  'projectName',
  'projectType',
  'creditType',
  'standard',
  'vintage',
  'serialFrom',
  'serialTo',
  'tonnesCo2e',
  'retiredOn',
  'beneficiary',
];

/** One batch's checks: every field present, range and tonnes, credit type, vintage, window, beneficiary. */
function checkBatch(
  o: OffsetInput,
  i: number,
  ctx: { periodFrom: string; deadline: string; organisation: string },
  missing: RuleMiss[],
): OffsetView {
  const absent = REQUIRED_OFFSET_FIELDS.filter((f) => o[f] === undefined || o[f] === null || o[f] === '');
  for (const f of absent)
    missing.push({
      rule: RULES.offsetFields,
      field: `offsets[${i}].${f}`,
      message: `offset batch ${i + 1}: ${f} is required`,
    });
  let credits: number | null = null;
  if (o.serialFrom && o.serialTo) {
    const range = serialRange(o.serialFrom, o.serialTo);
    if (!range.ok)
      missing.push({
        rule: RULES.offsetSerialRange,
        field: `offsets[${i}].serialTo`,
        message: `offset batch ${i + 1}: ${range.reason}`,
      });
    else {
      credits = range.count;
      if (o.tonnesCo2e !== undefined && !new D(o.tonnesCo2e).eq(range.count))
        missing.push({
          rule: RULES.offsetSerialRange,
          field: `offsets[${i}].tonnesCo2e`,
          message: `offset batch ${i + 1}: ${o.tonnesCo2e} t but the serial range ${o.serialFrom}..${o.serialTo} holds ${range.count} credits (one credit = 1 t CO2e)`,
        });
    }
  }
  if (o.creditType === 'removal' && o.projectType && AVOIDANCE_ONLY.includes(o.projectType))
    missing.push({
      rule: RULES.offsetCreditType,
      field: `offsets[${i}].creditType`,
      message: `offset batch ${i + 1}: a ${o.projectType} project avoids or reduces emissions; its credits cannot be removals`,
    });
  if (o.vintage !== undefined && o.retiredOn && o.vintage > Number(o.retiredOn.slice(0, 4)))
    missing.push({
      rule: RULES.offsetVintage,
      field: `offsets[${i}].vintage`,
      message: `offset batch ${i + 1}: vintage ${o.vintage} is after the retirement on ${o.retiredOn}`,
    });
  const within = !!o.retiredOn && o.retiredOn >= ctx.periodFrom && o.retiredOn < ctx.deadline;
  if (o.retiredOn && !within)
    missing.push({
      rule: RULES.offsetRetirement,
      field: `offsets[${i}].retiredOn`,
      message: `offset batch ${i + 1} was retired on ${o.retiredOn}, outside ${ctx.periodFrom}..${ctx.deadline} (within 12 months of the period end)`,
    });
  if (o.beneficiary && !norm(o.beneficiary).includes(norm(ctx.organisation)))
    missing.push({
      rule: RULES.offsetBeneficiary,
      field: `offsets[${i}].beneficiary`,
      message: `offset batch ${i + 1} was retired on behalf of "${o.beneficiary}", which does not name ${ctx.organisation}`,
    });
  return { ...o, index: i, credits, retiredWithinWindow: within };
}

export function checkOffsets(
  offsets: OffsetInput[] | undefined,
  ctx: { periodFrom: string; deadline: string; organisation: string; residual: Dec },
): { offsets: OffsetView[]; creditedKg: Dec; removalsT: Dec; avoidanceT: Dec; missing: RuleMiss[] } {
  const missing: RuleMiss[] = [];
  const list = offsets ?? [];
  if (!list.length)
    missing.push({
      rule: RULES.offsetsRequired,
      field: 'offsets',
      message:
        'retired offset credits covering the residual emissions are required (registry, project, type, removal or avoidance, standard, vintage, serial range, retirement date, beneficiary)',
    });
  const views: OffsetView[] = list.map((o, i) => checkBatch(o, i, ctx, missing));
  const counted = views.filter((v) => v.retiredWithinWindow && v.tonnesCo2e !== undefined);
  const tonnes = (xs: OffsetView[]) => xs.reduce((s, v) => s.plus(new D(v.tonnesCo2e ?? 0)), new D(0));
  const creditedKg = tonnes(counted).times(1000);
  if (list.length && creditedKg.lt(ctx.residual))
    missing.push({
      rule: RULES.offsetCoverage,
      field: 'offsets',
      message: `retired credits cover ${r3(creditedKg)} kg CO2e of the ${r3(ctx.residual)} kg CO2e residual emissions`,
    });
  return {
    offsets: views,
    creditedKg,
    removalsT: tonnes(counted.filter((v) => v.creditType === 'removal')),
    avoidanceT: tonnes(counted.filter((v) => v.creditType === 'avoidance')),
    missing,
  };
}

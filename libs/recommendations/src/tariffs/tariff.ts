/**
 * Tariff maths (DOMAIN.md §7): energy charges for flat and time-of-use tariffs, demand from
 * interval data, billing demand (fixed or rolling blocks), demand charges and the saving
 * from shaving peaks. Amounts are plain numbers in the tariff currency, unrounded: round
 * once, when presenting a bill.
 */
import { DateTime } from 'luxon';

/** A time-of-use band: applies on ISO weekdays `days` (1 = Monday … 7 = Sunday), local hours [fromHour, toHour). */
export interface TariffBand {
  /** ISO weekdays 1 = Mon … 7 = Sun */
  days: number[];
  /** local clock hour the band starts, inclusive (fractions allowed, 16.5 = 16:30) */
  fromHour: number;
  /** local clock hour the band ends, exclusive, up to 24; fromHour > toHour wraps past midnight */
  toHour: number;
  pricePerKwh: number;
  /** optional label, e.g. 'peak' */
  name?: string;
}

export interface Tariff {
  type: 'flat' | 'time_of_use';
  /** ISO 4217 code */
  currency: string;
  /** flat price; for time_of_use the price of any hour no band covers */
  pricePerKwh?: number;
  bands?: TariffBand[];
  /** price per kW of billing demand per billing period (month) */
  demandChargePerKw?: number;
}

/** One metered interval: energy over [start, start + interval). */
export interface IntervalReading {
  start: Date;
  energyKwh: number;
}

export interface EnergyChargePeriod {
  /** index into tariff.bands, or null for the flat / default price */
  bandIndex: number | null;
  name: string | null;
  pricePerKwh: number;
  energyKwh: number;
  cost: number;
}

export interface EnergyChargeResult {
  currency: string;
  energyKwh: number;
  cost: number;
  /** one entry per price actually used, bands first in tariff order */
  periods: EnergyChargePeriod[];
}

/** Average power over an interval: kW = kWh × 60 / interval minutes (DOMAIN.md §7). */
export function powerKwFromEnergyKwh(energyKwh: number, intervalMinutes: number): number {
  if (!(intervalMinutes > 0))
    throw new RangeError(`powerKwFromEnergyKwh: intervalMinutes must be > 0, got ${intervalMinutes}`);
  return (energyKwh * 60) / intervalMinutes;
}

function bandCovers(band: TariffBand, weekday: number, hour: number): boolean {
  if (!band.days.includes(weekday)) return false;
  if (band.fromHour <= band.toHour) return hour >= band.fromHour && hour < band.toHour;
  return hour >= band.fromHour || hour < band.toHour; // wraps past midnight; `days` is the start day
}

/** Validate a tariff's shape; throws RangeError with the field at fault. */
export function validateTariff(tariff: Tariff): void {
  if (tariff.type === 'flat') {
    if (!(typeof tariff.pricePerKwh === 'number' && Number.isFinite(tariff.pricePerKwh))) {
      throw new RangeError('tariff.pricePerKwh is required for a flat tariff');
    }
  } else if (!tariff.bands || tariff.bands.length === 0) {
    throw new RangeError('tariff.bands is required for a time_of_use tariff');
  }
  (tariff.bands ?? []).forEach((band, i) => {
    if (band.days.length === 0 || band.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      throw new RangeError(`tariff.bands[${i}].days must be ISO weekdays 1–7`);
    }
    if (!(
      band.fromHour >= 0 &&
      band.fromHour < 24 &&
      band.toHour > 0 &&
      band.toHour <= 24 &&
      band.fromHour !== band.toHour
    )) {
      throw new RangeError(
        `tariff.bands[${i}] hours must satisfy 0 ≤ fromHour < 24, 0 < toHour ≤ 24, fromHour ≠ toHour`,
      );
    }
    if (!Number.isFinite(band.pricePerKwh))
      throw new RangeError(`tariff.bands[${i}].pricePerKwh must be a number`);
  });
  if (tariff.demandChargePerKw !== undefined && !Number.isFinite(tariff.demandChargePerKw)) {
    throw new RangeError('tariff.demandChargePerKw must be a number');
  }
}

/**
 * Energy charge Σ kWh × price over TOU periods (DOMAIN.md §7). Each interval is priced by
 * the band covering its START in local time `zone` (IANA); bands are tried in order and the
 * first match wins. ✘ An interval straddling a band boundary is not split (15/30/60-min
 * data aligned to the clock never straddles whole- or half-hour boundaries). Hours no band
 * covers take `pricePerKwh`; without one they throw RangeError.
 */
export function energyCharge(
  tariff: Tariff,
  readings: readonly IntervalReading[],
  zone: string,
): EnergyChargeResult {
  validateTariff(tariff);
  const periods = new Map<number, EnergyChargePeriod>(); // key: band index, −1 for the default price
  let energyKwh = 0;
  let cost = 0;
  for (const reading of readings) {
    let key = -1;
    if (tariff.type === 'time_of_use') {
      const local = DateTime.fromJSDate(reading.start, { zone });
      if (!local.isValid) throw new RangeError(`energyCharge: invalid instant or zone ${zone}`);
      const hour = local.hour + local.minute / 60 + local.second / 3600;
      key = tariff.bands!.findIndex((band) => bandCovers(band, local.weekday, hour));
      if (key === -1 && tariff.pricePerKwh === undefined) {
        throw new RangeError(
          `energyCharge: no band covers ${local.toISO()} and the tariff has no default pricePerKwh`,
        );
      }
    }
    const band = key >= 0 ? tariff.bands![key] : null;
    const price = band ? band.pricePerKwh : tariff.pricePerKwh!;
    let period = periods.get(key);
    if (!period) {
      period = {
        bandIndex: band ? key : null,
        name: band?.name ?? null,
        pricePerKwh: price,
        energyKwh: 0,
        cost: 0,
      };
      periods.set(key, period);
    }
    period.energyKwh += reading.energyKwh;
    period.cost += reading.energyKwh * price;
    energyKwh += reading.energyKwh;
    cost += reading.energyKwh * price;
  }
  const ordered = [...periods.entries()]
    .sort(([a], [b]) => (a === -1 ? 1 : b === -1 ? -1 : a - b))
    .map(([, p]) => p);
  return { currency: tariff.currency, energyKwh, cost, periods: ordered };
}

export type DemandMethod = 'fixed' | 'rolling';

/**
 * Billing demand from a contiguous series of interval energies (DOMAIN.md §7): the highest
 * average kW over a `blockMinutes` block (15 or 30 typically).
 * - 'fixed': consecutive blocks starting with the first value, which must begin on a block
 *   boundary (e.g. :00/:15/:30/:45); a trailing partial block averages the intervals it has.
 * - 'rolling': every window of blockMinutes/intervalMinutes consecutive intervals.
 * blockMinutes must be a whole multiple of intervalMinutes.
 */
export function billingDemandKw(
  energyKwh: readonly number[],
  intervalMinutes: number,
  blockMinutes: number,
  method: DemandMethod = 'fixed',
): number {
  if (energyKwh.length === 0) throw new RangeError('billingDemandKw: no intervals');
  if (!(intervalMinutes > 0))
    throw new RangeError(`billingDemandKw: intervalMinutes must be > 0, got ${intervalMinutes}`);
  const perBlock = blockMinutes / intervalMinutes;
  if (!(Number.isInteger(perBlock) && perBlock >= 1)) {
    throw new RangeError(
      `billingDemandKw: blockMinutes ${blockMinutes} must be a whole multiple of intervalMinutes ${intervalMinutes}`,
    );
  }
  let best = Number.NEGATIVE_INFINITY;
  if (method === 'fixed') {
    for (let start = 0; start < energyKwh.length; start += perBlock) {
      const block = energyKwh.slice(start, start + perBlock);
      const sum = block.reduce((s, v) => s + v, 0);
      best = Math.max(best, powerKwFromEnergyKwh(sum, block.length * intervalMinutes));
    }
    return best;
  }
  if (energyKwh.length < perBlock) {
    return powerKwFromEnergyKwh(
      energyKwh.reduce((s, v) => s + v, 0),
      energyKwh.length * intervalMinutes,
    );
  }
  let sum = 0;
  for (let i = 0; i < energyKwh.length; i++) {
    sum += energyKwh[i];
    if (i >= perBlock) sum -= energyKwh[i - perBlock];
    if (i >= perBlock - 1) best = Math.max(best, powerKwFromEnergyKwh(sum, blockMinutes));
  }
  return best;
}

/**
 * Billing demand from timestamped readings. Fixed blocks are aligned to the clock (block
 * boundaries at multiples of blockMinutes since the Unix epoch, which equals local-clock
 * alignment for every zone whose UTC offset is a multiple of blockMinutes); rolling windows
 * only span readings that are contiguous in time. Missing intervals are not filled.
 */
export function billingDemandKwFromReadings(
  readings: readonly IntervalReading[],
  intervalMinutes: number,
  blockMinutes: number,
  method: DemandMethod = 'fixed',
): number {
  if (readings.length === 0) throw new RangeError('billingDemandKwFromReadings: no readings');
  const perBlock = blockMinutes / intervalMinutes;
  if (!(Number.isInteger(perBlock) && perBlock >= 1)) {
    throw new RangeError(
      `billingDemandKwFromReadings: blockMinutes ${blockMinutes} must be a whole multiple of intervalMinutes ${intervalMinutes}`,
    );
  }
  const sorted = [...readings].sort((a, b) => a.start.getTime() - b.start.getTime());
  const intervalMs = intervalMinutes * 60_000;
  let best = Number.NEGATIVE_INFINITY;
  if (method === 'fixed') {
    const blockMs = blockMinutes * 60_000;
    const blocks = new Map<number, { energyKwh: number; count: number }>();
    for (const r of sorted) {
      const key = Math.floor(r.start.getTime() / blockMs);
      const b = blocks.get(key) ?? { energyKwh: 0, count: 0 };
      b.energyKwh += r.energyKwh;
      b.count++;
      blocks.set(key, b);
    }
    for (const b of blocks.values())
      best = Math.max(best, powerKwFromEnergyKwh(b.energyKwh, b.count * intervalMinutes));
    return best;
  }
  // Rolling: split into contiguous runs and take the best window of each.
  let run: number[] = [];
  const flush = () => {
    if (run.length > 0) best = Math.max(best, billingDemandKw(run, intervalMinutes, blockMinutes, 'rolling'));
    run = [];
  };
  sorted.forEach((r, i) => {
    if (i > 0 && r.start.getTime() - sorted[i - 1].start.getTime() !== intervalMs) flush();
    run.push(r.energyKwh);
  });
  flush();
  return best;
}

/** Demand charge = billing demand × price per kW-month (DOMAIN.md §7). */
export function demandCharge(billingDemandKw: number, demandChargePerKw: number): number {
  return billingDemandKw * demandChargePerKw;
}

/** Clip a demand series at `capKw` (what a battery or load control would aim for). */
export function capPowerKw(powerKw: readonly number[], capKw: number): number[] {
  return powerKw.map((p) => Math.min(p, capKw));
}

export interface ShavingSaving {
  demandBeforeKw: number;
  demandAfterKw: number;
  /** (D_max,before − D_max,after) × price */
  saving: number;
}

/**
 * Demand-charge saving from changing a demand series (DOMAIN.md §7): (D_max,before −
 * D_max,after) × price. Lowering one peak by X saves X × price only if no other interval
 * is then above the new peak — the series comparison takes care of that. ✘ Ratchets,
 * which can hold billed demand up for months, are not modelled.
 */
export function demandShavingSaving(
  beforePowerKw: readonly number[],
  afterPowerKw: readonly number[],
  demandChargePerKw: number,
): ShavingSaving {
  if (beforePowerKw.length === 0 || afterPowerKw.length === 0)
    throw new RangeError('demandShavingSaving: empty series');
  const demandBeforeKw = Math.max(...beforePowerKw);
  const demandAfterKw = Math.max(...afterPowerKw);
  return { demandBeforeKw, demandAfterKw, saving: (demandBeforeKw - demandAfterKw) * demandChargePerKw };
}

export interface PeakCapResult extends ShavingSaving {
  /** energy that must be removed or shifted from above the cap, kWh */
  shavedEnergyKwh: number;
  /** intervals above the cap */
  intervalsAboveCap: number;
}

/**
 * Saving from capping demand at `capKw` (DOMAIN.md §7), with the energy that has to be
 * shaved to do it: Σ max(P − cap, 0) × interval hours.
 */
export function peakCapSaving(
  powerKw: readonly number[],
  capKw: number,
  demandChargePerKw: number,
  intervalMinutes: number,
): PeakCapResult {
  const after = capPowerKw(powerKw, capKw);
  const base = demandShavingSaving(powerKw, after, demandChargePerKw);
  let shavedEnergyKwh = 0;
  let intervalsAboveCap = 0;
  for (const p of powerKw) {
    if (p > capKw) {
      shavedEnergyKwh += ((p - capKw) * intervalMinutes) / 60;
      intervalsAboveCap++;
    }
  }
  return { ...base, shavedEnergyKwh, intervalsAboveCap };
}

export interface BillOptions {
  /** IANA zone of the tariff's clock */
  zone: string;
  intervalMinutes: number;
  /** default 15 */
  demandBlockMinutes?: number;
  /** default 'fixed' */
  demandMethod?: DemandMethod;
}

export interface BillEstimate {
  currency: string;
  energy: EnergyChargeResult;
  /** null when the tariff has no demand charge */
  billingDemandKw: number | null;
  demandCost: number;
  totalCost: number;
}

/**
 * Energy plus demand charge for one billing period's readings. ✘ Fixed charges, taxes,
 * peak-window-only demand and ratchets are not included.
 */
export function estimateBill(
  tariff: Tariff,
  readings: readonly IntervalReading[],
  options: BillOptions,
): BillEstimate {
  const energy = energyCharge(tariff, readings, options.zone);
  let demandKw: number | null = null;
  let demandCost = 0;
  if (tariff.demandChargePerKw !== undefined && readings.length > 0) {
    // ✘ With intervals longer than the demand block (e.g. hourly data, 15-min demand) the
    // interval average is used: it understates the true block peak.
    const blockMinutes = Math.max(options.demandBlockMinutes ?? 15, options.intervalMinutes);
    demandKw = billingDemandKwFromReadings(
      readings,
      options.intervalMinutes,
      blockMinutes,
      options.demandMethod ?? 'fixed',
    );
    demandCost = demandCharge(demandKw, tariff.demandChargePerKw);
  }
  return {
    currency: tariff.currency,
    energy,
    billingDemandKw: demandKw,
    demandCost,
    totalCost: energy.cost + demandCost,
  };
}

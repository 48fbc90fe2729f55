/**
 * Inputs and outputs of the recommendation analysers. Every analyser is a pure function
 * `(input: SiteAnalysisInput) => Suggestion[]`: the caller loads the site's data and passes it
 * in; nothing here reads a database, a file or the clock.
 */
import type { Tariff } from '../tariffs';

/** Energy over [ts, ts + interval): `ts` is the UTC start of the interval. */
export interface EnergyPoint {
  ts: Date;
  energyKwh: number;
}

export interface TemperaturePoint {
  /** UTC start of the hour */
  ts: Date;
  temperatureC: number;
}

export interface SiteInfo {
  id: string;
  /** IANA zone, e.g. 'Europe/London' */
  timezone: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  latitude?: number;
  longitude?: number;
  altitudeM?: number;
  floorAreaM2?: number;
  /** usable roof for PV; default a share of the floor area (pv-sizing.ts) */
  roofAreaM2?: number;
  /** key into the peer benchmark table, e.g. 'office', 'school', 'dormitory' */
  buildingType?: string;
}

export interface MeterInput {
  id: string;
  name?: string;
  /** default 'electricity' */
  energyType?: 'electricity' | 'gas';
  intervalMinutes: number;
  readings: readonly EnergyPoint[];
}

export interface TariffOption {
  id: string;
  name: string;
  tariff: Tariff;
  /** the tariff the site is on now; default: the first entered */
  current?: boolean;
}

/** A location-based emission factor (kg CO2e per kWh) with where it came from. */
export interface EmissionFactorInput {
  kgCo2ePerKwh: number;
  /** e.g. 'DESNZ 2024 UK electricity generation + T&D' */
  source: string;
}

/** One hour of grid carbon intensity, kg CO2e per kWh (location-based, hourly). */
export interface GridIntensityPoint {
  ts: Date;
  kgCo2ePerKwh: number;
}

/** A load forecast: P50 and P90 energy per interval. */
export interface LoadForecast {
  meterId: string;
  intervalMinutes: number;
  points: readonly { ts: Date; p50Kwh: number; p90Kwh: number }[];
}

/** One hour of the site's net-load forecast, kWh (P50s); net load = loadKwh − generationKwh. */
export interface NetLoadForecastPoint {
  /** UTC start of the hour */
  ts: Date;
  loadKwh: number;
  /** on-site PV and wind */
  generationKwh: number;
}

/** Heating and cooling slopes of similar buildings, kWh per m² per °C·day (see peer-benchmarks.ts). */
export interface PeerBenchmark {
  buildingType: string;
  energyType: 'electricity' | 'gas';
  /** typical (median) slope */
  heatingSlopeKwhPerM2DegreeDay: number | null;
  coolingSlopeKwhPerM2DegreeDay: number | null;
  /** the slope above which a building counts as 'far above' its peers (upper quartile) */
  heatingSlopeHighKwhPerM2DegreeDay: number | null;
  coolingSlopeHighKwhPerM2DegreeDay: number | null;
  source: string;
  /** true when the numbers are our estimate, not a published table */
  assumption: boolean;
}

/** PV system economics; every default is an assumption, documented in pv-sizing.ts. */
export interface PvEconomics {
  /** installed cost per kWp, in the site currency */
  costPerKwp?: number;
  /** price paid for exported kWh; default 0 */
  exportPricePerKwh?: number;
  lifetimeYears?: number;
  discountRate?: number;
}

export interface SiteAnalysisInput {
  site: SiteInfo;
  meters: readonly MeterInput[];
  /** hourly outdoor temperature */
  temperature?: readonly TemperaturePoint[];
  /** the site's measured global horizontal irradiance, mean W/m² of each hour (ts = the hour's start) */
  irradiance?: readonly { ts: Date; ghiWm2: number }[];
  /** on-site generation (PV) metered, interval energy */
  generation?: { intervalMinutes: number; readings: readonly EnergyPoint[] };
  /** forecast on-site PV generation, hourly energy */
  pvForecast?: readonly EnergyPoint[];
  /** the organisation's tariffs (one or several to compare) */
  tariffs: readonly TariffOption[];
  /** location-based electricity factor */
  emissionFactor: EmissionFactorInput;
  /**
   * hourly grid intensity; matched by UTC hour, else by (month, local hour) averages. Only load
   * shifting uses it, for the hourly shape (factorsAt in common.ts); every CO2 figure stays on
   * emissionFactor's annual level.
   */
  gridIntensity?: readonly GridIntensityPoint[];
  /** what the hourly profile measures; default 'average' (EIA-930 and Electricity Maps profiles are averages) */
  gridIntensityBasis?: 'average' | 'marginal';
  /** where the profile comes from, for the explanation */
  gridIntensitySource?: string;
  /** ISO 4217, the organisation's currency */
  currency: string;
  forecasts?: readonly LoadForecast[];
  /**
   * the site's hourly net-load forecast after the analysed data (@halve/forecasting's site forecast):
   * P50 of its electricity import meters and of its PV and wind meters, kWh per hour. Load shifting
   * picks the coming hours to move flexible load into from it.
   */
  netLoadForecast?: readonly NetLoadForecastPoint[];
  /** peer slopes; default {@link DEFAULT_PEER_BENCHMARKS} */
  peerBenchmarks?: readonly PeerBenchmark[];
  pvEconomics?: PvEconomics;
  /** per-analyser tuning, mostly for tests */
  options?: AnalyserOptions;
}

export interface AnalyserOptions {
  /** targetRatio overrides the building type's night/day ratio (baseload.ts) */
  baseload?: { targetRatio?: number; minExcessKw?: number };
  afterHours?: { windowDays?: number };
  peakDemand?: { capKw?: number; allowedShareAboveCap?: number; demandBlockMinutes?: number };
  loadShifting?: { flexibleShare?: number };
  pvSizing?: { clearnessFactor?: number; tiltDeg?: number; candidateKwp?: readonly number[] };
  weather?: { minExcessRatio?: number };
  /** minWeeks: distinct weeks with a run for the pattern to count as persisting (default 2) */
  anomalies?: { minHours?: number; minWeeks?: number };
}

export type SuggestionType =
  | 'baseload'
  | 'after_hours'
  | 'peak_demand'
  | 'load_shifting'
  | 'pv_sizing'
  | 'weather_sensitivity'
  | 'anomaly'
  | 'tariff';

export type Confidence = 'low' | 'medium' | 'high';

export interface EvidenceSeries {
  name: string;
  unit: string;
  /** x: an instant (ISO) by default; for a series over another quantity (e.g. PV size) its value as a string */
  points: { ts: string; value: number }[];
  /** what the x values are when they are not instants, e.g. 'system size (kWp)' */
  xLabel?: string;
}

/**
 * The kWh a suggestion saves, hour by hour, on the analysed data (before annualising): what
 * combined.ts needs to count overlapping suggestions once. Not stored; the overlaps it yields are
 * (evidence.overlaps).
 * - 'reduction': a lower always-on level (baseload); additive with spikes, which are measured
 *   above each hour's normal level (that level includes the always-on load);
 * - 'spike': energy above an hour's normal level (after-hours, anomalies); two spike measures on
 *   the same meter and hour remove the same energy: together they save the larger of the two;
 * - 'supply': grid energy avoided by on-site PV (points = self-consumed kWh, with the hour's
 *   generation and site load); a cut in load can leave less of the PV to use.
 * annual kWh = Σ points × scale.
 */
export interface SavingProfile {
  /** the meter whose load it cuts; absent for site-level (supply) profiles */
  meterId?: string;
  kind: 'reduction' | 'spike' | 'supply';
  scale: number;
  points: readonly { ts: Date; energyKwh: number; generationKwh?: number; loadKwh?: number }[];
}

/** The part of a suggestion's saving already counted in another (higher-ranked) suggestion of the same analysis. */
export interface SavingOverlap {
  /** the other suggestion's key */
  key: string;
  annualKwh: number;
  annualKgCo2e: number;
  annualMoney: number | null;
}

export interface Suggestion {
  type: SuggestionType;
  siteId: string;
  meterId?: string;
  /** stable dedupe key: re-running the analysers updates the open suggestion with this key */
  key: string;
  title: string;
  /** plain language, with the numbers */
  explanation: string;
  /** energy no longer used (0 for measures that move or re-price energy) */
  annualSavingKwh: number;
  annualSavingKgCo2e: number;
  /** null when no tariff was entered */
  annualSavingMoney: number | null;
  currency: string;
  /** money range; null when no tariff was entered */
  range: { low: number; high: number } | null;
  costMoney?: number;
  paybackYears?: number;
  confidence: Confidence;
  evidence: {
    series: EvidenceSeries[];
    numbers: Record<string, number | string>;
    overlaps?: SavingOverlap[];
  };
  /** hourly saving for the overlap calculation (see SavingProfile); not stored */
  savingProfile?: SavingProfile;
}

export type Analyser = (input: SiteAnalysisInput) => Suggestion[];

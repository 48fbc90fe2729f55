/**
 * A PV forecast's rules, without I/O: which model or reference forecasts each interval (the active
 * per-meter model, else the generic model scaled by capacity, on the site's irradiance or cloud-cover
 * forecast; smart persistence where there is none, or for all of them when the active version says
 * so), and the words that say so. RenewableForecastingService reads the inputs and converts the
 * fractions of capacity this returns into the meter's unit.
 */
import { UnprocessableError } from '@halve/platform';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { solarFeatures } from './features';
import {
  PvPastWindow,
  applyPvBandCalibration,
  fitPvBandCalibration,
  pvCalibrationReason,
  pvPastWindow,
} from './pv-band-calibration';
import { PvModelArtifact } from './pv-model';
import { PvArtifact, PvPredictor, isPvArtifact, loadPvPredictor, pvMethodLabel } from './pv-predictor';
import {
  ArrayGeometry,
  FractionQuantiles,
  WeatherRowLike,
  clearSkyPoaShape,
  dailyClearness,
  levelIndex,
  smartPersistence,
} from './renewables';
import {
  GENERIC_PV_AC_PER_DC,
  RenewableSubject,
  genericPvScale,
  geometry,
  irradiance,
} from './renewables-training';

export interface RenewableForecast {
  view: {
    method: 'model' | 'generic' | 'baseline';
    modelVersion?: number;
    baseline?: string;
    reason: string;
  };
  issuedAt: Date;
  points: { ts: Date; p10: number; p50: number; p90: number }[];
}

type View = RenewableForecast['view'];
type Persistence = ReturnType<typeof smartPersistence>;

export interface PvForecastInput {
  subject: RenewableSubject;
  g: ArrayGeometry;
  fromMs: number;
  originMs: number;
  intervalMinutes: number;
  /** Interval starts of the forecast (UTC ms). */
  starts: number[];
  /** The site's irradiance forecast on those intervals. */
  input: ReturnType<typeof irradiance>;
  /** Indices of the daylight intervals, and of those with an irradiance forecast. */
  daylight: number[];
  covered: number[];
  /** Smart persistence from the last complete days before the issue time (null: none). */
  sp: Persistence;
  active: ForecastModelEntity | null;
  generic: PvModelArtifact | null;
  /** The meter's last days (pvPastWindow): the model's band is calibrated on its forecasts of them. */
  past?: PvPastWindow;
}

/** Which role the active version plays in a PV forecast. */
function activeRoles(active: ForecastModelEntity | null) {
  return {
    model: active?.method === 'model' && isPvArtifact(active.artifact) ? active : null,
    persistence: active?.method === 'baseline' && active.baselineName === 'smartPersistence' ? active : null,
    generic: active?.method === 'baseline' && active.baselineName === 'generic' ? active : null,
  };
}

function orientation(s: RenewableSubject): string {
  return s.tiltDeg === null || s.azimuthDeg === null
    ? 'a horizontal array (set tiltDeg and azimuthDeg for the real one)'
    : `a ${s.tiltDeg}°-tilt, ${s.azimuthDeg}°-azimuth array`;
}

/** What smart persistence forecasts with, in words ('' when there is none). */
export function persistenceReason(s: RenewableSubject, sp: Persistence): string {
  if (!sp) return '';
  const day = new Date(sp.dayStartMs).toISOString().slice(0, 10);
  return `smart persistence: the clear-sky output of ${orientation(s)} × the clearness index ${sp.index.toFixed(3)} of ${day} (the last complete day), P10/P90 from the last ${sp.bandDays} days' indices`;
}

/** 422: daylight intervals without an irradiance forecast and no complete day to persist. */
function noPersistence(i: PvForecastInput): UnprocessableError {
  return new UnprocessableError(
    `No irradiance or cloud-cover forecast covers ${i.daylight.length - i.covered.length} daylight intervals of the range, and there is no complete day of readings in the two weeks before ${new Date(i.originMs).toISOString()} to persist: import GHI or cloud cover for those hours (POST /api/v1/orgs/{orgId}/sites/${i.subject.siteId}/weather; future hours are forecasts).`,
    [{ field: 'ghiWM2', message: 'no irradiance forecast' }],
    { code: 'FORECAST_NO_IRRADIANCE' },
  );
}

/** What the model forecasts: the intervals, their start, the site's irradiance on them. */
type ModelWindow = Pick<PvForecastInput, 'fromMs' | 'starts' | 'input'>;

/** The model's P10/P50/P90 ÷ capacity on a window (generic: scaled to the meter); NaN where irradiance is missing. */
function predictFractions(
  i: PvForecastInput,
  model: PvPredictor,
  perMeter: boolean,
  w: ModelWindow,
): FractionQuantiles {
  const n = w.starts.length;
  const predictors = { ghiWm2: w.input.values, temperatureC: w.input.temperatureC };
  const series = {
    startMs: w.fromMs,
    intervalMinutes: i.intervalMinutes,
    latitudeDeg: i.g.latitudeDeg,
    longitudeDeg: i.g.longitudeDeg,
    altitudeM: 0,
    predictors,
    length: n,
  };
  const out = model.predict(series, 0, n);
  const [a, b, c] = [0.1, 0.5, 0.9].map((l) => levelIndex(model.quantileLevels, l));
  const scale = perMeter
    ? w.starts.map(() => 1)
    : genericPvScale(i.subject, i.g, w.starts, i.intervalMinutes);
  const f: FractionQuantiles = { p10: [], p50: [], p90: [] };
  for (let k = 0; k < n; k++) {
    const ok = Number.isFinite(w.input.values[k]);
    f.p10.push(ok ? out[k][a] * scale[k] : Number.NaN);
    f.p50.push(ok ? out[k][b] * scale[k] : Number.NaN);
    f.p90.push(ok ? out[k][c] * scale[k] : Number.NaN);
  }
  return f;
}

/**
 * P10/P50/P90 of a PV model (per-meter, or generic scaled to the meter) where irradiance is forecast,
 * its band calibrated on the model's forecasts of the meter's last days when `i.past` is given
 * (pv-band-calibration.ts); smart persistence elsewhere.
 */
async function modelFractions(
  i: PvForecastInput,
  artifact: PvArtifact,
  perMeter: boolean,
): Promise<{ f: FractionQuantiles; calibration: string }> {
  const model = await loadPvPredictor(artifact);
  let f: FractionQuantiles;
  let calibration = '';
  try {
    f = predictFractions(i, model, perMeter, i);
    if (i.past) {
      const past = { fromMs: i.past.startMs, starts: i.past.starts, input: i.past.input };
      const c = fitPvBandCalibration(i.past, predictFractions(i, model, perMeter, past));
      f = applyPvBandCalibration(f, c, i.covered);
      calibration = pvCalibrationReason(i.past, c);
    }
  } finally {
    model.dispose();
  }
  for (let k = 0; k < i.starts.length; k++) {
    if (Number.isFinite(i.input.values[k])) continue;
    f.p10[k] = i.sp ? i.sp.p10[k] : 0;
    f.p50[k] = i.sp ? i.sp.p50[k] : 0;
    f.p90[k] = i.sp ? i.sp.p90[k] : 0;
  }
  return { f, calibration };
}

/** The view of a model forecast: per-meter, or the generic one with its scaling and the intervals persistence filled. */
function modelView(i: PvForecastInput, artifact: PvArtifact, roles: ReturnType<typeof activeRoles>): View {
  const s = i.subject;
  const missing = i.daylight.length - i.covered.length;
  const inputs = `${i.input.fromCloud ? 'irradiance (partly from cloud cover, Kasten–Czeplak)' : 'irradiance'}${artifact.predictorNames.includes('temperatureC') ? ' and temperature' : ''} forecasts from the site's weather`;
  const gaps =
    missing > 0
      ? `; ${missing} of ${i.daylight.length} daylight intervals have no irradiance or cloud-cover forecast: ${persistenceReason(s, i.sp)} there`
      : '';
  if (roles.model) {
    return {
      method: 'model',
      modelVersion: roles.model.version,
      reason: `per-meter PV model (${pvMethodLabel(artifact)}) on ${inputs}; chosen at training: ${roles.model.reason.replace(/^per-meter PV model (\([^)]*\) )?/, '')}${gaps}`,
    };
  }
  const g = roles.generic;
  const why = g
    ? `version ${g.version}: ${g.reason}`
    : 'no per-meter PV model yet (train one with POST …/models once the site has irradiance history)';
  const oriented =
    s.tiltDeg === null || s.azimuthDeg === null
      ? ''
      : ', adjusted from the reference 45°/158° array to this orientation by clear-sky plane-of-array irradiance';
  return {
    method: 'generic',
    ...(g ? { modelVersion: g.version } : {}),
    reason: `${why}: the generic PV model (PVDAQ system 50) on ${inputs}, × capacityKw ${s.capacityKw} kWp × ${GENERIC_PV_AC_PER_DC.toFixed(3)} (PVWatts default losses and inverter efficiency)${oriented}${gaps}`,
  };
}

/** Smart persistence for every interval, and why. */
function persistenceForecast(
  i: PvForecastInput,
  roles: ReturnType<typeof activeRoles>,
): { f: FractionQuantiles; view: View } {
  if (!i.sp) throw noPersistence(i);
  const p = roles.persistence;
  const why = p
    ? `version ${p.version}: ${p.reason}`
    : `no irradiance or cloud-cover forecast for these hours (import GHI or cloud cover with POST …/sites/${i.subject.siteId}/weather; future hours are forecasts)${roles.model ? `, which the PV model version ${roles.model.version} needs` : ''}`;
  return {
    f: { p10: i.sp.p10, p50: i.sp.p50, p90: i.sp.p90 },
    view: {
      method: 'baseline',
      baseline: 'smartPersistence',
      ...(p ? { modelVersion: p.version } : {}),
      reason: `${why}: ${persistenceReason(i.subject, i.sp)}`,
    },
  };
}

/**
 * The PV forecast as fractions of capacity: a model (the active per-meter one, else the generic one)
 * when some daylight interval has an irradiance forecast and the active version is not smart
 * persistence; smart persistence otherwise. Night is 0. A 422 when neither covers the range.
 */
export async function pvForecast(i: PvForecastInput): Promise<{ f: FractionQuantiles; view: View }> {
  const roles = activeRoles(i.active);
  if (roles.persistence || i.covered.length === 0 || !(roles.model || i.generic))
    return persistenceForecast(i, roles);
  const artifact = roles.model ? (roles.model.artifact as PvArtifact) : i.generic!;
  if (i.daylight.length - i.covered.length > 0 && !i.sp) throw noPersistence(i);
  const { f, calibration } = await modelFractions(i, artifact, !!roles.model);
  const view = modelView(i, artifact, roles);
  return { f, view: { ...view, reason: view.reason + calibration } };
}

/** What one PV forecast is made from, as read from the database (the service) or from files (bench:site). */
export interface PvForecastData {
  subject: RenewableSubject;
  timeZone: string;
  intervalMinutes: number;
  fromMs: number;
  originMs: number;
  /** Interval starts of the forecast (UTC ms). */
  starts: number[];
  /** The site's weather rows over the forecast (its irradiance or cloud-cover forecast). */
  weather: readonly WeatherRowLike[];
  /**
   * The meter's readings ÷ capacity on the intervals from `startMs` to the origin, and the site's weather
   * rows then: smart persistence reads their complete days, the band calibration the days from
   * `calibrationFromMs` (default: all of them; absent `calibrate` false: no calibration).
   */
  past: { startMs: number; fractions: readonly number[]; weather: readonly WeatherRowLike[] };
  calibrationFromMs?: number;
  calibrate?: boolean;
  active: ForecastModelEntity | null;
  generic: PvModelArtifact | null;
}

/**
 * A PV forecast from its data (RenewableForecastingService.forecastPv after its reads): the clear-sky
 * shape, the irradiance forecast and the daylight intervals, smart persistence from the past days, then
 * pvForecast with the band calibrated on the past window.
 */
export function pvForecastFromData(d: PvForecastData): Promise<{ f: FractionQuantiles; view: View }> {
  const g = geometry(d.subject);
  const interval = d.intervalMinutes;
  const shape = clearSkyPoaShape(d.starts, interval, g);
  const sun = solarFeatures(d.starts, interval, g.latitudeDeg, g.longitudeDeg, 0);
  const input = irradiance(d.weather, d.fromMs, interval, sun.clearSkyGhiWm2);
  const daylight = d.starts.map((_, i) => i).filter((i) => sun.cosZenith[i] > 0 || shape[i] > 0);
  const covered = daylight.filter((i) => Number.isFinite(input.values[i]));
  const stepMs = interval * 60_000;
  const { startMs, fractions, weather } = d.past;
  const pastShape = clearSkyPoaShape(
    fractions.map((_, i) => startMs + i * stepMs),
    interval,
    g,
  );
  const days = dailyClearness(fractions, pastShape, startMs, interval, d.timeZone);
  const sp = smartPersistence(days, d.originMs, shape);
  const skip = Math.max(0, Math.round(((d.calibrationFromMs ?? startMs) - startMs) / stepMs));
  const calFromMs = startMs + skip * stepMs;
  const past =
    d.calibrate === false
      ? undefined
      : pvPastWindow(
          g,
          interval,
          calFromMs,
          fractions.slice(skip),
          weather.filter((w) => w.ts.getTime() >= calFromMs),
        );
  return pvForecast({
    subject: d.subject,
    g,
    fromMs: d.fromMs,
    originMs: d.originMs,
    intervalMinutes: interval,
    starts: d.starts,
    input,
    daylight,
    covered,
    sp,
    active: d.active,
    generic: d.generic,
    ...(past ? { past } : {}),
  });
}

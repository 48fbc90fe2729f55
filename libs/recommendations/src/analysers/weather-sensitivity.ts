/**
 * Weather sensitivity: a heating or cooling slope far above similar buildings → HVAC tune-up.
 *
 * The meter's complete local days and their mean outdoor temperature feed the CalTRACK daily
 * model (DOMAIN.md §3, ../mv). Its slopes (kWh per °F·day) are converted to kWh per °C·day
 * (× 1.8) and per m² of floor area, and compared with the peer row for the building type
 * (peer-benchmarks.ts). When a slope is above the peers' "high" value (× minExcessRatio,
 * default 1), the suggestion brings it down to that high value:
 * saving = (slope − peer high) × floor area × degree days a year (°C·day, at the model's own
 * balance point, from the temperatures seen, scaled to 365 days). High: down to the peers'
 * typical slope; low: half the central saving.
 */
import { DateTime } from 'luxon';
import { type CaltrackDailyModel, celsiusToFahrenheit, fitCaltrackDaily } from '../mv';
import {
  MS_PER_HOUR,
  currentTariff,
  electricityMeters,
  energyCost,
  fmt,
  fmtMoney,
  hourlySeries,
  suggestionKey,
} from './common';
import { DEFAULT_PEER_BENCHMARKS, findPeerBenchmark } from './peer-benchmarks';
import type { EvidenceSeries, MeterInput, SiteAnalysisInput, Suggestion } from './types';

const F_PER_C = 1.8;
/** ✘ Minimum R² of the daily model before its slopes are compared with peers. */
export const WEATHER_MIN_R_SQUARED = 0.3;
const MIN_R_SQUARED = WEATHER_MIN_R_SQUARED;

interface DayRow {
  dateKey: string;
  energyKwh: number;
  temperatureC: number;
  hours: { ts: Date; energyKwh: number }[];
}

function dailyRows(input: SiteAnalysisInput, meter: MeterInput): DayRow[] {
  const temps = new Map(
    (input.temperature ?? [])
      .filter((t) => Number.isFinite(t.temperatureC))
      .map((t) => [Math.floor(t.ts.getTime() / MS_PER_HOUR), t.temperatureC]),
  );
  const days = new Map<
    string,
    { energyKwh: number; tSum: number; tN: number; n: number; hours: { ts: Date; energyKwh: number }[] }
  >();
  for (const h of hourlySeries(meter.readings, meter.intervalMinutes, input.site.timezone)) {
    const d = days.get(h.dateKey) ?? { energyKwh: 0, tSum: 0, tN: 0, n: 0, hours: [] };
    d.energyKwh += h.energyKwh;
    d.n++;
    d.hours.push({ ts: h.ts, energyKwh: h.energyKwh });
    const t = temps.get(Math.floor(h.ts.getTime() / MS_PER_HOUR));
    if (t !== undefined) {
      d.tSum += t;
      d.tN++;
    }
    days.set(h.dateKey, d);
  }
  return [...days.entries()]
    .filter(([key, d]) => {
      const start = DateTime.fromISO(key, { zone: input.site.timezone });
      const length = Math.round(start.plus({ days: 1 }).diff(start, 'hours').hours);
      return d.n === length && d.tN >= length - 2;
    })
    .map(([dateKey, d]) => ({ dateKey, energyKwh: d.energyKwh, temperatureC: d.tSum / d.tN, hours: d.hours }))
    .sort((a, b) => a.dateKey.localeCompare(b.dateKey));
}

/** Degree days a year in °C·day at a °F balance point, from daily mean temperatures. */
function annualDegreeDaysC(
  temperaturesC: readonly number[],
  balancePointF: number,
  kind: 'heating' | 'cooling',
): number {
  let sumF = 0;
  for (const tC of temperaturesC) {
    const tF = celsiusToFahrenheit(tC);
    sumF += kind === 'heating' ? Math.max(balancePointF - tF, 0) : Math.max(tF - balancePointF, 0);
  }
  return ((sumF / F_PER_C) * 365) / temperaturesC.length;
}

/** The meter's daily model against the weather, with its peers; null when the weather explains too little. */
function weatherModel(input: SiteAnalysisInput, meter: MeterInput) {
  const area = input.site.floorAreaM2;
  const energyType = meter.energyType ?? 'electricity';
  if (!area || !(area > 0) || !input.temperature?.length) return null;
  const peer = findPeerBenchmark(
    input.peerBenchmarks ?? DEFAULT_PEER_BENCHMARKS,
    input.site.buildingType,
    energyType,
  );
  if (!peer) return null;
  const days = dailyRows(input, meter);
  if (days.length < 60) return null;
  let model: CaltrackDailyModel;
  try {
    model = fitCaltrackDaily(
      days.map((d) => ({ energyKwh: d.energyKwh, temperatureC: d.temperatureC })),
      { fuel: energyType },
    );
  } catch {
    return null;
  }
  // ✘ When the weather explains little of the day-to-day variation, a slope is not evidence of anything.
  if (!(model.rSquared >= MIN_R_SQUARED)) return null;
  return { area, peer, days, model };
}

type WeatherModel = NonNullable<ReturnType<typeof weatherModel>>;

interface WeatherTerm {
  kind: 'heating' | 'cooling';
  /** kWh per °F degree day */
  slopeF: number;
  bpF: number | null;
  typical: number | null;
  high: number | null;
}

function weatherSeries(days: WeatherModel['days']): EvidenceSeries[] {
  return [
    {
      name: 'daily energy',
      unit: 'kWh',
      points: days.map((d) => ({ ts: d.dateKey, value: d.energyKwh })),
    },
    {
      name: 'daily mean temperature',
      unit: '°C',
      points: days.map((d) => ({ ts: d.dateKey, value: d.temperatureC })),
    },
  ];
}

/** The suggestion for one term (heating or cooling) when its slope per m² is above the peers' high end. */
function termSuggestion(
  input: SiteAnalysisInput,
  meter: MeterInput,
  { area, peer, days, model }: WeatherModel,
  term: WeatherTerm,
): Suggestion | null {
  if (term.bpF === null || !(term.slopeF > 0) || term.high === null || term.typical === null) return null;
  const minRatio = input.options?.weather?.minExcessRatio ?? 1;
  const slope = (term.slopeF * F_PER_C) / area; // kWh/(m²·°C·day)
  if (!(slope > term.high * minRatio)) return null;
  const factor = input.emissionFactor.kgCo2ePerKwh;
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const degreeDays = annualDegreeDaysC(
    days.map((d) => d.temperatureC),
    term.bpF,
    term.kind,
  );
  const annualSavingKwh = (slope - term.high) * area * degreeDays;
  const highKwh = (slope - term.typical) * area * degreeDays;
  // ✘ Priced at the meter's own average price (energy charge ÷ kWh over the days analysed).
  const allHours = days.flatMap((d) => d.hours);
  const totalKwh = allHours.reduce((s, h) => s + h.energyKwh, 0);
  const cost = energyCost(tariff, allHours, input.site.timezone);
  const avgPrice = cost === null ? null : cost / totalKwh;
  const money = avgPrice === null ? null : annualSavingKwh * avgPrice;
  const word = term.kind === 'heating' ? 'heating' : 'cooling';
  return {
    type: 'weather_sensitivity',
    siteId: input.site.id,
    meterId: meter.id,
    key: suggestionKey('weather_sensitivity', input.site.id, meter.id, term.kind),
    title: `Tune up the ${word}: the building's ${word} use per degree is ${fmt(slope / term.typical, 1)}× typical`,
    explanation:
      `Each ${word} degree day (°C below/above ${fmt((term.bpF - 32) / F_PER_C, 1)} °C) adds ${fmt(term.slopeF * F_PER_C)} kWh, ` +
      `${fmt(slope, 3)} kWh per m² of its ${fmt(area)} m², against ${fmt(term.typical, 3)} typical and ${fmt(term.high, 3)} at the high end for similar buildings ` +
      `(${peer.assumption ? 'our estimated peer values, not a published benchmark' : peer.source}). Bringing it to the high end of its peers over ` +
      `${fmt(degreeDays)} degree days a year saves ${fmt(annualSavingKwh)} kWh, ${fmt(annualSavingKwh * factor)} kg CO2e and ${fmtMoney(money, input.currency)} a year. ` +
      `Check set-points and dead bands, schedules, simultaneous heating and cooling, economisers and controls.`,
    annualSavingKwh,
    annualSavingKgCo2e: annualSavingKwh * factor,
    annualSavingMoney: money,
    currency: input.currency,
    range: avgPrice === null ? null : { low: (annualSavingKwh / 2) * avgPrice, high: highKwh * avgPrice },
    confidence: model.rSquared >= 0.7 && days.length >= 300 ? 'medium' : 'low',
    evidence: {
      series: weatherSeries(days),
      numbers: {
        modelType: model.modelType,
        slopeKwhPerDegreeDayC: term.slopeF * F_PER_C,
        slopeKwhPerM2DegreeDayC: slope,
        balancePointC: (term.bpF - 32) / F_PER_C,
        peerTypicalKwhPerM2DegreeDayC: term.typical,
        peerHighKwhPerM2DegreeDayC: term.high,
        peerSource: peer.source,
        annualDegreeDaysC: degreeDays,
        floorAreaM2: area,
        rSquared: model.rSquared,
        cvRmse: model.cvRmse,
        days: days.length,
      },
    },
  };
}

function analyseMeter(input: SiteAnalysisInput, meter: MeterInput): Suggestion[] {
  const fitted = weatherModel(input, meter);
  if (!fitted) return [];
  const { model, peer } = fitted;
  const terms: WeatherTerm[] = [
    {
      kind: 'heating',
      slopeF: model.betaHdd,
      bpF: model.heatingBalancePointF,
      typical: peer.heatingSlopeKwhPerM2DegreeDay,
      high: peer.heatingSlopeHighKwhPerM2DegreeDay,
    },
    {
      kind: 'cooling',
      slopeF: model.betaCdd,
      bpF: model.coolingBalancePointF,
      typical: peer.coolingSlopeKwhPerM2DegreeDay,
      high: peer.coolingSlopeHighKwhPerM2DegreeDay,
    },
  ];
  return terms
    .map((term) => termSuggestion(input, meter, fitted, term))
    .filter((x): x is Suggestion => x !== null);
}

/** Weather-sensitivity analyser (see the file comment); needs temperature and floor area. */
export function analyseWeatherSensitivity(input: SiteAnalysisInput): Suggestion[] {
  // ✘ Electricity meters only: the input's factor and tariffs are electricity ones (gas needs its own, not yet in the input).
  return electricityMeters(input).flatMap((meter) => analyseMeter(input, meter));
}

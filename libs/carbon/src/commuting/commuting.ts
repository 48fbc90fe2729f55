import { randomBytes } from 'node:crypto';
import Decimal from 'decimal.js';

/**
 * Employee commuting (Scope 3 category 7) from a survey (pure). Each answer: a mode, the distance one
 * way, days a week in the office and weeks a year; its km a year = distance × 2 × days × weeks. The
 * organisation's total extrapolates the answers to all employees: surveyed km × (employees ÷
 * respondents), by mode, priced at DESNZ's distance factors for that mode (the business-travel factors,
 * which the GHG Protocol's Scope 3 guidance uses for commuting as well). Walking and cycling are 0.
 */
export const COMMUTE_MODES = {
  car: {
    label: 'Car (fuel not known)',
    activity: 'business_travel_car',
    variant: 'average_car.unknown',
    unit: 'km',
  },
  car_petrol: {
    label: 'Car, petrol',
    activity: 'business_travel_car',
    variant: 'average_car.petrol',
    unit: 'km',
  },
  car_diesel: {
    label: 'Car, diesel',
    activity: 'business_travel_car',
    variant: 'average_car.diesel',
    unit: 'km',
  },
  car_hybrid: {
    label: 'Car, hybrid',
    activity: 'business_travel_car',
    variant: 'average_car.hybrid',
    unit: 'km',
  },
  car_electric: {
    label: 'Car, battery electric',
    activity: 'business_travel_car',
    variant: 'average_car.bev',
    unit: 'km',
  },
  motorbike: { label: 'Motorbike', activity: 'business_travel_motorbike', variant: 'average', unit: 'km' },
  bus: { label: 'Bus', activity: 'business_travel_bus', variant: 'average_local_bus', unit: 'passenger.km' },
  coach: { label: 'Coach', activity: 'business_travel_bus', variant: 'coach', unit: 'passenger.km' },
  rail: {
    label: 'Train (national rail)',
    activity: 'business_travel_rail',
    variant: 'national_rail',
    unit: 'passenger.km',
  },
  underground: {
    label: 'Underground',
    activity: 'business_travel_rail',
    variant: 'london_underground',
    unit: 'passenger.km',
  },
  tram: {
    label: 'Light rail or tram',
    activity: 'business_travel_rail',
    variant: 'light_rail_and_tram',
    unit: 'passenger.km',
  },
  walk: { label: 'Walking', activity: null, variant: null, unit: 'km' },
  cycle: { label: 'Cycling', activity: null, variant: null, unit: 'km' },
} as const;
export type CommuteMode = keyof typeof COMMUTE_MODES;
export const COMMUTE_MODE_KEYS = Object.keys(COMMUTE_MODES) as CommuteMode[];

export interface CommuteAnswer {
  mode: string;
  distanceKm: string;
  daysPerWeek: string;
  weeksPerYear: string;
}

/** km a year of one answer: distance one way × 2 × days a week × weeks a year. */
export const annualKm = (a: CommuteAnswer) =>
  new Decimal(a.distanceKm).times(2).times(a.daysPerWeek).times(a.weeksPerYear);

export interface ModeTotal {
  mode: CommuteMode;
  label: string;
  respondents: number;
  surveyedKm: string;
  /** surveyedKm × employees ÷ respondents, 3 decimals. */
  extrapolatedKm: string;
  activity: string | null;
  variant: string | null;
  unit: string;
}

export interface CommutingTotals {
  respondents: number;
  employees: number;
  /** employees ÷ respondents (null while nobody answered). */
  scale: string | null;
  method: string;
  modes: ModeTotal[];
}

export function commutingTotals(answers: CommuteAnswer[], employees: number): CommutingTotals {
  const respondents = answers.length;
  const scale = respondents ? new Decimal(employees).div(respondents) : null;
  const modes: ModeTotal[] = [];
  for (const mode of COMMUTE_MODE_KEYS) {
    const mine = answers.filter((a) => a.mode === mode);
    if (!mine.length) continue;
    const km = mine.reduce((s, a) => s.plus(annualKm(a)), new Decimal(0));
    const m = COMMUTE_MODES[mode];
    modes.push({
      mode,
      label: m.label,
      respondents: mine.length,
      surveyedKm: km.toFixed(),
      extrapolatedKm: km
        .times(scale ?? 0)
        .toDecimalPlaces(3, Decimal.ROUND_HALF_UP)
        .toFixed(),
      activity: m.activity,
      variant: m.variant,
      unit: m.unit,
    });
  }
  return {
    respondents,
    employees,
    scale: scale ? scale.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed() : null,
    method:
      `km a year per answer = distance one way × 2 × days a week × weeks a year; each mode's total × ` +
      `(employees ${employees} ÷ respondents ${respondents}); walking and cycling count 0`,
    modes,
  };
}

/**
 * A survey's link token: the organisation's and the survey's ids and a 16-byte secret, base64url (64 characters) (the
 * secret is stored only as its SHA-256); `parseSurveyToken` undoes it (null: not a token).
 */
export function newSurveyToken(tenantId: string, surveyId: string): { token: string; secret: Buffer } {
  const secret = randomBytes(16);
  const id = (u: string) => Buffer.from(u.replace(/-/g, ''), 'hex');
  return { token: Buffer.concat([id(tenantId), id(surveyId), secret]).toString('base64url'), secret };
}

export function parseSurveyToken(
  token: string,
): { tenantId: string; surveyId: string; secret: Buffer } | null {
  if (!/^[A-Za-z0-9_-]{64}$/.test(token)) return null;
  const b = Buffer.from(token, 'base64url');
  if (b.length !== 48) return null;
  const uuid = (h: string) =>
    `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return {
    tenantId: uuid(b.subarray(0, 16).toString('hex')),
    surveyId: uuid(b.subarray(16, 32).toString('hex')),
    secret: b.subarray(32),
  };
}

// A footprint entry while it is being typed: the form's strings, read into the API's body once they
// make one (no preview is asked for a half-typed entry).
import type { ActivityInput, PricedActivity } from '../../api/types';
import {
  activityOf,
  CATEGORIES,
  detailOptions,
  FLIGHT,
  locate,
  MONEY,
  usesDetail,
  type Category,
} from './categories';

export interface Draft extends Record<string, string> {
  category: string;
  kind: string;
  detail: string;
  /** The free category's activity and variant. */
  activity: string;
  variant: string;
  quantity: string;
  unit: string;
  periodFrom: string;
  periodTo: string;
  dataQuality: string;
  description: string;
  /** A flight by airports (IATA codes) or, with byDistance 'yes', by great-circle km one way. */
  from: string;
  to: string;
  byDistance: string;
  distanceKm: string;
  cabinClass: string;
  returnTrip: string;
  passengers: string;
  /** A fuel by money (unit MONEY): amount paid, currency, price per litre (optional) and its source. */
  amount: string;
  currency: string;
  pricePerLitre: string;
  priceSource: string;
}

const ENTRY_DEFAULTS = {
  from: '',
  to: '',
  byDistance: '',
  distanceKm: '',
  cabinClass: 'economy',
  returnTrip: 'yes',
  passengers: '1',
  amount: '',
  currency: 'GBP',
  pricePerLitre: '',
  priceSource: '',
};

export const categoryOf = (key: string): Category => CATEGORIES.find((c) => c.key === key) ?? CATEGORIES[0];

/** A new entry of a category for a year: its first kind and unit, the whole year. */
export function newDraft(categoryKey: string, year: number): Draft {
  const category = categoryOf(categoryKey);
  const kind = category.kinds[0];
  return {
    category: category.key,
    kind: kind?.value ?? '',
    detail: (kind ? detailOptions(category, kind.value) : (category.detail?.options ?? []))[0]?.value ?? '',
    activity: '',
    variant: '',
    quantity: '',
    unit: kind?.units[0] ?? '',
    periodFrom: `${year}-01-01`,
    periodTo: `${year + 1}-01-01`,
    dataQuality: '2',
    description: '',
    ...ENTRY_DEFAULTS,
  };
}

/** What a stored flight or fuel bought by money was entered as, in the form's strings. */
function enteredAs(a: PricedActivity): Partial<Draft> {
  const f = a.flight;
  if (f)
    return {
      category: 'travel',
      kind: FLIGHT,
      from: f.from ?? '',
      to: f.to ?? '',
      byDistance: f.from ? '' : 'yes',
      distanceKm: f.from ? '' : f.greatCircleKm,
      cabinClass: f.cabinClass,
      returnTrip: f.returnTrip ? 'yes' : '',
      passengers: String(f.passengers),
    };
  const m = a.fuelSpend;
  if (m)
    return {
      unit: MONEY,
      amount: m.amount,
      currency: m.currency,
      pricePerLitre: m.priceEntered ? m.pricePerLitre : '',
      priceSource: m.priceEntered ? m.priceSource : '',
    };
  return {};
}

/** A stored entry as the form shows it for editing. */
export function draftOf(a: PricedActivity): Draft {
  const { category, kind, detail } = locate(a.activity, a.variant);
  return {
    ...ENTRY_DEFAULTS,
    category: category.key,
    kind,
    detail,
    activity: category.free ? a.activity : '',
    variant: category.free ? (a.variant ?? '') : '',
    quantity: a.quantity,
    unit: a.unit,
    periodFrom: a.periodFrom,
    periodTo: a.periodTo,
    dataQuality: String(a.dataQuality),
    description: a.description ?? '',
    ...enteredAs(a),
  };
}

/** "1,250.5" (thousands) and "1250,5" (decimal comma) as the API's decimal string; undefined when not a number. */
export function decimal(text: string): string | undefined {
  let t = text.trim().replace(/\s/g, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  else if (/^\d+,\d+$/.test(t)) t = t.replace(',', '.');
  return /^\d+(\.\d+)?$/.test(t) ? t : undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Flight = NonNullable<ActivityInput['flight']>;
type FuelSpend = NonNullable<ActivityInput['fuelSpend']>;

/** The flight of a draft; undefined while incomplete. */
export function flightOf(d: Draft): Flight | undefined {
  const passengers = Number(d.passengers);
  if (!Number.isInteger(passengers) || passengers < 1) return undefined;
  const rest = {
    cabinClass: d.cabinClass as Flight['cabinClass'],
    returnTrip: d.returnTrip === 'yes',
    passengers,
  };
  if (d.byDistance === 'yes') {
    const distanceKm = decimal(d.distanceKm);
    return distanceKm && Number(distanceKm) > 0 ? { distanceKm, ...rest } : undefined;
  }
  const code = (s: string) => s.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code(d.from)) || !/^[A-Z]{3}$/.test(code(d.to))) return undefined;
  return { from: code(d.from), to: code(d.to), ...rest };
}

/** The money paid for a fuel; undefined while incomplete. */
export function fuelSpendOf(d: Draft): FuelSpend | undefined {
  const amount = decimal(d.amount);
  const price = d.pricePerLitre.trim() ? decimal(d.pricePerLitre) : '';
  if (!amount || price === undefined || !/^[A-Za-z]{3}$/.test(d.currency.trim())) return undefined;
  return {
    amount,
    currency: d.currency.trim().toUpperCase(),
    ...(price ? { pricePerLitre: price } : {}),
    ...(price && d.priceSource.trim() ? { priceSource: d.priceSource.trim() } : {}),
  };
}

/** The body to preview or send; undefined while the entry is incomplete. */
export function bodyOf(d: Draft): ActivityInput | undefined {
  const category = categoryOf(d.category);
  if (!DAY.test(d.periodFrom) || !DAY.test(d.periodTo) || d.periodTo <= d.periodFrom) return undefined;
  const common = {
    periodFrom: d.periodFrom,
    periodTo: d.periodTo,
    dataQuality: Number(d.dataQuality),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
  };
  if (!category.free && d.kind === FLIGHT) {
    const flight = flightOf(d);
    return flight ? { activity: 'business_travel_air', flight, ...common } : undefined;
  }
  if (!category.free && d.unit === MONEY) {
    const fuelSpend = fuelSpendOf(d);
    return fuelSpend ? { ...activityOf(d.kind), fuelSpend, ...common } : undefined;
  }
  const quantity = decimal(d.quantity);
  if (quantity === undefined || !d.unit.trim()) return undefined;
  const what = category.free
    ? { activity: d.activity.trim(), ...(d.variant.trim() ? { variant: d.variant.trim() } : {}) }
    : activityOf(d.kind, usesDetail(category, d.kind) ? d.detail : undefined);
  if (!what.activity) return undefined;
  return { ...what, quantity, unit: d.unit.trim(), ...common };
}

// A footprint entry while it is being typed: the form's strings, read into the API's body once they
// make one (no preview is asked for a half-typed entry).
import type { ActivityInput, PricedActivity } from '../../api/types';
import { activityOf, CATEGORIES, locate, usesDetail, type Category } from './categories';

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
}

export const categoryOf = (key: string): Category => CATEGORIES.find((c) => c.key === key) ?? CATEGORIES[0];

/** A new entry of a category for a year: its first kind and unit, the whole year. */
export function newDraft(categoryKey: string, year: number): Draft {
  const category = categoryOf(categoryKey);
  const kind = category.kinds[0];
  return {
    category: category.key,
    kind: kind?.value ?? '',
    detail: category.detail?.options[0].value ?? '',
    activity: '',
    variant: '',
    quantity: '',
    unit: kind?.units[0] ?? '',
    periodFrom: `${year}-01-01`,
    periodTo: `${year + 1}-01-01`,
    dataQuality: '2',
    description: '',
  };
}

/** A stored entry as the form shows it for editing. */
export function draftOf(a: PricedActivity): Draft {
  const { category, kind, detail } = locate(a.activity, a.variant);
  return {
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

/** The body to preview or send; undefined while the entry is incomplete. */
export function bodyOf(d: Draft): ActivityInput | undefined {
  const category = categoryOf(d.category);
  const quantity = decimal(d.quantity);
  if (quantity === undefined || !d.unit.trim()) return undefined;
  if (!DAY.test(d.periodFrom) || !DAY.test(d.periodTo) || d.periodTo <= d.periodFrom) return undefined;
  const what = category.free
    ? { activity: d.activity.trim(), ...(d.variant.trim() ? { variant: d.variant.trim() } : {}) }
    : activityOf(d.kind, usesDetail(category, d.kind) ? d.detail : undefined);
  if (!what.activity) return undefined;
  return {
    ...what,
    quantity,
    unit: d.unit.trim(),
    periodFrom: d.periodFrom,
    periodTo: d.periodTo,
    dataQuality: Number(d.dataQuality),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
  };
}

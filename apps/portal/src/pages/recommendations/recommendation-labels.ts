import { humanize } from '../../lib/format';

const TYPE_LABELS: Record<string, string> = {
  baseload: 'Always-on load',
  after_hours: 'After-hours use',
  peak_demand: 'Peak demand',
  load_shifting: 'Load shifting',
  pv_sizing: 'Solar PV',
  weather_sensitivity: 'Heating and cooling',
  anomaly: 'Unusual consumption',
  tariff: 'Tariff',
};
export const typeLabel = (t: string) => TYPE_LABELS[t] ?? humanize(t);

const NUMBER_UNITS: [RegExp, string][] = [
  [/[Kk]gCo2ePerKwh$/, ' (kg CO₂e/kWh)'],
  [/[Kk]gCo2e$/, ' (kg CO₂e)'],
  [/Kwh$/, ' (kWh)'],
  [/Kwp$/, ' (kWp)'],
  [/Kw$/, ' (kW)'],
  [/Pct$/, ' (%)'],
  [/M2$/, ' (m²)'],
];
/** `excessKw` → "Excess (kW)", `kgCo2ePerKwh` → "kg CO₂e/kWh". */
export function numberLabel(key: string): string {
  let unit = '';
  let k = key;
  for (const [re, u] of NUMBER_UNITS)
    if (re.test(k)) {
      k = k.replace(re, '');
      unit = u;
      break;
    }
  const words = k
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\bkwh\b/g, 'kWh')
    .replace(/\bkwp\b/g, 'kWp')
    .replace(/\bkw\b/g, 'kW');
  const bare = unit.trim().replace(/^\((.*)\)$/, '$1');
  // a key that is only a unit (kgCo2ePerKwh) reads as the unit itself; "cost per (kWp)" reads "cost per kWp"
  if (!words) return bare;
  const label = /\bper$/.test(words) ? `${words} ${bare}` : words + unit;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

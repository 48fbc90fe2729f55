import { type ReactNode } from 'react';
import { date, humanize, num } from '../../lib/format';

const UNIT_SUFFIXES: [RegExp, string][] = [
  [/KgCo2e$/, ' (kg CO₂e)'],
  [/Kwh$/, ' (kWh)'],
  [/Mwh$/, ' (MWh)'],
  [/Pct$/, ' (%)'],
  [/TonnesCo2e$/, ' (t CO₂e)'],
];
/** `renewableSharePct` → "Renewable share (%)". */
function figureLabel(key: string): string {
  let unit = '';
  let k = key;
  for (const [re, u] of UNIT_SUFFIXES)
    if (re.test(k)) {
      k = k.replace(re, '');
      unit = u;
      break;
    }
  const words = k
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\bco2e\b/g, 'CO₂e')
    .replace(/\bscope(\d)/g, 'Scope $1');
  return words.charAt(0).toUpperCase() + words.slice(1) + unit;
}

function FigureValue({ value, name = '' }: { value: unknown; name?: string }): ReactNode {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number' && /year/i.test(name)) return String(value);
  if (typeof value === 'number') return num(value, Math.abs(value) < 100 ? 2 : 0);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return date(value);
  if (typeof value === 'string' && /method|basis/i.test(name)) return humanize(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.join(', ');
    return (
      <ul className="figure-list">
        {value.map((v, i) => (
          <li key={i}>
            <FigureValue value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') return <Figures figures={value as Record<string, unknown>} nested />;
  return String(value);
}

// The headline figure first, then the rest in a reading order (the stored snapshot sorts its keys).
const FIGURE_ORDER = [
  'renewableSharePct',
  'reductionPct',
  'reductionKgCo2e',
  'from',
  'current',
  'base',
  'baseYear',
  'basePeriod',
  'to',
  'scope1KgCo2e',
  'scope2KgCo2e',
  'scope3KgCo2e',
  'totalKgCo2e',
];
const figureRank = (k: string) => {
  const i = FIGURE_ORDER.indexOf(k);
  return i < 0 ? FIGURE_ORDER.length : i;
};

export function Figures({ figures, nested }: { figures?: Record<string, unknown> | null; nested?: boolean }) {
  if (!figures || !Object.keys(figures).length)
    return <p className="muted">No figures yet: they come from your carbon inventory for the period.</p>;
  const entries = Object.entries(figures).sort(([a], [b]) => figureRank(a) - figureRank(b));
  return (
    <dl className={nested ? 'kv nested' : 'kv'} data-testid={nested ? undefined : 'claim-figures'}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{figureLabel(k)}</dt>
          <dd>
            <FigureValue value={v} name={k} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

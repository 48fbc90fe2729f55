/** Parsers of bench:pv's --tasks and --emphasis arguments. */
import { RowEmphasis } from '@halve/forecasting';

/**
 * Tasks of --tasks: comma-separated items, each a task or an inclusive range 'a..b'; the
 * older 'a-b' still reads as a range of non-negative tasks. Task k is the month k − 1 after
 * April 2013, so 0 is March 2013 and −4 November 2012 (validation months with no leaderboard
 * figures), e.g. --tasks -4..3 or --tasks -4..0,1..3.
 */
export function parseTasks(spec: string): number[] {
  return spec.split(',').flatMap((item) => {
    const m = /^(-?\d+)(?:\.\.(-?\d+))?$/.exec(item) ?? /^(\d+)-(\d+)$/.exec(item);
    if (!m) throw new Error(`--tasks: a task, a..b or a comma list of them, not ${item}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new Error(`--tasks: ${item} is an empty range (write the lower task first)`);
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

const EMPHASIS_KEYS = ['copies', 'recentDays', 'seasonDays', 'seasonLeadDays'];

/** --emphasis: none, or key=value pairs of RowEmphasis, each key known and each value a number. */
export function parseEmphasis(spec: string): RowEmphasis | undefined {
  if (spec === 'none') return undefined;
  const pairs = spec.split(',').map((kv) => kv.split('='));
  for (const [k, v] of pairs)
    if (!EMPHASIS_KEYS.includes(k) || v === undefined || !Number.isFinite(Number(v)))
      throw new Error(`--emphasis: none or ${EMPHASIS_KEYS.join('|')}=number pairs, not ${k}=${v}`);
  return { copies: 1, ...Object.fromEntries(pairs.map(([k, v]) => [k, Number(v)])) };
}

// What the spend review shows of a priced ledger line: its status, the price adjustment in words, and the
// totals by category (pure, tested with the page).
import type { SpendLine } from '../../api/types';

export type LineStatusKind = 'mapped' | 'unmapped' | 'double_counted' | 'excluded';

export interface LineStatus {
  kind: LineStatusKind;
  label: string;
  /** Why the line is not counted (the API's reason). */
  reason?: string;
}

export function lineStatus(l: SpendLine): LineStatus {
  const reason = l.excludedReason ?? undefined;
  if (!reason) return { kind: 'mapped', label: 'Mapped' };
  if (l.category === null && l.rule === 'none' && !reason.startsWith('duplicate of line'))
    return { kind: 'unmapped', label: 'Unmapped', reason };
  if (/double counting/.test(reason))
    return { kind: 'double_counted', label: 'Excluded: double counted', reason };
  return { kind: 'excluded', label: 'Excluded', reason };
}

/** "CPI-U (CUUR0000SA0) 2022/2024 = 0.9330", then the exchange rate when there is one, then notes. */
export function adjustmentParts(l: SpendLine): { index: string; fx?: string; notes: string[] } | null {
  if (!l.adjustment) return null;
  const [basis, ...rest] = l.adjustment.split('; ');
  const ratio = l.indexRatio ? ` = ${Number(l.indexRatio).toFixed(4)}` : '';
  const fxNote = rest.find((p) => p.includes('→'));
  const fx =
    fxNote && l.exchangeRate ? `${fxNote.split(' ')[0]} × ${Number(l.exchangeRate).toFixed(4)}` : fxNote;
  return { index: `${basis}${ratio}`, fx, notes: rest.filter((p) => p !== fxNote) };
}

export interface CategoryTotal {
  category: string;
  label: string;
  lines: number;
  /** Sum of the lines' amounts, in the ledger currency. */
  amount: number;
  kgCo2e: number;
}

/** The counted lines summed by category, largest emissions first. */
export function totalsByCategory(lines: SpendLine[]): CategoryTotal[] {
  const m = new Map<string, CategoryTotal>();
  for (const l of lines) {
    if (l.excludedReason || l.kgCo2e === null || l.category === null) continue;
    const t = m.get(l.category) ?? {
      category: l.category,
      label: l.categoryLabel ?? l.category,
      lines: 0,
      amount: 0,
      kgCo2e: 0,
    };
    t.lines += 1;
    t.amount += Number(l.amount);
    t.kgCo2e += Number(l.kgCo2e);
    m.set(l.category, t);
  }
  return [...m.values()].sort((a, b) => b.kgCo2e - a.kgCo2e);
}

/** The factor as a person reads it: "0.0848 kg CO2e/EUR (2019)". */
export const factorText = (l: SpendLine) =>
  l.factorValue === null ? '–' : `${l.factorValue} ${l.factorUnit ?? ''}`.trim();

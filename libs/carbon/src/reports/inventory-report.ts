import { csvLine } from '@halve/platform';
import type { InventoryView } from '../inventory/inventory-view.types';
import { CSV_COLUMNS } from './report-input';

// The inventory's exports: CSV here, XLSX (inventory-xlsx.ts) and PDF (inventory-pdf.ts) by sections.
export type { BaseYearSummary, ReportInput } from './report-input';
export { inventoryXlsx } from './inventory-xlsx';
export { inventoryPdf } from './inventory-pdf';

// ---- CSV ----

/** One row per inventory line (location- and market-based Scope 2 lines are told apart by `method`). */
export function inventoryCsv(inv: InventoryView): string {
  const rows = inv.lines.map((l) =>
    csvLine([
      l.scope,
      l.category,
      l.method,
      l.marketTier,
      l.siteId,
      l.meterId,
      l.month,
      l.source,
      l.quantity,
      l.unit,
      l.factor?.id,
      l.factor?.value,
      l.factor?.unit,
      l.factor?.source,
      l.factor?.edition,
      l.factor?.year,
      l.factor?.region,
      l.kgCo2e,
      l.flag,
      l.dataQuality,
    ]),
  );
  return `${CSV_COLUMNS.join(',')}\r\n${rows.map((r) => `${r}\r\n`).join('')}`;
}

import type { InventoryView } from '../inventory/inventory-view.types';
import type { InventoryTotals } from '../inventory/inventory.types';

/** The base-year figures a report shows next to the period's. */
export interface BaseYearSummary extends InventoryTotals {
  year: number;
  from: string;
  to: string;
}

export interface ReportInput {
  inventory: InventoryView;
  baseYear?: BaseYearSummary | null;
  generatedAt?: Date;
}

/** The columns of a line in the CSV export and the XLSX 'Lines' sheet. */
export const CSV_COLUMNS = [
  'scope',
  'category',
  'method',
  'marketTier',
  'siteId',
  'meterId',
  'month',
  'source',
  'quantity',
  'unit',
  'factorId',
  'factorValue',
  'factorUnit',
  'factorSource',
  'factorEdition',
  'factorYear',
  'factorRegion',
  'kgCo2e',
  'flag',
  'dataQuality',
] as const;

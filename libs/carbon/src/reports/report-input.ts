import type { InventoryView } from '../inventory/inventory-view.types';

/** The base-year figures a report shows next to the period's. */
export interface BaseYearSummary {
  year: number;
  from: string;
  to: string;
  scope1KgCo2e: number;
  scope2LocationKgCo2e: number;
  scope2MarketKgCo2e: number;
  scope3KgCo2e: number;
  totalLocationKgCo2e: number;
  totalMarketKgCo2e: number;
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

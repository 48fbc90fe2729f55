import type ExcelJSModule from 'exceljs';
import { spreadsheetSafeWorkbook } from '@halve/platform';
import type { InventoryView } from '../inventory/inventory-view.types';
import { CSV_COLUMNS, type ReportInput } from './report-input';

// exceljs is loaded on first use: with pdfkit ≈ 25 MB that most API processes never need
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJSModule;

type Workbook = InstanceType<typeof ExcelJSModule.Workbook>;

/** The inventory as a workbook: a summary sheet, then one sheet per table (lines, factors, sites, months, warnings). */
export async function inventoryXlsx(input: ReportInput): Promise<Buffer> {
  const inv = input.inventory;
  const wb = new (excel().Workbook)();
  wb.creator = 'Halve';
  wb.created = input.generatedAt ?? new Date();
  summarySheet(wb, input);
  linesSheet(wb, inv);
  factorsSheet(wb, inv);
  breakdownSheets(wb, inv);
  // Tenant text (organisation, site and factor names, sources, editions, warnings) never reaches a cell as a formula.
  spreadsheetSafeWorkbook(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function summarySheet(wb: Workbook, input: ReportInput): void {
  const inv = input.inventory;
  const summary = wb.addWorksheet('Summary');
  summary.columns = [{ width: 42 }, { width: 22 }, { width: 22 }];
  summary.addRows([
    ['Greenhouse gas inventory', inv.organization.name],
    ['Period', `${inv.period.from} to ${inv.period.to} (exclusive), ${inv.period.timezone}`],
    ['Emission-factor library version', inv.factorLibraryVersion],
    [],
    ['', 'kg CO2e', 't CO2e'],
    ['Scope 1', inv.scope1KgCo2e, inv.scope1KgCo2e / 1000],
    ['Scope 2 (location-based)', inv.scope2LocationKgCo2e, inv.scope2LocationKgCo2e / 1000],
    ['Scope 2 (market-based)', inv.scope2MarketKgCo2e, inv.scope2MarketKgCo2e / 1000],
    ['Scope 3', inv.scope3KgCo2e, inv.scope3KgCo2e / 1000],
    ['Total (location-based Scope 2)', inv.totalLocationKgCo2e, inv.totalLocationKgCo2e / 1000],
    ['Total (market-based Scope 2)', inv.totalMarketKgCo2e, inv.totalMarketKgCo2e / 1000],
    [],
    ['Scope 3 by category', 'kg CO2e'],
    ...Object.entries(inv.scope3ByCategoryKgCo2e).map(([k, v]) => [k, v]),
    [],
    ['Purchased electricity (kWh)', inv.purchasedElectricityKwh],
    ['Exported electricity (kWh, reported separately, never netted)', inv.exportedElectricityKwh],
  ]);
  if (input.baseYear) {
    const b = input.baseYear;
    summary.addRows([
      [],
      [`Base year ${b.year}`, 'kg CO2e'],
      ['Scope 1', b.scope1KgCo2e],
      ['Scope 2 (location-based)', b.scope2LocationKgCo2e],
      ['Scope 2 (market-based)', b.scope2MarketKgCo2e],
      ['Scope 3', b.scope3KgCo2e],
    ]);
  }
  summary.getRow(1).font = { bold: true, size: 14 };
  summary.getRow(5).font = { bold: true };
}

function linesSheet(wb: Workbook, inv: InventoryView): void {
  const lines = wb.addWorksheet('Lines');
  lines.columns = CSV_COLUMNS.map((c) => ({
    header: c,
    key: c,
    width: c === 'source' || c === 'factorId' || c === 'factorSource' ? 40 : 14,
  }));
  for (const l of inv.lines) {
    lines.addRow({
      scope: l.scope,
      category: l.category,
      method: l.method,
      marketTier: l.marketTier,
      siteId: l.siteId,
      meterId: l.meterId,
      month: l.month,
      source: l.source,
      quantity: l.quantity,
      unit: l.unit,
      factorId: l.factor?.id,
      factorValue: l.factor ? Number(l.factor.value) : null,
      factorUnit: l.factor?.unit,
      factorSource: l.factor?.source,
      factorEdition: l.factor?.edition,
      factorYear: l.factor?.year,
      factorRegion: l.factor?.region,
      kgCo2e: l.kgCo2e,
      flag: l.flag,
      dataQuality: l.dataQuality,
    });
  }
  lines.getRow(1).font = { bold: true };
}

function factorsSheet(wb: Workbook, inv: InventoryView): void {
  const factors = wb.addWorksheet('Factors used');
  factors.columns = [
    { header: 'id', key: 'id', width: 50 },
    { header: 'value', key: 'value', width: 14 },
    { header: 'unit', key: 'unit', width: 10 },
    { header: 'source', key: 'source', width: 40 },
    { header: 'edition', key: 'edition', width: 16 },
    { header: 'year', key: 'year', width: 8 },
    { header: 'region', key: 'region', width: 10 },
    { header: 'GWP set', key: 'gwpSet', width: 8 },
    { header: 'label', key: 'label', width: 60 },
    { header: 'licence', key: 'licence', width: 40 },
  ];
  for (const f of inv.factorsUsed) factors.addRow({ ...f, value: Number(f.value) });
  factors.getRow(1).font = { bold: true };
}

/** By site, by month and the warnings, one sheet each. */
function breakdownSheets(wb: Workbook, inv: InventoryView): void {
  const sites = wb.addWorksheet('By site');
  sites.columns = [
    { header: 'siteId', key: 'siteId', width: 38 },
    { header: 'scope1KgCo2e', key: 'scope1KgCo2e', width: 16 },
    { header: 'scope2LocationKgCo2e', key: 'scope2LocationKgCo2e', width: 20 },
    { header: 'scope2MarketKgCo2e', key: 'scope2MarketKgCo2e', width: 20 },
    { header: 'scope3KgCo2e', key: 'scope3KgCo2e', width: 16 },
  ];
  for (const s of inv.bySite) sites.addRow(s);

  const months = wb.addWorksheet('By month');
  months.columns = [
    { header: 'month', key: 'month', width: 10 },
    { header: 'scope1KgCo2e', key: 'scope1KgCo2e', width: 16 },
    { header: 'scope2LocationKgCo2e', key: 'scope2LocationKgCo2e', width: 20 },
    { header: 'scope3KgCo2e', key: 'scope3KgCo2e', width: 16 },
  ];
  for (const m of inv.byMonth) months.addRow(m);

  const warnings = wb.addWorksheet('Warnings');
  warnings.columns = [
    { header: 'code', key: 'code', width: 28 },
    { header: 'message', key: 'message', width: 120 },
  ];
  for (const w of inv.warnings) warnings.addRow(w);
}

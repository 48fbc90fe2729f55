import type ExcelJSModule from 'exceljs';
import type PDFKit from 'pdfkit';

// exceljs and pdfkit are loaded on first use: together ≈ 25 MB that most API processes never need
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJSModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfkit = () => require('pdfkit') as typeof PDFKit;
import { csvLine, spreadsheetSafeWorkbook } from '@halve/platform';
import { SCOPE3_CATEGORY_NAMES } from '../inventory/compute-inventory';
import type { InventoryView } from '../inventory.service';

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

// ---- CSV ----

const CSV_COLUMNS = [
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

// ---- XLSX ----

export async function inventoryXlsx(input: ReportInput): Promise<Buffer> {
  const inv = input.inventory;
  const wb = new (excel().Workbook)();
  wb.creator = 'Halve';
  wb.created = input.generatedAt ?? new Date();
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

  // Tenant text (organisation, site and factor names, sources, editions, warnings) never reaches a cell as a formula.
  spreadsheetSafeWorkbook(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- PDF ----

/** The standard PDF fonts are WinAnsi: spell out what they cannot show. */
function t(s: unknown): string {
  return String(s ?? '')
    .replace(/₂/g, '2')
    .replace(/[→]/g, '->')
    .replace(/✔/g, '[checked]')
    .replace(/◐/g, '[partly checked]')
    .replace(/✘/g, '[unconfirmed]')
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/≥/g, '>=')
    .replace(/[^\t\n\r\u0020-\u00ff]/g, '?');
}

const fmt = (n: number | null | undefined, dp = 3) =>
  n === null || n === undefined
    ? '-'
    : n.toLocaleString('en-GB', { minimumFractionDigits: dp, maximumFractionDigits: dp });

export async function inventoryPdf(input: ReportInput): Promise<Buffer> {
  const inv = input.inventory;
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: `GHG inventory ${inv.organization.name} ${inv.period.from}`,
      Author: 'Halve',
      Creator: 'Halve',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  const h1 = (s: string) =>
    doc
      .moveDown(0.8)
      .font('Helvetica-Bold')
      .fontSize(13)
      .fillColor('#000')
      .text(t(s), left)
      .moveDown(0.3)
      .font('Helvetica')
      .fontSize(9.5);
  const p = (s: string) => doc.font('Helvetica').fontSize(9.5).text(t(s), left, undefined, { width });
  const table = (
    headers: string[],
    widths: number[],
    rows: (string | number | null | undefined)[][],
    align: ('left' | 'right')[] = [],
  ) => {
    const total = widths.reduce((a, b) => a + b, 0);
    const w = widths.map((x) => (x / total) * width);
    const draw = (cells: (string | number | null | undefined)[], bold: boolean) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      const heights = cells.map((c, i) => doc.heightOfString(t(c), { width: w[i] - 4 }));
      const h = Math.max(...heights, 10) + 3;
      if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
      const y = doc.y;
      let x = left;
      cells.forEach((c, i) => {
        doc.text(t(c), x + 2, y + 1.5, { width: w[i] - 4, align: align[i] ?? 'left' });
        x += w[i];
      });
      doc
        .moveTo(left, y + h)
        .lineTo(left + width, y + h)
        .lineWidth(0.3)
        .strokeColor('#999')
        .stroke();
      doc.x = left;
      doc.y = y + h;
    };
    draw(headers, true);
    for (const r of rows) draw(r, false);
    doc.font('Helvetica').fontSize(9.5).moveDown(0.3);
  };

  doc.font('Helvetica-Bold').fontSize(18).text('Greenhouse gas emissions inventory', left);
  doc.font('Helvetica').fontSize(11).text(t(inv.organization.name)).moveDown(0.2);
  p(
    `Reporting period: ${inv.period.from} to ${inv.period.to} (end exclusive; dates at midnight ${inv.period.timezone}).`,
  );
  p(
    `Prepared following the GHG Protocol Corporate Accounting and Reporting Standard and its Scope 2 Guidance (dual reporting). Generated by Halve on ${(input.generatedAt ?? new Date()).toISOString().slice(0, 10)}; emission-factor library version ${inv.factorLibraryVersion}; data fingerprint ${inv.dataHash.slice(0, 16)}.`,
  );

  h1('1. Organisational boundary');
  p(
    'Consolidation approach: operational control - every site of the organisation recorded in Halve is included in full. Sites in the boundary:',
  );
  table(
    ['Site', 'Grid region (factor region)', 'Site id'],
    [3, 2, 4],
    inv.sites.length
      ? inv.sites.map((s) => [s.name, s.gridRegion, s.id])
      : [['(no sites recorded; activity data only)', '', '']],
  );

  h1('2. Operational boundary');
  const cats = Object.keys(inv.scope3ByCategoryKgCo2e);
  p(
    'Scope 1: stationary and mobile combustion and fugitive (refrigerant) emissions from activity data and fuel meters. Scope 2: purchased electricity and heat, reported both location-based and market-based. Scope 3: the categories below where activity data exist.',
  );
  p(`Scope 3 categories reported: ${cats.length ? cats.join(', ') : 'none'}.`);

  h1('3. Emissions summary');
  table(
    ['', 'kg CO2e', 't CO2e'],
    [4, 2, 2],
    [
      ['Scope 1 (direct)', fmt(inv.scope1KgCo2e), fmt(inv.scope1KgCo2e / 1000)],
      ['Scope 2 - location-based', fmt(inv.scope2LocationKgCo2e), fmt(inv.scope2LocationKgCo2e / 1000)],
      ['Scope 2 - market-based', fmt(inv.scope2MarketKgCo2e), fmt(inv.scope2MarketKgCo2e / 1000)],
      ['Scope 3 (reported categories)', fmt(inv.scope3KgCo2e), fmt(inv.scope3KgCo2e / 1000)],
      ['Total, Scope 2 location-based', fmt(inv.totalLocationKgCo2e), fmt(inv.totalLocationKgCo2e / 1000)],
      ['Total, Scope 2 market-based', fmt(inv.totalMarketKgCo2e), fmt(inv.totalMarketKgCo2e / 1000)],
    ],
    ['left', 'right', 'right'],
  );
  if (cats.length) {
    table(
      ['Scope 3 category', 'kg CO2e'],
      [5, 2],
      Object.entries(inv.scope3ByCategoryKgCo2e).map(([k, v]) => [k, fmt(v)]),
      ['left', 'right'],
    );
  }
  if (inv.intensities) {
    const i = inv.intensities;
    const rows: string[][] = [];
    if (i.perM2)
      rows.push([
        `per m2 floor area (${fmt(inv.denominators.floorAreaM2, 0)} m2)`,
        fmt(i.perM2.location),
        fmt(i.perM2.market),
      ]);
    if (i.perEmployee)
      rows.push([
        `per employee (${fmt(inv.denominators.employees, 0)})`,
        fmt(i.perEmployee.location),
        fmt(i.perEmployee.market),
      ]);
    if (i.perRevenue)
      rows.push([
        `per ${inv.denominators.currency} revenue`,
        fmt(i.perRevenue.location, 6),
        fmt(i.perRevenue.market, 6),
      ]);
    if (rows.length)
      table(['Intensity (kg CO2e)', 'location-based', 'market-based'], [4, 2, 2], rows, [
        'left',
        'right',
        'right',
      ]);
  }

  h1('4. Scope 2: both figures');
  p(
    `Purchased electricity: ${fmt(inv.purchasedElectricityKwh, 0)} kWh. Location-based: ${fmt(inv.scope2LocationKgCo2e)} kg CO2e at grid-average factors. Market-based: ${fmt(inv.scope2MarketKgCo2e)} kg CO2e after contractual instruments (certificates, then contracts, then supplier rates), the rest at the residual mix where one is published, otherwise at the grid average (disclosed below).`,
  );
  p(
    `Exported electricity: ${fmt(inv.exportedElectricityKwh, 0)} kWh, reported separately and never subtracted from purchases.`,
  );
  if (inv.onSiteGeneration.length) {
    table(
      [
        'Site',
        'Generated kWh',
        'Exported kWh',
        'Self-consumed kWh (renewable consumption)',
        'Certificates sold',
      ],
      [3, 2, 2, 3, 1.5],
      inv.onSiteGeneration.map((g) => [
        g.siteId,
        fmt(g.generationKwh, 0),
        fmt(g.exportedKwh, 0),
        fmt(g.selfConsumedKwh, 0),
        g.certificatesSold ? 'yes' : 'no',
      ]),
      ['left', 'right', 'right', 'right', 'left'],
    );
  }
  if (inv.instruments.length) {
    table(
      ['Instrument', 'Type', 'Applied', 'Allocated kWh', 'Quality issues'],
      [3, 1.2, 1, 1.6, 4],
      inv.instruments.map((i) => [
        i.id,
        i.type,
        i.accepted ? 'yes' : 'no',
        fmt(i.allocatedKwh, 0),
        i.issues.map((x) => x.message).join('; ') || 'none',
      ]),
      ['left', 'left', 'left', 'right', 'left'],
    );
  } else {
    p('No contractual instruments in the period.');
  }

  h1('5. Emissions by site');
  table(
    ['Site', 'Scope 1', 'Scope 2 location', 'Scope 2 market', 'Scope 3'],
    [3, 2, 2, 2, 2],
    inv.bySite.map((s) => [
      inv.sites.find((x) => x.id === s.siteId)?.name ?? s.siteId,
      fmt(s.scope1KgCo2e),
      fmt(s.scope2LocationKgCo2e),
      fmt(s.scope2MarketKgCo2e),
      fmt(s.scope3KgCo2e),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );

  h1('6. Base year');
  if (input.baseYear) {
    const b = input.baseYear;
    p(
      `Base year ${b.year} (${b.from} to ${b.to}): Scope 1 ${fmt(b.scope1KgCo2e)} kg; Scope 2 location-based ${fmt(b.scope2LocationKgCo2e)} kg, market-based ${fmt(b.scope2MarketKgCo2e)} kg; Scope 3 ${fmt(b.scope3KgCo2e)} kg CO2e.`,
    );
  } else {
    p(
      inv.organization.baseYear
        ? `Base year ${inv.organization.baseYear}.`
        : 'No base year is set for the organisation.',
    );
  }
  p(
    'Recalculation policy: the base year is recalculated for structural changes (acquisitions, divestments, outsourcing), changes of method, factor corrections and discovered errors when their effect, alone or together, is above 5 % of base-year emissions; organic growth or decline never triggers it. Every recalculation is stored with the previous result and the difference.',
  );

  h1('7. Methodology');
  p(
    "Emissions = activity quantity x emission factor, in exact decimal arithmetic; results rounded to 0.001 kg CO2e only when reported. Metered energy is taken from monthly meter totals in each site's local calendar; activity data whose period reaches outside the reporting period are prorated by days. Factors are selected for the activity's data year (else the nearest earlier year, else the nearest later, named as a proxy), region (falling back from a sub-grid to its country), unit and calorific basis; metered gas kWh are taken as gross CV. A tenant's own factors (e.g. supplier-specific) take precedence and are listed below with their evidence. GWP-100 values are those of each factor's source (GWP set column). Upstream transmission and distribution losses of purchased electricity are Scope 3 category 3 where a factor exists. Self-consumed on-site solar or wind output is zero-emission and is not subtracted from purchases.",
  );

  h1('8. Emission factors used');
  table(
    ['Factor', 'Value', 'Source, edition', 'Year', 'Region', 'GWP'],
    [4.5, 1.6, 3.5, 0.8, 1, 0.8],
    inv.factorsUsed.map((f) => [
      `${f.id}${f.tenantFactor ? ' (organisation factor)' : ''}`,
      `${f.value} kg/${f.unit}`,
      `${f.source}, ${f.edition}`,
      f.year,
      f.region,
      f.gwpSet,
    ]),
  );

  h1('9. Exclusions, data gaps and disclosures');
  const flagged = inv.lines.filter((l) => l.kgCo2e === null);
  const notReported = Object.values(SCOPE3_CATEGORY_NAMES).filter((c) => !cats.includes(c));
  p(`Scope 3 categories not reported (no activity data recorded): ${notReported.join(', ')}.`);
  if (flagged.length)
    p(`${flagged.length} line(s) could not be priced and are excluded from the totals (see warnings).`);
  if (inv.warnings.length) {
    table(
      ['Code', 'Disclosure'],
      [2, 7],
      inv.warnings.map((w) => [w.code, w.message]),
    );
  } else {
    p('No warnings.');
  }

  h1('10. Sources and licences');
  const licences = [...new Set(inv.factorsUsed.map((f) => `${f.source}: ${f.licence}`))];
  for (const l of licences) p(`- ${l}`);

  doc.end();
  return done;
}

import {
  BillRuleError,
  billDays,
  billFactor,
  billInstants,
  billReadings,
  billUnit,
  reconcile,
  splitBillByDays,
} from './bill-rules';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { billColumns, billFromRow } from './bill-file';
import { greenButtonBills } from './bill-green-button';
import { parseGreenButton } from './import/green-button';

const electricity = {
  kind: 'electricity_import',
  unit: 'kWh',
  intervalMinutes: null,
  gasCalorificValueKwhPerM3: null,
} as const;
const gas = {
  kind: 'natural_gas',
  unit: 'kWh',
  intervalMinutes: null,
  gasCalorificValueKwhPerM3: null,
} as const;

describe('bill rules', () => {
  it('golden: 15 Jan – 14 Feb, 3,100 kWh, split by days (both ends included)', () => {
    // 15..31 January = 17 days, 1..14 February = 14 days: 31 days, 3,100 ÷ 31 = 100 kWh a day
    expect(billDays('2025-01-15', '2025-02-14')).toBe(31);
    const shares = splitBillByDays('2025-01-15', '2025-02-14', 3100);
    expect(shares).toEqual([
      { month: '2025-01', from: '2025-01-15', to: '2025-01-31', days: 17, quantity: 1700 },
      { month: '2025-02', from: '2025-02-01', to: '2025-02-14', days: 14, quantity: 1400 },
    ]);
    expect(shares.reduce((s, x) => s + x.quantity, 0)).toBe(3100);
  });

  it('gives each day an equal share, a clock-change day included, and spans three months', () => {
    // 20 Mar – 5 May 2025: 12 + 30 + 5 = 47 days; the 23-hour 30 March counts as one day
    const shares = splitBillByDays('2025-03-20', '2025-05-05', 4700);
    expect(shares.map((s) => [s.month, s.days, s.quantity])).toEqual([
      ['2025-03', 12, 1200],
      ['2025-04', 30, 3000],
      ['2025-05', 5, 500],
    ]);
    // a leap February
    expect(splitBillByDays('2024-02-01', '2024-02-29', 29)).toEqual([
      { month: '2024-02', from: '2024-02-01', to: '2024-02-29', days: 29, quantity: 29 },
    ]);
  });

  it("writes one reading per month share, periodEnd exclusive at the local midnight after the share's last day", () => {
    const readings = billReadings(splitBillByDays('2025-01-15', '2025-02-14', 3100), 'Europe/London');
    expect(readings).toEqual([
      { ts: new Date('2025-01-15T00:00:00Z'), periodEnd: new Date('2025-02-01T00:00:00Z'), value: 1700 },
      { ts: new Date('2025-02-01T00:00:00Z'), periodEnd: new Date('2025-02-15T00:00:00Z'), value: 1400 },
    ]);
    expect(billInstants('2025-06-01', '2025-06-30', 'America/New_York')).toEqual({
      start: new Date('2025-06-01T04:00:00Z'),
      end: new Date('2025-07-01T04:00:00Z'),
    });
  });

  it('refuses a period that ends before it starts, a bad date, or more than a year', () => {
    expect(() => billDays('2025-02-14', '2025-01-15')).toThrow(BillRuleError);
    expect(() => billDays('2025-02-30', '2025-03-01')).toThrow(/periodFrom must be a date/);
    expect(() => billDays('2024-01-01', '2025-01-31')).toThrow(/at most 366 days/);
    expect(billDays('2025-03-01', '2025-03-01')).toBe(1);
  });

  it('converts therms and m³ of gas to kWh (therm = 29.307107 kWh; m³ at the meter calorific value)', () => {
    expect(billUnit('Therms', gas)).toBe('therm');
    // 1 US therm = 100,000 Btu(IT) = 105,505,585.262 J; 1 kWh = 3,600,000 J: 100 therms = 2,930.7107 kWh
    expect(100 * billFactor('therm', 'kWh', gas)).toBeCloseTo((100 * 105_505_585.262) / 3_600_000, 9);
    expect(100 * billFactor('therm', 'kWh', gas)).toBeCloseTo(2930.7107, 4);
    expect(billFactor('m3', 'kWh', { ...gas, gasCalorificValueKwhPerM3: 11.2 })).toBeCloseTo(11.2, 12);
    expect(billFactor('MWh', 'kWh', electricity)).toBe(1000);
    expect(() => billUnit('therm', electricity)).toThrow(/kWh, MWh/);
    expect(() => billUnit('kWh', { ...electricity, kind: 'water' })).toThrow(
      /electricity import and natural gas/,
    );
  });

  it('reconciles against interval data: flagged beyond 2 % of the interval sum', () => {
    expect(reconcile(1050, 1000)).toEqual({ intervalQuantity: 1000, differencePercent: 5, flagged: true });
    expect(reconcile(1020, 1000).flagged).toBe(false);
    expect(reconcile(979, 1000).flagged).toBe(true);
    expect(reconcile(10, 0)).toEqual({ intervalQuantity: 0, differencePercent: null, flagged: true });
  });

  it('reads a bulk row by header names, in any case and spacing', () => {
    const columns = billColumns([
      'Meter ID',
      'period_from',
      'Period To',
      'QUANTITY',
      'unit',
      'Cost',
      'tariff-name',
    ]);
    const bill = billFromRow(columns, [
      'm-1',
      '2025-01-15',
      new Date('2025-02-14T00:00:00Z'),
      '3,100',
      'kWh',
      812.5,
      'Fix',
    ]);
    expect(bill).toMatchObject({
      meterId: 'm-1',
      periodTo: '2025-02-14',
      quantity: 3100,
      cost: 812.5,
      tariffName: 'Fix',
    });
    expect(() => billFromRow(columns, ['m-1', '2025-01-15', '2025-02-14', 'lots', 'kWh'])).toThrow(
      /quantity must be a number/,
    );
    expect(() => billColumns(['meter', 'from', 'to'])).toThrow(
      /lacks meterId \(or commodity\), periodFrom, periodTo, quantity, unit/,
    );
    // a business without a meter: commodity and supply address instead of meterId
    const noMeter = billColumns(
      ['Commodity', 'Supply address', 'From', 'To', 'Quantity', 'Unit'].map((h) =>
        h === 'From' ? 'periodFrom' : h === 'To' ? 'periodTo' : h,
      ),
    );
    expect(
      billFromRow(noMeter, ['Gas', '3 Mill Lane', '2025-01-01', '2025-03-31', '4500', 'kWh']),
    ).toMatchObject({
      meterId: undefined,
      commodity: 'gas',
      supplyAddress: '3 Mill Lane',
    });
    expect(() =>
      billFromRow(noMeter, ['', '3 Mill Lane', '2025-01-01', '2025-03-31', '4500', 'kWh']),
    ).toThrow(/meterId is empty/);
  });

  it('turns a Green Button billing feed into one bill per period, local dates inclusive, Wh into kWh', () => {
    const xml = readFileSync(
      join(__dirname, '../../../test/fixtures/metering/espi-synthetic-gas-monthly-bill.xml'),
      'utf8',
    );
    const entries = greenButtonBills(parseGreenButton(xml), { ...gas, id: 'g' }, 'America/New_York');
    // 1 Feb 2023 00:00 EST + 28 days → the bill 1 Feb – 28 Feb; March ends at 1 April 00:00 EDT (31 days less an hour)
    expect(entries.map((e) => e.bill)).toEqual([
      {
        meterId: 'g',
        periodFrom: '2023-01-01',
        periodTo: '2023-01-31',
        quantity: 102.345,
        unit: 'therm',
        cost: 153.5175,
        currency: 'USD',
      },
      {
        meterId: 'g',
        periodFrom: '2023-02-01',
        periodTo: '2023-02-28',
        quantity: 95.012,
        unit: 'therm',
        cost: 142.518,
        currency: 'USD',
      },
      {
        meterId: 'g',
        periodFrom: '2023-03-01',
        periodTo: '2023-03-31',
        quantity: 71.23,
        unit: 'therm',
        cost: 106.845,
        currency: 'USD',
      },
      {
        meterId: 'g',
        periodFrom: '2023-04-01',
        periodTo: '2023-04-30',
        quantity: 40.005,
        unit: 'therm',
        cost: 60.0075,
        currency: 'USD',
      },
    ]);
    const wh = xml.replace('<uom>169</uom>', '<uom>72</uom>').replace('<kind>1</kind>', '<kind>0</kind>');
    const [first] = greenButtonBills(parseGreenButton(wh), { ...electricity, id: 'e' }, 'America/New_York');
    expect(first.bill).toMatchObject({ quantity: 0.102345, unit: 'kWh' });
  });
});

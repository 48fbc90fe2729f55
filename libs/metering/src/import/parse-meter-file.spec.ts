import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { FileRejectedError, type FileRejectionCode } from './file-rejected-error';
import type { ImportOptions } from './import-types';
import { parseMeterFile } from './parse-meter-file';
import { collect, sum, textStream } from './test-helpers';

const FIXTURES = join(__dirname, '../../../../test/fixtures/metering');
const fixture = (name: string): string => join(FIXTURES, name);

const ELEC: Pick<ImportOptions, 'register' | 'meterKind' | 'meterUnit'> = {
  register: 'interval',
  meterKind: 'electricity_import',
  meterUnit: 'kWh',
};
const NOW = new Date('2025-06-01T00:00:00Z');

async function rejection(
  input: Parameters<typeof parseMeterFile>[0],
  o: ImportOptions,
): Promise<FileRejectedError> {
  try {
    await collect(parseMeterFile(input, o));
  } catch (e) {
    if (e instanceof FileRejectedError) return e;
    throw e;
  }
  throw new Error('the file was not refused');
}

async function expectRejected(
  text: string | Buffer,
  o: ImportOptions,
  code: FileRejectionCode,
  message?: RegExp,
): Promise<FileRejectedError> {
  const e = await rejection(textStream(text), o);
  expect(e.code).toBe(code);
  if (message) expect(e.message).toMatch(message);
  return e;
}

/** Last Sunday of a month (UTC calendar), by walking back from the month's last day. */
function lastSunday(year: number, month0: number): number {
  let d = new Date(Date.UTC(year, month0 + 1, 0));
  while (d.getUTCDay() !== 0) d = new Date(d.getTime() - 86_400_000);
  return d.getUTCDate();
}
/** n-th Sunday of a month. */
function nthSunday(year: number, month0: number, n: number): number {
  let day = 1;
  while (new Date(Date.UTC(year, month0, day)).getUTCDay() !== 0) day++;
  return day + 7 * (n - 1);
}
const pad = (n: number): string => String(n).padStart(2, '0');

describe('parseMeterFile: real files', () => {
  it('CSV: a BDG2 London office, hourly kWh (timestamp,kwh), with its clock-change rows rejected', async () => {
    const path = fixture('bdg2-robin-office-serena.csv');
    // independent reference: split lines; the UK clock changes are at 01:00 local on the last
    // Sundays of March (01:00 does not exist) and October (01:00 happens twice, shown once)
    const clock = new Set<string>();
    for (const y of [2016, 2017]) {
      clock.add(`${y}-03-${pad(lastSunday(y, 2))} 01:00:00`);
      clock.add(`${y}-10-${pad(lastSunday(y, 9))} 01:00:00`);
    }
    const rows = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const good = rows.filter(([t, v]) => v !== '' && !clock.has(t));
    const c = await collect(
      parseMeterFile(createReadStream(path), {
        ...ELEC,
        timezone: 'Europe/London',
        intervalMinutes: 60,
        now: NOW,
      }),
    );
    expect(c.readings).toHaveLength(good.length);
    expect(sum(c.readings.map((r) => r.value))).toBeCloseTo(sum(good.map(([, v]) => Number(v))), 6);
    expect(c.errors).toHaveLength(rows.length - good.length);
    expect(c.errors.filter((e) => /does not exist in Europe\/London/.test(e.message))).toHaveLength(2);
    expect(c.errors.filter((e) => /is ambiguous in Europe\/London/.test(e.message))).toHaveLength(2);
    // every reading on a distinct UTC hour
    expect(new Set(c.readings.map((r) => r.ts.getTime())).size).toBe(c.readings.length);
    // the first row is local midnight GMT
    expect(c.readings[0].ts.toISOString()).toBe('2016-01-01T00:00:00.000Z');
  });

  it('refuses the UCI steel plant 15-minute file for an hourly meter once, naming both intervals, instead of rejecting 3 rows in 4', async () => {
    const e = await rejection(createReadStream(fixture('uci-steel-2018-01.csv')), {
      ...ELEC,
      timezone: 'Asia/Seoul',
      intervalMinutes: 60,
      timestampPosition: 'end',
      now: NOW,
    });
    expect(e.code).toBe('INTERVAL_MISMATCH');
    expect(e.details).toEqual({ fileIntervalMinutes: 15, meterIntervalMinutes: 60 });
    expect(e.message).toMatch(/every 15 minutes, but the meter records 1-hour intervals/);
    // the same file is accepted by a 15-minute meter (next test), and a few off-grid rows are only row errors
    const few = [
      'timestamp,kWh',
      ...Array.from(
        { length: 30 },
        (_, i) => `2024-01-01 ${String(i % 24).padStart(2, '0')}:${i === 7 ? '30' : '00'},1`,
      ),
    ].join('\n');
    const c = await collect(
      parseMeterFile(textStream(few), { ...ELEC, timezone: 'UTC', intervalMinutes: 60, now: NOW }),
    );
    expect(c.errors.filter((x) => /not on the meter's 60-minute grid/.test(x.message))).toHaveLength(1);
  });

  it('CSV: the UCI steel plant, dd/mm/yyyy 15-min interval-end rows whose midnight carries the previous date', async () => {
    const path = fixture('uci-steel-2018-01.csv');
    const lines = readFileSync(path, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    const values = lines.slice(1).map((l) => Number(l.split(',')[1]));
    const c = await collect(
      parseMeterFile(createReadStream(path), {
        ...ELEC,
        timezone: 'Asia/Seoul',
        intervalMinutes: 15,
        timestampPosition: 'end',
        now: NOW,
      }),
    );
    expect(c.errors).toEqual([]);
    expect(c.readings).toHaveLength(values.length);
    expect(sum(c.readings.map((r) => r.value))).toBeCloseTo(sum(values), 6);
    expect(new Set(c.readings.map((r) => r.ts.getTime())).size).toBe(values.length);
    // '01/01/2018 00:15' ends the first interval, which starts at local midnight (KST = UTC+9)
    expect(c.readings[0].ts.toISOString()).toBe('2017-12-31T15:00:00.000Z');
    // row 97, '01/01/2018 00:00', is the midnight ending 1 January: its interval starts 23:45 KST
    expect(c.readings[95].ts.toISOString()).toBe('2018-01-01T14:45:00.000Z');
    // the readings tile January exactly: 31 days × 96
    const times = c.readings.map((r) => r.ts.getTime()).sort((a, b) => a - b);
    expect((times[times.length - 1] - times[0]) / 900_000 + 1).toBe(31 * 96);
    expect(c.warnings.some((w) => /same date/.test(w))).toBe(true);
  });

  it('Green Button: the OpenESPI 15-minute reference feed (Wh, cost, reading qualities)', async () => {
    const path = fixture('espi-openespi-15min-14days.xml');
    const xml = readFileSync(path, 'utf8');
    // independent reference: regex over the IntervalReadings
    const readings = [...xml.matchAll(/<IntervalReading>([\s\S]*?)<\/IntervalReading>/g)].map((m) => m[1]);
    const wh = readings.map((r) => Number(/<value>(\d+)<\/value>/.exec(r)?.[1]));
    const cost = readings.map((r) => Number(/<cost>(\d+)<\/cost>/.exec(r)?.[1]));
    const c = await collect(
      parseMeterFile(createReadStream(path), {
        ...ELEC,
        timezone: 'America/New_York',
        intervalMinutes: 15,
        now: NOW,
      }),
    );
    expect(c.errors).toEqual([]);
    expect(c.readings).toHaveLength(readings.length);
    expect(sum(c.readings.map((r) => r.value))).toBeCloseTo(sum(wh) / 1000, 9);
    expect(sum(c.readings.map((r) => r.cost ?? 0))).toBeCloseTo(sum(cost) / 100_000, 9);
    expect(c.readings.filter((r) => r.quality === 'estimated')).toHaveLength(
      [...xml.matchAll(/<quality>(7|8|9|12)<\/quality>/g)].length,
    );
    expect(c.readings[0].ts.toISOString()).toBe('2012-03-01T05:00:00.000Z');
  });

  it('Green Button: PG&E net-metered solar, delivered (import) and received (export) series', async () => {
    const path = fixture('espi-pge-cmd-electricity-solar-hourly.xml');
    const xml = readFileSync(path, 'utf8');
    // the feed lists ReadingType, UsagePoint, MeterReading, its blocks, then the second ReadingType,
    // MeterReading and blocks: split the text at the second ReadingType entry
    const cut = xml.indexOf('<ns0:ReadingType', xml.indexOf('<ns0:ReadingType') + 1);
    const values = (s: string): number[] =>
      [...s.matchAll(/<ns0:value>(\d+)<\/ns0:value>/g)].map((m) => Number(m[1]));
    const flowOf = (s: string): string | undefined => /<ns0:flowDirection>(\d+)</.exec(s)?.[1];
    const parts = [xml.slice(0, cut), xml.slice(cut)];
    const delivered = parts.find((p) => flowOf(p) === '1') ?? '';
    const received = parts.find((p) => flowOf(p) === '19') ?? '';
    const base = { ...ELEC, timezone: 'America/Los_Angeles', intervalMinutes: 60, now: NOW };
    const imp = await collect(parseMeterFile(createReadStream(path), base));
    const exp = await collect(
      parseMeterFile(createReadStream(path), { ...base, meterKind: 'electricity_export' }),
    );
    // values are mWh (powerOfTenMultiplier −3 on Wh)
    expect(imp.readings).toHaveLength(values(delivered).length);
    expect(sum(imp.readings.map((r) => r.value))).toBeCloseTo(sum(values(delivered)) / 1e6, 9);
    expect(exp.readings).toHaveLength(values(received).length);
    expect(sum(exp.readings.map((r) => r.value))).toBeCloseTo(sum(values(received)) / 1e6, 9);
    expect(imp.errors).toEqual([]);
  });

  it('Green Button: PG&E daily gas in 10^-8 therm starting 1 s after local midnight', async () => {
    const path = fixture('espi-pge-cmd-natural-gas-daily.xml');
    const xml = readFileSync(path, 'utf8');
    const values = [...xml.matchAll(/<ns0:value>(\d+)<\/ns0:value>/g)].map((m) => Number(m[1]) / 1e8);
    const c = await collect(
      parseMeterFile(createReadStream(path), {
        register: 'interval',
        meterKind: 'natural_gas',
        meterUnit: 'kWh',
        timezone: 'America/Los_Angeles',
        intervalMinutes: 1440,
        now: NOW,
      }),
    );
    expect(c.errors).toEqual([]);
    expect(c.readings.map((r) => r.value)).toEqual(
      values.map((therm) => expect.closeTo(therm * 29.307107, 6)),
    );
    expect(c.readings[0].ts.toISOString()).toBe('2012-03-15T07:00:00.000Z');
    expect(c.warnings.join()).toMatch(/rounded to the minute/);
  });

  it('Green Button: monthly gas bills become bill-period readings with periodEnd and cost (synthetic feed)', async () => {
    const path = fixture('espi-synthetic-gas-monthly-bill.xml');
    const xml = readFileSync(path, 'utf8');
    const periods = [
      ...xml.matchAll(
        /<duration>(\d+)<\/duration><start>(\d+)<\/start><\/timePeriod>\s*<value>(\d+)<\/value>/g,
      ),
    ].map((m) => ({
      start: Number(m[2]),
      end: Number(m[2]) + Number(m[1]),
      therm: Number(m[3]) / 1000,
    }));
    const c = await collect(
      parseMeterFile(createReadStream(path), {
        register: 'interval',
        meterKind: 'natural_gas',
        meterUnit: 'therm',
        timezone: 'America/New_York',
        intervalMinutes: null,
        now: NOW,
      }),
    );
    expect(c.readings).toHaveLength(periods.length);
    c.readings.forEach((r, i) => {
      expect(r.ts.getTime()).toBe(periods[i].start * 1000);
      expect(r.periodEnd?.getTime()).toBe(periods[i].end * 1000);
      expect(r.value).toBeCloseTo(periods[i].therm, 9);
    });
    expect(c.readings[0].cost).toBeCloseTo(153.5175, 9);
  });

  it('Green Button: a broken gas export (empty ReadingType, all starts identical) is refused whole (synthetic equivalent)', async () => {
    const e = await rejection(createReadStream(fixture('espi-synthetic-broken-gas-export.xml')), {
      register: 'interval',
      meterKind: 'natural_gas',
      meterUnit: 'therm',
      timezone: 'America/New_York',
      intervalMinutes: null,
    });
    expect(e.code).toBe('BROKEN_FEED');
    expect(e.message).toMatch(/no unit of measure/);
  });

  it('XLSX: the first sheet with date cells, or a named sheet with text dates', async () => {
    // build a workbook from the steel-plant slice: date cells hold wall-clock times as UTC
    const lines = readFileSync(fixture('uci-steel-2018-01.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
      .slice(1, 2 * 96 + 1);
    const values = lines.map((l) => Number(l.split(',')[1]));
    const wb = new ExcelJS.Workbook();
    const s1 = wb.addWorksheet('Readings');
    s1.addRow(['Start', 'Energy (kWh)', 'Reactive (kVarh)']);
    values.forEach((v, i) => s1.addRow([new Date(Date.UTC(2018, 0, 1, 0, 15 * i)), v, 1]));
    const s2 = wb.addWorksheet('Wh');
    s2.addRow(['Datum', 'Verbrauch Wh']);
    values.forEach((v, i) => {
      const d = new Date(Date.UTC(2018, 0, 1, 0, 15 * i));
      s2.addRow([
        `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.2018 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
        v * 1000,
      ]);
    });
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const base = { ...ELEC, timezone: 'Europe/Berlin', intervalMinutes: 15, now: NOW };
    const first = await collect(parseMeterFile(textStream(buf, 4096), base));
    expect(first.errors).toEqual([]);
    expect(first.readings).toHaveLength(values.length);
    expect(sum(first.readings.map((r) => r.value))).toBeCloseTo(sum(values), 6);
    expect(first.readings[0].ts.toISOString()).toBe('2017-12-31T23:00:00.000Z');
    const named = await collect(parseMeterFile(textStream(buf, 4096), { ...base, sheet: 'Wh' }));
    expect(named.errors).toEqual([]);
    expect(sum(named.readings.map((r) => r.value))).toBeCloseTo(sum(values), 6);
    const e = await rejection(textStream(buf, 4096), { ...base, sheet: 'Nope' });
    expect(e.code).toBe('SHEET_NOT_FOUND');
    expect(e.message).toMatch(/Readings, Wh/);
  });
});

describe('parseMeterFile: CSV dialects', () => {
  const base: ImportOptions = { ...ELEC, timezone: 'Europe/Berlin', intervalMinutes: 15, now: NOW };

  it('reads ; with decimal comma, a BOM, quoted fields and dd.mm.yyyy', async () => {
    const csv =
      '\uFEFF"Zeitstempel";"Verbrauch (kWh)";"Status"\r\n"01.03.2024 00:00";"1,25";"ok; gemessen"\r\n01.03.2024 00:15;"2,5";x\r\n01.03.2024 00:30;1.234,5;"a ""quoted"" note"\r\n';
    const c = await collect(parseMeterFile(textStream(csv), base));
    expect(c.errors).toEqual([]);
    expect(c.readings.map((r) => r.value)).toEqual([1.25, 2.5, 1234.5]);
    expect(c.readings[0].ts.toISOString()).toBe('2024-02-29T23:00:00.000Z');
    expect(c.readings.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('reads tab-separated files and separate date and time columns', async () => {
    const csv = 'Date\tTime\tUsage kWh\n2024-01-05\t00:00\t1.5\n2024-01-05\t00:15\t2\n';
    const c = await collect(parseMeterFile(textStream(csv), { ...base, timezone: 'UTC' }));
    expect(c.errors).toEqual([]);
    expect(c.readings.map((r) => [r.ts.toISOString(), r.value])).toEqual([
      ['2024-01-05T00:00:00.000Z', 1.5],
      ['2024-01-05T00:15:00.000Z', 2],
    ]);
  });

  it('decides mm/dd from a second field above 12, reads AM/PM, and warns when dd/mm had to be assumed', async () => {
    const us = 'Date,kWh\n1/12/2024 11:00 PM,1\n1/13/2024 12:00 AM,2\n';
    const c = await collect(
      parseMeterFile(textStream(us), { ...base, intervalMinutes: 60, timezone: 'America/New_York' }),
    );
    expect(c.readings.map((r) => r.ts.toISOString())).toEqual([
      '2024-01-13T04:00:00.000Z',
      '2024-01-13T05:00:00.000Z',
    ]);
    const unclear = 'Date,kWh\n01/02/2024 00:00,1\n';
    const d = await collect(parseMeterFile(textStream(unclear), { ...base, timezone: 'UTC' }));
    expect(d.readings[0].ts.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(d.warnings.join()).toMatch(/dd\/mm\/yyyy was assumed/);
  });

  it('lets an explicit offset win over the site zone, and picks named columns', async () => {
    const csv = 'id,when,a,b\n1,2024-06-01T10:00:00+02:00,5,7\n2,2024-06-01T08:15:00Z,6,8\n';
    const c = await collect(
      parseMeterFile(textStream(csv), {
        ...base,
        timezone: 'America/Chicago',
        timestampColumn: 'when',
        valueColumn: 'b',
      }),
    );
    expect(c.readings.map((r) => [r.ts.toISOString(), r.value])).toEqual([
      ['2024-06-01T08:00:00.000Z', 7],
      ['2024-06-01T08:15:00.000Z', 8],
    ]);
  });

  it('converts units named in the header (Wh → kWh) and by option (MWh)', async () => {
    const c = await collect(
      parseMeterFile(textStream('timestamp,energy_wh\n2024-01-01 00:00,1500\n'), {
        ...base,
        timezone: 'UTC',
      }),
    );
    expect(c.readings[0].value).toBeCloseTo(1.5, 12);
    const d = await collect(
      parseMeterFile(textStream('timestamp,value\n2024-01-01 00:00,0.5\n'), {
        ...base,
        timezone: 'UTC',
        fileUnit: 'MWh',
      }),
    );
    expect(d.readings[0].value).toBe(500);
  });

  it('converts a gas meter read in m³ to kWh with the stated calorific value', async () => {
    const c = await collect(
      parseMeterFile(textStream('date,m3\n2024-01-01,10\n2024-01-02,12\n'), {
        register: 'interval',
        meterKind: 'natural_gas',
        meterUnit: 'kWh',
        timezone: 'Europe/London',
        intervalMinutes: 1440,
        gasCalorificValueKwhPerM3: 11.2,
        now: NOW,
      }),
    );
    expect(c.readings.map((r) => r.value)).toEqual([expect.closeTo(112, 9), expect.closeTo(134.4, 9)]);
  });
});

describe('parseMeterFile: bad rows are rejected alone', () => {
  const base: ImportOptions = {
    ...ELEC,
    timezone: 'UTC',
    intervalMinutes: 60,
    now: new Date('2024-02-01T00:00:00Z'),
  };

  it('keeps exactly the good rows of a file with bad ones, and says why for each bad one', async () => {
    const rows = [
      ['2024-01-01 00:00', '1.5', true],
      ['2024-01-01 01:00', '12,5x', false], // text in a number
      ['2024-01-01 02:00', '-3', false], // negative consumption
      ['2024-01-01 03:00', '', null], // gap
      ['2024-01-01 03:30', '4', false], // off the hourly grid
      ['2024-13-01 04:00', '4', false], // no month 13
      ['2024-01-01 05:00', '2.25', true],
      ['2024-01-01 05:00', '2.25', null], // same value again: ignored
      ['2024-01-01 05:00', '9', false], // same time, different value
      ['2099-01-01 00:00', '1', false], // future
      ['2024-01-01 06:00', ' 3 ', true],
      ['2024-01-01 07:00', 'NA', null], // gap
    ] as const;
    const csv = `timestamp,kWh\n${rows.map(([t, v]) => `${t},"${v}"`).join('\n')}\n`;
    const c = await collect(parseMeterFile(textStream(csv), base));
    const good = rows.filter((r) => r[2] === true);
    expect(c.readings.map((r) => r.value)).toEqual(good.map((r) => Number(r[1])));
    expect(c.errors).toHaveLength(rows.filter((r) => r[2] === false).length);
    expect(c.missing.map((m) => m.line)).toEqual([5, 13]);
    expect(c.duplicates).toEqual([{ line: 9, ofLine: 8 }]);
    const msg = (line: number): string => c.errors.find((e) => e.line === line)?.message ?? '';
    expect(msg(3)).toBe('line 3: "12,5x" in column "kWh" is not a number');
    expect(msg(4)).toMatch(/value -3 in column "kWh" is negative/);
    expect(msg(6)).toMatch(/not on the meter's 60-minute grid/);
    expect(msg(7)).toMatch(/month 13/);
    expect(msg(10)).toMatch(/duplicates line 8 with a different value/);
    expect(msg(11)).toMatch(/is in the future/);
  });

  it('accepts slightly negative values on a PV generation meter', async () => {
    const c = await collect(
      parseMeterFile(textStream('timestamp,kWh\n2024-01-01 00:00,-0.01\n'), {
        ...base,
        meterKind: 'pv_generation',
      }),
    );
    expect(c.readings.map((r) => r.value)).toEqual([-0.01]);
  });

  it('a column the header names (kwh) is the value column however few of its cells parse (issue 16 item 7)', async () => {
    // 3 rows: 12.5 is good; "abc" is not a number; −4 cannot be consumption on an import meter.
    // Before: 1 of 3 cells numeric (33 % < 80 %) → the whole file refused, "no column holds numbers".
    const csv = 'timestamp,kwh\n2024-01-01 00:00,12.5\n2024-01-01 01:00,abc\n2024-01-01 02:00,-4\n';
    const c = await collect(parseMeterFile(textStream(csv), base));
    expect(c.readings.map((r) => [r.line, r.value])).toEqual([[2, 12.5]]);
    expect(c.errors.map((e) => e.message)).toEqual([
      'line 3: "abc" in column "kwh" is not a number',
      'line 4: value -4 in column "kwh" is negative: a electricity_import meter cannot record negative quantities',
    ]);
    // On a generation meter (pv_generation, wind_generation) −4 is a value: two readings, one bad line.
    const net = await collect(parseMeterFile(textStream(csv), { ...base, meterKind: 'pv_generation' }));
    expect(net.readings.map((r) => r.value)).toEqual([12.5, -4]);
    expect(net.errors.map((e) => e.line)).toEqual([3]);
  });

  it('other names for the value column: kWh, consumption, "Consumption (kWh)"; the excerpt of a bad cell is clipped to 200 characters', async () => {
    for (const name of ['kWh', 'consumption', 'Consumption (kWh)', 'Usage_kWh']) {
      const c = await collect(
        parseMeterFile(
          textStream(
            `timestamp,meter id,${name}\n2024-01-01 00:00,17,1\n2024-01-01 01:00,17,n/a?\n2024-01-01 02:00,17,x\n`,
          ),
          base,
        ),
      );
      expect(c.readings.map((r) => r.value)).toEqual([1]);
      expect(c.errors.map((e) => e.line)).toEqual([3, 4]);
    }
    const long = 'z'.repeat(5000);
    const c = await collect(
      parseMeterFile(textStream(`timestamp,kwh\n2024-01-01 00:00,${long}\n2024-01-01 01:00,2\n`), base),
    );
    expect(c.readings.map((r) => r.value)).toEqual([2]);
    expect(c.errors[0].message).toBe(
      `line 2: "${'z'.repeat(200)}… (5,000 characters)" in column "kwh" is not a number`,
    );
  });

  it('the 80 % rule still chooses among unnamed columns, and a named column wins over a numeric unnamed one', async () => {
    // "reading_id" is numeric in every row but its header does not name the value; "kwh" does.
    const c = await collect(
      parseMeterFile(
        textStream(
          'timestamp,reading_id,kwh\n2024-01-01 00:00,1,x\n2024-01-01 01:00,2,y\n2024-01-01 02:00,3,5\n',
        ),
        base,
      ),
    );
    expect(c.readings.map((r) => r.value)).toEqual([5]);
    // No named column: "a" is numeric in 2 rows of 3 (67 % < 80 %), "b" in all → b.
    const d = await collect(
      parseMeterFile(
        textStream('timestamp,a,b\n2024-01-01 00:00,1,7\n2024-01-01 01:00,x,8\n2024-01-01 02:00,3,9\n'),
        base,
      ),
    );
    expect(d.readings.map((r) => r.value)).toEqual([7, 8, 9]);
  });

  it('reports rows with too few fields', async () => {
    const c = await collect(
      parseMeterFile(textStream('timestamp,kWh\n2024-01-01 00:00,1\n2024-01-01 01:00\n'), base),
    );
    expect(c.errors[0].message).toMatch(/line 3: has 1 fields, expected at least 2/);
    expect(c.readings).toHaveLength(1);
  });
});

describe('parseMeterFile: whole-file refusals', () => {
  const base: ImportOptions = { ...ELEC, timezone: 'UTC', intervalMinutes: 60, now: NOW };

  it('empty', async () => {
    await expectRejected('', base, 'EMPTY_FILE');
    await expectRejected('\n\n  \r\n', base, 'EMPTY_FILE');
  });
  it('header only', async () => {
    await expectRejected('timestamp,kWh\n', base, 'HEADER_ONLY', /timestamp, kWh/);
  });
  it('wrong delimiter', async () => {
    await expectRejected(
      'timestamp|kWh\n2024-01-01 00:00|1.5\n',
      base,
      'WRONG_DELIMITER',
      /single column.*"\|"/,
    );
    await expectRejected(
      'timestamp;kWh\n2024-01-01 00:00|1.5\n2024-01-01 01:00|1.5\n',
      base,
      'WRONG_DELIMITER',
      /rows .* have a single column/,
    );
  });
  it('no timestamp column', async () => {
    await expectRejected('meter,kWh\nA,1\nB,2\n', base, 'NO_TIMESTAMP_COLUMN', /no column holds dates/);
    await expectRejected(
      'date,kWh\nyesterday,1\n',
      base,
      'NO_TIMESTAMP_COLUMN',
      /"date" holds values like "yesterday"/,
    );
    await expectRejected(
      'timestamp,kWh\n2024-01-01 00:00,1\n',
      { ...base, timestampColumn: 'time' },
      'NO_TIMESTAMP_COLUMN',
      /no column "time"/,
    );
  });
  it('no value column', async () => {
    await expectRejected(
      'timestamp,note\n2024-01-01 00:00,hello\n',
      base,
      'NO_VALUE_COLUMN',
      /no column holds numbers/,
    );
    await expectRejected(
      'timestamp,a,b\n2024-01-01 00:00,1,2\n',
      base,
      'NO_VALUE_COLUMN',
      /several columns .*a, b/,
    );
  });
  it('binary content', async () => {
    await expectRejected(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10, 0x00, 0x41]), base, 'BINARY');
    await expectRejected(
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      base,
      'UNSUPPORTED_FORMAT',
      /\.xls/,
    );
  });
  it('wrong unit for the meter', async () => {
    await expectRejected('timestamp,Gas (m3)\n2024-01-01 00:00,1\n', base, 'WRONG_UNIT', /m3.*kWh/);
    await expectRejected(
      'timestamp,value\n2024-01-01 00:00,1\n',
      { ...base, meterKind: 'water', meterUnit: 'm3', fileUnit: 'kWh' },
      'WRONG_UNIT',
      /kWh.*m3/,
    );
  });
  it('a Green Button feed whose series do not fit the meter', async () => {
    const e = await rejection(createReadStream(fixture('espi-openespi-15min-14days.xml')), {
      ...base,
      meterKind: 'water',
      meterUnit: 'm3',
    });
    expect(e.code).toBe('NO_SERIES');
  });
  it('not well-formed XML', async () => {
    await expectRejected('<feed><entry></feed>', base, 'INVALID_XML');
  });
});

describe('parseMeterFile: clock changes', () => {
  /** 15-minute local rows from `from` for `n` steps of wall-clock time, repeating the hour given. */
  function localRows(
    dayIso: string,
    fromHour: number,
    toHour: number,
    repeatHour: number | null,
    skipHour: number | null,
  ): { text: string; n: number } {
    const out: string[] = [];
    for (let h = fromHour; h < toHour; h++) {
      if (h === skipHour) continue;
      const times = h === repeatHour ? 2 : 1;
      for (let k = 0; k < times; k++)
        for (let m = 0; m < 60; m += 15) out.push(`${dayIso} ${pad(h)}:${pad(m)},1`);
    }
    return { text: `timestamp,kWh\n${out.join('\n')}\n`, n: out.length };
  }

  const zones = [
    {
      zone: 'Europe/London',
      spring: `2024-03-${pad(lastSunday(2024, 2))}`,
      autumn: `2024-10-${pad(lastSunday(2024, 9))}`,
      gapHour: 1,
      repeatHour: 1,
      summerOffsetH: 1,
      winterOffsetH: 0,
    },
    {
      zone: 'America/New_York',
      spring: `2024-03-${pad(nthSunday(2024, 2, 2))}`,
      autumn: `2024-11-${pad(nthSunday(2024, 10, 1))}`,
      gapHour: 2,
      repeatHour: 1,
      summerOffsetH: -4,
      winterOffsetH: -5,
    },
    // southern hemisphere: clocks go forward on the 1st Sunday of October, back on the 1st Sunday of April (03:00 → 02:00)
    {
      zone: 'Australia/Sydney',
      spring: `2024-10-${pad(nthSunday(2024, 9, 1))}`,
      autumn: `2024-04-${pad(nthSunday(2024, 3, 1))}`,
      gapHour: 2,
      repeatHour: 2,
      summerOffsetH: 11,
      winterOffsetH: 10,
    },
  ];

  for (const z of zones) {
    describe(z.zone, () => {
      const base: ImportOptions = { ...ELEC, timezone: z.zone, intervalMinutes: 15, now: NOW };

      it('rejects each time in the spring gap, keeps the rest', async () => {
        const { text, n } = localRows(z.spring, 0, 6, null, null);
        const c = await collect(parseMeterFile(textStream(text), base));
        expect(c.errors).toHaveLength(4);
        expect(
          c.errors.every((e) =>
            new RegExp(`${z.spring} ${pad(z.gapHour)}:\\d\\d" does not exist in ${z.zone}`).test(e.message),
          ),
        ).toBe(true);
        expect(c.readings).toHaveLength(n - 4);
        // the hour after the gap is in summer time
        const after = c.readings.find((r) => r.line === 2 + 4 * (z.gapHour + 1));
        expect(after?.ts.toISOString().slice(11, 16)).toBe(
          `${pad((((z.gapHour + 1 - z.summerOffsetH) % 24) + 24) % 24)}:00`,
        );
      });

      it('places the autumn repeat by file order when the file shows it twice', async () => {
        const { text, n } = localRows(z.autumn, 0, 6, z.repeatHour, null);
        const c = await collect(parseMeterFile(textStream(text), base));
        expect(c.errors).toEqual([]);
        expect(c.readings).toHaveLength(n);
        const ts = c.readings.map((r) => r.ts.getTime());
        // 25 distinct quarter-hours... in a row: strictly increasing by 15 minutes
        for (let i = 1; i < ts.length; i++) expect(ts[i] - ts[i - 1]).toBe(900_000);
        // the first occurrence is in summer time, the second in winter time
        const firstRepeat = c.readings[4 * z.repeatHour];
        const secondRepeat = c.readings[4 * z.repeatHour + 4];
        expect(firstRepeat.ts.getTime()).toBe(
          Date.parse(`${z.autumn}T${pad(z.repeatHour)}:00:00Z`) - z.summerOffsetH * 3_600_000,
        );
        expect(secondRepeat.ts.getTime()).toBe(
          Date.parse(`${z.autumn}T${pad(z.repeatHour)}:00:00Z`) - z.winterOffsetH * 3_600_000,
        );
      });

      it('rejects the repeated hour when the file shows it once', async () => {
        const { text, n } = localRows(z.autumn, 0, 6, null, null);
        const c = await collect(parseMeterFile(textStream(text), base));
        expect(c.errors).toHaveLength(4);
        expect(c.errors[0].message).toMatch(new RegExp(`is ambiguous in ${z.zone}.*add a UTC offset`));
        expect(c.readings).toHaveLength(n - 4);
      });

      it('accepts the repeated hour when offsets disambiguate it', async () => {
        const t = Date.parse(`${z.autumn}T${pad(z.repeatHour)}:00:00Z`);
        const iso = (ms: number, offH: number): string => {
          const sign = offH < 0 ? '-' : '+';
          return `${new Date(ms).toISOString().slice(0, 16)}${sign}${pad(Math.abs(offH))}:00`;
        };
        const csv = `timestamp,kWh\n${iso(t, z.summerOffsetH)},1\n${iso(t, z.winterOffsetH)},2\n`;
        const c = await collect(parseMeterFile(textStream(csv), base));
        expect(c.errors).toEqual([]);
        expect(c.readings[1].ts.getTime() - c.readings[0].ts.getTime()).toBe(3_600_000);
      });
    });
  }

  it('checks a daily meter against local midnight across a clock change', async () => {
    const csv = 'date,kWh\n2024-03-30,10\n2024-03-31,11\n2024-04-01,12\n2024-04-01 01:00,1\n';
    const c = await collect(
      parseMeterFile(textStream(csv), {
        ...ELEC,
        timezone: 'Europe/London',
        intervalMinutes: 1440,
        now: NOW,
      }),
    );
    expect(c.readings.map((r) => r.ts.toISOString())).toEqual([
      '2024-03-30T00:00:00.000Z',
      '2024-03-31T00:00:00.000Z',
      '2024-03-31T23:00:00.000Z',
    ]);
    expect(c.errors[0].message).toMatch(/not at local midnight/);
  });

  it('aligns the grid in local wall-clock minutes in a :30 zone (Asia/Kolkata)', async () => {
    const csv = 'timestamp,kWh\n2024-01-01 10:00,1\n2024-01-01T04:30:00Z,2\n2024-01-01T05:00:00Z,3\n';
    const c = await collect(
      parseMeterFile(textStream(csv), { ...ELEC, timezone: 'Asia/Kolkata', intervalMinutes: 60, now: NOW }),
    );
    // 04:30Z = 10:00 IST is on the hourly grid (and duplicates line 2 with another value); 05:00Z = 10:30 IST is not
    expect(c.readings).toHaveLength(1);
    expect(c.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(c.errors[1].message).toMatch(/60-minute grid/);
  });
});

describe('parseMeterFile: cumulative registers', () => {
  const base: ImportOptions = {
    register: 'cumulative',
    meterKind: 'water',
    meterUnit: 'm3',
    timezone: 'UTC',
    intervalMinutes: 60,
    now: NOW,
  };

  it('turns reads into interval deltas; the first read yields none', async () => {
    const reads = [100, 101.5, 103, 103, 110.25];
    const csv = `timestamp,reading\n${reads.map((r, i) => `2024-01-01 ${pad(i)}:00,${r}`).join('\n')}\n`;
    const c = await collect(parseMeterFile(textStream(csv), base));
    expect(c.readings.map((r) => r.value)).toEqual(reads.slice(1).map((r, i) => r - reads[i]));
    expect(c.readings.map((r) => r.ts.toISOString().slice(11, 16))).toEqual([
      '00:00',
      '01:00',
      '02:00',
      '03:00',
    ]);
  });

  it('handles a rollover near the register maximum and a meter reset', async () => {
    const csv =
      'timestamp,reading\n2024-01-01 00:00,99980\n2024-01-01 01:00,99995\n2024-01-01 02:00,7\n2024-01-01 03:00,20\n2024-01-01 04:00,5\n2024-01-01 05:00,9\n';
    const c = await collect(parseMeterFile(textStream(csv), base));
    // 99995 → 7 on a 5-digit register: 100000 − 99995 + 7 = 12; 20 → 5 far from the maximum: a reset, 5 since it
    expect(c.readings.map((r) => r.value)).toEqual([15, 12, 13, 5, 4]);
    expect(c.warnings.join('\n')).toMatch(/rolled over at 100000/);
    expect(c.warnings.join('\n')).toMatch(/read as a meter reset/);
  });

  it('spreads a gap between reads evenly, flagged filled, and keeps the total', async () => {
    const csv =
      'timestamp,reading\n2024-01-01 00:00,10\n2024-01-01 01:00,12\n2024-01-01 02:00,\n2024-01-01 04:00,21\n';
    const c = await collect(parseMeterFile(textStream(csv), base));
    expect(c.readings.map((r) => [r.ts.toISOString().slice(11, 16), r.value, r.quality])).toEqual([
      ['00:00', 2, 'measured'],
      ['01:00', 3, 'filled'],
      ['02:00', 3, 'filled'],
      ['03:00', 3, 'filled'],
    ]);
  });

  it('rejects reads out of time order', async () => {
    const csv = 'timestamp,reading\n2024-01-01 02:00,10\n2024-01-01 01:00,12\n';
    const c = await collect(parseMeterFile(textStream(csv), base));
    expect(c.errors[0].message).toMatch(/not after line 2/);
  });
});

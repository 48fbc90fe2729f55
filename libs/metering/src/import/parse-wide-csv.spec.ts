import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileRejectedError } from './file-rejected-error';
import type { ImportEvent } from './import-types';
import { parseWideCsv, type WideImportOptions } from './parse-wide-csv';
import { collect, sum, textStream } from './test-helpers';

const PATH = join(__dirname, '../../../../test/fixtures/metering/bdg2-wide-panther-office-2017.csv');
const pad = (n: number): string => String(n).padStart(2, '0');
/** n-th Sunday of a month. */
function nthSunday(year: number, month0: number, n: number): number {
  let day = 1;
  while (new Date(Date.UTC(year, month0, day)).getUTCDay() !== 0) day++;
  return day + 7 * (n - 1);
}

async function byMeter(
  batches: AsyncIterable<{ meterId: string; events: ImportEvent[] }[]>,
): Promise<Map<string, ImportEvent[]>> {
  const m = new Map<string, ImportEvent[]>();
  for await (const batch of batches)
    for (const { meterId, events } of batch) m.set(meterId, [...(m.get(meterId) ?? []), ...events]);
  return m;
}

describe('parseWideCsv', () => {
  const options: WideImportOptions = {
    timezone: 'America/New_York', // BDG2 "Panther" site, Florida
    intervalMinutes: 60,
    register: 'interval',
    meterKind: 'electricity_import',
    meterUnit: 'kWh',
    now: new Date('2025-01-01T00:00:00Z'),
    columns: { Panther_office_Hannah: 'meter-hannah', Panther_office_Danica: { meterId: 'meter-danica' } },
  };

  it('splits a real BDG2 wide file into one series per mapped column, counts and sums checked', async () => {
    const lines = readFileSync(PATH, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.split(','));
    // US clock changes in 2017: 02:00 on the 2nd Sunday of March does not exist; 01:00 on the
    // 1st Sunday of November happens twice but the file shows it once → both rejected
    const clock = new Set([
      `2017-03-${pad(nthSunday(2017, 2, 2))} 02:00:00`,
      `2017-11-${pad(nthSunday(2017, 10, 1))} 01:00:00`,
    ]);
    const events = await byMeter(parseWideCsv(createReadStream(PATH), options));
    for (const [column, meterId] of [
      ['Panther_office_Hannah', 'meter-hannah'],
      ['Panther_office_Danica', 'meter-danica'],
    ]) {
      const i = header.indexOf(column);
      const kept = rows.filter((r) => !clock.has(r[0]));
      const values = kept.filter((r) => r[i] !== '').map((r) => Number(r[i]));
      const c = await collect(
        (async function* () {
          yield events.get(meterId) ?? [];
        })(),
      );
      expect(c.readings).toHaveLength(values.length);
      expect(sum(c.readings.map((r) => r.value))).toBeCloseTo(sum(values), 6);
      expect(c.missing).toHaveLength(kept.length - values.length);
      expect(c.errors).toHaveLength(rows.length - kept.length);
    }
  });

  it('gives each meter its own unit and refuses a column that is not there', async () => {
    const csv = 'timestamp,main_kwh,gas_m3\n2024-01-01 00:00,1.5,2\n2024-01-01 01:00,2.5,3\n';
    const m = await byMeter(
      parseWideCsv(textStream(csv), {
        ...options,
        timezone: 'UTC',
        columns: {
          main_kwh: 'e',
          gas_m3: { meterId: 'g', meterKind: 'natural_gas', meterUnit: 'kWh', gasCalorificValueKwhPerM3: 10 },
        },
      }),
    );
    const values = (id: string): number[] =>
      (m.get(id) ?? []).flatMap((e) => (e.kind === 'reading' ? [e.reading.value] : []));
    expect(values('e')).toEqual([1.5, 2.5]);
    expect(values('g')).toEqual([20, 30]);
    await expect(
      collect(
        (async function* () {
          for await (const b of parseWideCsv(textStream(csv), { ...options, columns: { nope: 'x' } }))
            yield b.flatMap((x) => x.events);
        })(),
      ),
    ).rejects.toThrow(FileRejectedError);
  });
});

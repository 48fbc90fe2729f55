import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PushReadingsDto } from './dto/metering.dto';
import {
  WeatherFileError,
  WeatherLineParser,
  parseWeatherCsv,
  periodStartRows,
  readWeatherCsv,
  type WeatherRow,
} from './weather';

async function readAll(
  chunks: (Buffer | string)[],
  maxLineChars = 1024 * 1024,
): Promise<{ rows: WeatherRow[]; parser: WeatherLineParser; served: number }> {
  const parser = new WeatherLineParser('UTC');
  let served = 0;
  async function* source(): AsyncGenerator<Buffer | string> {
    for (const c of chunks) {
      served += c.length;
      yield c;
    }
  }
  const rows: WeatherRow[] = [];
  for await (const batch of readWeatherCsv(source(), parser, { maxLineChars, batchRows: 2 }))
    rows.push(...batch);
  return { rows, parser, served };
}

describe('weather files, streamed and bounded', () => {
  it('reads a file split anywhere into the same rows as the whole-text parser', async () => {
    const text =
      '\uFEFFtimestamp,temperature,GHI\r\n2024-01-01 00:00,5,0\r\n2024-01-01 01:00,6,10\r\n\r\n2024-01-01 02:00,,\r\n2024-01-01 03:00,7,';
    const whole = parseWeatherCsv(text, 'UTC');
    const buf = Buffer.from(text);
    const parts = Array.from({ length: Math.ceil(buf.length / 5) }, (_, i) => buf.subarray(i * 5, i * 5 + 5));
    const { rows, parser } = await readAll(parts);
    expect(rows).toEqual(whole.rows);
    expect(parser.finish()).toEqual(
      expect.objectContaining({
        rowsRead: 4,
        rowsMissing: 1,
        firstTs: new Date('2024-01-01T00:00:00Z'),
        lastTs: new Date('2024-01-01T03:00:00Z'),
      }),
    );
  });

  it('refuses a 50 MB single line (LINE_TOO_LONG, line 1) without reading it all', async () => {
    const mb = Buffer.alloc(1024 * 1024, 'x');
    const e = await readAll(Array.from({ length: 50 }, () => mb)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(WeatherFileError);
    expect((e as WeatherFileError).code).toBe('LINE_TOO_LONG');
    expect((e as WeatherFileError).message).toMatch(/^Line 1 is longer than 1,048,576 characters/);
  });

  it('names a long line further down', async () => {
    const e = await readAll(
      ['timestamp,temperature\n2024-01-01 00:00,5\n', 'y'.repeat(5000), '\n'],
      1000,
    ).catch((err: unknown) => err);
    expect((e as WeatherFileError).code).toBe('LINE_TOO_LONG');
    expect((e as WeatherFileError).message).toMatch(/^Line 3 /);
  });

  it('makes 1e309, Infinity and -inf row errors, quotes at most 200 characters, refuses NUL bytes', async () => {
    const { rows, parser } = await readAll([
      `timestamp,temperature\n2024-01-01 00:00,1e309\n2024-01-01 01:00,Infinity\n2024-01-01 02:00,-inf\n2024-01-01 03:00,${'z'.repeat(1000)}\n2024-01-01 04:00,4\n`,
    ]);
    expect(rows.map((r) => r.temperatureC)).toEqual([4]);
    const { errors } = parser.finish();
    expect(errors.slice(0, 3)).toEqual([
      { line: 2, message: 'line 2: "1e309" in column "temperature" is not a finite number' },
      { line: 3, message: 'line 3: "Infinity" in column "temperature" is not a finite number' },
      { line: 4, message: 'line 4: "-inf" in column "temperature" is not a finite number' },
    ]);
    expect(errors[3].message.length).toBeLessThan(300);
    const nul = await readAll(['timestamp,temperature\n2024-01-01 00:00,5\u0000\n']).catch(
      (err: unknown) => err,
    );
    expect((nul as WeatherFileError).code).toBe('BINARY');
  });
});

describe('JSON push: non-finite values are refused at the edge', () => {
  it('1e309 (which JSON.parse reads as Infinity) is a validation error naming the field', () => {
    const body = JSON.parse(
      '{"readings":[{"ts":"2024-01-01T00:00:00Z","value":1},{"ts":"2024-01-01T01:00:00Z","value":1e309}]}',
    ) as unknown;
    const errors = validateSync(plainToInstance(PushReadingsDto, body), {
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    expect(errors).toHaveLength(1);
    const item = errors[0].children?.find((c) => c.property === '1');
    expect(item?.children?.[0]).toEqual(
      expect.objectContaining({ property: 'value', value: Number.POSITIVE_INFINITY }),
    );
    const fine = validateSync(
      plainToInstance(
        PushReadingsDto,
        JSON.parse('{"readings":[{"ts":"2024-01-01T00:00:00Z","value":1e308}]}') as unknown,
      ),
    );
    expect(fine).toEqual([]);
  });
});

describe('periodStartRows (what a weather timestamp means)', () => {
  const at = (hhmm: string) => new Date(`2012-06-01T${hhmm}:00Z`);
  const row = (hhmm: string, ghi: number | null, temp: number | null = 20) => ({
    ts: at(hhmm),
    temperatureC: temp,
    ghiWM2: ghi,
    cloudCoverPct: null,
    windSpeedMS: null,
  });

  it('leaves hour-beginning rows as they are', () => {
    const rows = [row('10:00', 500), row('11:00', 600)];
    expect(periodStartRows(rows, 'start')).toEqual(rows);
  });

  it('moves an hour-ending row to the start of the period it closes', () => {
    // hourly rows at 10:00 and 11:00 are the means of 09:00–10:00 and 10:00–11:00; the first takes the
    // gap to the next row (1 h); after a 3-hour gap the row takes its next one's… none: at most an hour
    const out = periodStartRows([row('10:00', 500), row('11:00', 600), row('14:00', 700)], 'end');
    expect(out.map((r) => r.ts.toISOString().slice(11, 16))).toEqual(['09:00', '10:00', '13:00']);
    expect(out.map((r) => r.ghiWM2)).toEqual([500, 600, 700]);
    // 30-minute rows move by 30 minutes
    const half = periodStartRows([row('10:00', 500), row('10:30', 600)], 'end');
    expect(half.map((r) => r.ts.toISOString().slice(11, 16))).toEqual(['09:30', '10:00']);
  });

  it('turns instantaneous samples into the trapezoid of each period up to the next row', () => {
    // PSM3 at 10:00 = 400, 10:30 = 600, 11:00 = 700: [10:00, 10:30) averages 500, [10:30, 11:00) 650;
    // an hourly interval 10:00–11:00 then reads (500 + 650) / 2 = 575 = ¼·400 + ½·600 + ¼·700
    const out = periodStartRows(
      [row('10:00', 400, 10), row('10:30', 600, 12), row('11:00', 700, null), row('13:00', 800)],
      'instant',
    );
    expect(out.map((r) => r.ghiWM2)).toEqual([500, 650, 700, 800]);
    // a field the next row lacks keeps its own value; the last row and a row before a gap keep theirs
    expect(out.map((r) => r.temperatureC)).toEqual([11, 12, null, 20]);
    expect(out.map((r) => r.ts)).toEqual([at('10:00'), at('10:30'), at('11:00'), at('13:00')]);
    expect(((out[0].ghiWM2 ?? 0) + (out[1].ghiWM2 ?? 0)) / 2).toBe(0.25 * 400 + 0.5 * 600 + 0.25 * 700);
  });
});

describe('where a weather file keeps its times', () => {
  it('takes an unnamed first column (a pandas or pvlib index, as the shared PSM3 file has) as the timestamp', () => {
    const csv = [
      ',Year,Month,Day,Hour,Minute,temp_air,ghi,ghi_clear,dni_clear,dhi_clear',
      '2012-07-01 00:00:00-07:00,2012,7,1,0,0,18.5,0.0,0.0,0.0,0.0',
      '2012-07-01 12:30:00-07:00,2012,7,1,12,30,30.1,812.0,990.0,900.0,110.0',
    ].join('\n');
    const p = parseWeatherCsv(csv, 'America/Denver');
    expect(p.columns).toEqual({ temperatureC: 'temp_air', ghiWM2: 'ghi' });
    expect(p.rows.map((r) => [r.ts.toISOString(), r.temperatureC, r.ghiWM2])).toEqual([
      ['2012-07-01T07:00:00.000Z', 18.5, 0],
      ['2012-07-01T19:30:00.000Z', 30.1, 812],
    ]);
  });

  it('composes Year, Month, Day, Hour and Minute columns (an NSRDB download) in the file’s zone, naming a bad line', () => {
    const csv = [
      'Year,Month,Day,Hour,Minute,GHI,Temperature',
      '2012,7,1,0,0,0,18.5',
      '2012,7,1,12,30,812,30.1',
      '2012,7,1,x,0,5,20',
    ].join('\n');
    // NSRDB's local times are standard time all year: UTC−7 for Colorado, not America/Denver's summer time
    const p = parseWeatherCsv(csv, 'Etc/GMT+7');
    expect(p.rows.map((r) => [r.ts.toISOString(), r.ghiWM2, r.temperatureC])).toEqual([
      ['2012-07-01T07:00:00.000Z', 0, 18.5],
      ['2012-07-01T19:30:00.000Z', 812, 30.1],
    ]);
    expect(p.rowsRejected).toBe(1);
    expect(p.errors).toEqual([{ line: 4, message: 'line 4: "2012 7 1 x 0" is not a date and time' }]);
  });

  it('without either, says what it looked for and quotes the header', () => {
    expect(() => parseWeatherCsv('when,ghi\n2012-07-01,3\n', 'UTC')).toThrow(
      'No timestamp column (or Year, Month, Day and Hour columns): the header is when, ghi.',
    );
  });
});

describe('irradiance in the wrong unit', () => {
  const hours = (n: number, ghi: (h: number) => number) =>
    Array.from({ length: n }, (_, h) => `${new Date(Date.UTC(2017, 5, 1, h)).toISOString()},${ghi(h)}`).join(
      '\n',
    );
  const code = (text: string) => {
    try {
      parseWeatherCsv(text, 'UTC');
      return null;
    } catch (e) {
      return e instanceof WeatherFileError ? [e.code, e.message] : e;
    }
  };

  it.each([
    'GHI (kWh/m2)',
    'shortwave_radiation_sum (MJ/m²)',
    'ghi_wh_m2',
    'surface_solar_radiation_downwards (J m-2)',
    'irradiance kJ/m^2',
  ])('refuses a header in energy per m²: %s', (header) => {
    const [c, message] = code(`timestamp,${header}\n${hours(3, () => 0.5)}\n`) as string[];
    expect(c).toBe('WRONG_UNIT');
    expect(message).toContain(`Column "${header}" holds irradiation (energy per m²)`);
  });

  it.each(['GHI (W/m^2)', 'shortwave_radiation (W/m²)', 'irradiance_w_m2', 'ghi'])(
    'reads %s as W/m²',
    (header) => {
      expect(code(`timestamp,${header}\n${hours(3, (h) => 100 * h)}\n`)).toBeNull();
    },
  );

  it('refuses two days of GHI that never pass 1.5 (kWh/m² under a W/m² header), not one day, not a dark file', () => {
    const sun = (h: number) => Math.max(0, Math.sin(((h % 24) - 6) * (Math.PI / 12))) * 0.8;
    const [c, message] = code(`timestamp,ghi\n${hours(48, sun)}\n`) as string[];
    expect(c).toBe('WRONG_UNIT');
    expect(message).toBe(
      'Column "ghi" never exceeds 0.8 in 48 rows: that is kWh/m² (irradiation), not W/m² (irradiance, up to about 1,000 in sunshine). Multiply hourly kWh/m² by 1,000.',
    );
    expect(code(`timestamp,ghi\n${hours(47, sun)}\n`)).toBeNull();
    expect(code(`timestamp,ghi\n${hours(48, () => 0)}\n`)).toBeNull();
    expect(code(`timestamp,ghi\n${hours(48, (h) => sun(h) * 1000)}\n`)).toBeNull();
  });
});

describe('lines above the header', () => {
  // Open-Meteo's CSV download: a metadata block (its `timezone` is the zone of the times below), a blank line, then
  // the hourly table; wind speed in km/h by default.
  const openMeteo = (zone: string) =>
    [
      'latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation',
      `33.45,-112.07,331.0,0,${zone},GMT`,
      '',
      'time,temperature_2m (°C),shortwave_radiation (W/m²),wind_speed_10m (km/h)',
      '2017-06-01T19:00,38.5,921,18',
      '2017-06-01T20:00,39.6,978,21.6',
      '',
    ].join('\n');

  it('reads an Open-Meteo download: its times in the zone its metadata names (GMT), not the site’s', () => {
    const p = parseWeatherCsv(openMeteo('GMT'), 'America/Phoenix');
    expect(p.columns).toEqual({
      temperatureC: 'temperature_2m (°C)',
      ghiWM2: 'shortwave_radiation (W/m²)',
      windSpeedMS: 'wind_speed_10m (km/h)',
    });
    expect(p.rows).toEqual([
      {
        ts: new Date('2017-06-01T19:00:00Z'),
        temperatureC: 38.5,
        ghiWM2: 921,
        cloudCoverPct: null,
        windSpeedMS: 5,
      },
      {
        ts: new Date('2017-06-01T20:00:00Z'),
        temperatureC: 39.6,
        ghiWM2: 978,
        cloudCoverPct: null,
        windSpeedMS: 6,
      },
    ]);
    const parser = new WeatherLineParser('America/Phoenix');
    openMeteo('America/Phoenix')
      .split('\n')
      .forEach((l, i) => (parser.hasHeader ? parser.row(l, i + 1) : l.trim() && parser.setHeader(l)));
    expect(parser.finish().fileTimezone).toBe('America/Phoenix');
    expect(parser.summary.firstTs).toEqual(new Date('2017-06-02T02:00:00Z')); // 19:00 MST = UTC−7
  });

  it('refuses a metadata zone that is not one, a TMY3 typical year, and a file whose header never comes', () => {
    expect(() => parseWeatherCsv(openMeteo('Mars/Olympus'), 'UTC')).toThrow(
      'The file says its times are in "Mars/Olympus", which is not a time zone.',
    );
    // the first lines of NSRDB's TMY3 723170TYA.CSV (Greensboro, NC; pvlib-python's data)
    const tmy3 =
      '723170,"GREENSBORO PIEDMONT TRIAD INT",NC,-5.0,36.100,-79.950,273\n' +
      'Date (MM/DD/YYYY),Time (HH:MM),ETR (W/m^2),ETRN (W/m^2),GHI (W/m^2),GHI source\n' +
      '01/01/1988,01:00,0,0,0,1\n';
    expect(() => parseWeatherCsv(tmy3, 'UTC')).toThrow(
      expect.objectContaining({
        code: 'TYPICAL_YEAR',
        message: expect.stringContaining('typical meteorological year'),
      }),
    );
    const noHeader = ['a,b', '1,2', '3,4', '5,6', '7,8', '9,10', '11,12'].join('\n');
    expect(() => parseWeatherCsv(noHeader, 'UTC')).toThrow(
      'No timestamp column (or Year, Month, Day and Hour columns): the header is a, b.',
    );
  });
});

import { detectDateOrder, parseTimestamp, type DateOrder, type TimestampValue } from './timestamp-parser';
import { createZoneResolver } from './zone-resolver';

function parse(text: string, order: DateOrder): TimestampValue | string {
  const out: TimestampValue = { wallMs: 0, offsetMinutes: null };
  return parseTimestamp(text, order, out) ?? out;
}

describe('timestamp parsing', () => {
  it('reads ISO with and without offsets', () => {
    expect(parse('2024-03-31T01:30:00+01:00', 'ymd')).toEqual({
      wallMs: Date.UTC(2024, 2, 31, 1, 30),
      offsetMinutes: 60,
    });
    expect(parse('2024-03-31 01:30', 'ymd')).toEqual({
      wallMs: Date.UTC(2024, 2, 31, 1, 30),
      offsetMinutes: null,
    });
    expect(parse('2024-03-31T01:30:00.500Z', 'ymd')).toEqual({
      wallMs: Date.UTC(2024, 2, 31, 1, 30, 0, 500),
      offsetMinutes: 0,
    });
    expect(parse('2024-01-01T00:00:00-0530', 'ymd')).toEqual({
      wallMs: Date.UTC(2024, 0, 1),
      offsetMinutes: -330,
    });
    expect(parse('2024/01/02', 'ymd')).toEqual({ wallMs: Date.UTC(2024, 0, 2), offsetMinutes: null });
  });

  it('reads day-first, month-first, dotted, two-digit years, AM/PM and 24:00', () => {
    expect(parse('31/12/2018 23:45', 'dmy')).toEqual({
      wallMs: Date.UTC(2018, 11, 31, 23, 45),
      offsetMinutes: null,
    });
    expect(parse('12/31/2018 11:45 PM', 'mdy')).toEqual({
      wallMs: Date.UTC(2018, 11, 31, 23, 45),
      offsetMinutes: null,
    });
    expect(parse('01.03.24 00:15', 'dmy')).toEqual({
      wallMs: Date.UTC(2024, 2, 1, 0, 15),
      offsetMinutes: null,
    });
    expect(parse('31/12/2018 24:00', 'dmy')).toEqual({ wallMs: Date.UTC(2019, 0, 1), offsetMinutes: null });
  });

  it('explains impossible dates', () => {
    expect(parse('2023-02-29 00:00', 'ymd')).toMatch(/day 29/);
    expect(parse('13/13/2024', 'dmy')).toMatch(/month 13/);
    expect(parse('2024-01-01 25:00', 'ymd')).toMatch(/time of day/);
    expect(parse('yesterday', 'ymd')).toBe('is not a date');
    expect(parse('01/02/2024', 'ymd')).toMatch(/year-first/);
  });

  it('decides the date order from the sample', () => {
    expect(detectDateOrder(['01/02/2024', '13/02/2024'])).toEqual({
      order: 'dmy',
      assumed: false,
      parsed: 2,
    });
    expect(detectDateOrder(['02/01/2024', '02/13/2024'])).toEqual({
      order: 'mdy',
      assumed: false,
      parsed: 2,
    });
    expect(detectDateOrder(['01.02.2024'])).toEqual({ order: 'dmy', assumed: false, parsed: 1 });
    expect(detectDateOrder(['01/02/2024'])).toEqual({ order: 'dmy', assumed: true, parsed: 1 });
    expect(detectDateOrder(['2024-01-02'])).toEqual({ order: 'ymd', assumed: false, parsed: 1 });
  });
});

describe('zone resolver', () => {
  it('gives gap and ambiguity around clock changes and plain offsets elsewhere', () => {
    const z = createZoneResolver('Europe/London');
    expect(z.resolve(Date.UTC(2024, 2, 31, 1, 30))).toEqual({ kind: 'gap' });
    expect(z.resolve(Date.UTC(2024, 9, 27, 1, 30))).toEqual({
      kind: 'ambiguous',
      earlierUtcMs: Date.UTC(2024, 9, 27, 0, 30),
      laterUtcMs: Date.UTC(2024, 9, 27, 1, 30),
    });
    expect(z.resolve(Date.UTC(2024, 6, 1, 12))).toEqual({
      kind: 'ok',
      utcMs: Date.UTC(2024, 6, 1, 11),
      offsetMinutes: 60,
    });
    expect(z.toWall(Date.UTC(2024, 6, 1, 11))).toBe(Date.UTC(2024, 6, 1, 12));
    // Lord Howe Island moves its clocks by 30 minutes
    const lh = createZoneResolver('Australia/Lord_Howe');
    expect(lh.resolve(Date.UTC(2024, 9, 6, 2, 15))).toEqual({ kind: 'gap' });
  });
});

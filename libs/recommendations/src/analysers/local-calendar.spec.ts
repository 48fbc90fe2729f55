import { DateTime } from 'luxon';
import { localCalendar } from './common';

describe('localCalendar', () => {
  it.each([
    'Europe/London',
    'America/Los_Angeles',
    'Australia/Lord_Howe',
    'America/St_Johns',
    'Asia/Kathmandu',
  ])('%s: hour, weekday, month and local date agree with luxon at every 20 minutes of 2019', (zone) => {
    let mismatches = 0;
    for (let ms = Date.UTC(2019, 0, 1); ms < Date.UTC(2020, 0, 1); ms += 20 * 60_000) {
      const l = DateTime.fromMillis(ms, { zone });
      const got = localCalendar(new Date(ms), zone);
      const want = {
        hourOfWeek: (l.weekday - 1) * 24 + l.hour,
        hour: l.hour,
        weekday: l.weekday,
        month: l.month,
        dateKey: l.toISODate(),
      };
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('refuses an unknown zone and an invalid instant', () => {
    expect(() => localCalendar(new Date(0), 'Nowhere/Else')).toThrow(RangeError);
    expect(() => localCalendar(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

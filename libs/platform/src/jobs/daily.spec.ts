import { nextDailyRunMs } from './jobs.service';

describe('nextDailyRunMs', () => {
  const at = (iso: string) => Date.parse(iso);

  it('is later the same UTC day when the hour is still ahead', () => {
    expect(new Date(nextDailyRunMs(at('2026-03-01T01:59:59.999Z'), 2)).toISOString()).toBe(
      '2026-03-01T02:00:00.000Z',
    );
  });

  it('is the next day at the hour itself and after it', () => {
    expect(new Date(nextDailyRunMs(at('2026-03-01T02:00:00.000Z'), 2)).toISOString()).toBe(
      '2026-03-02T02:00:00.000Z',
    );
    expect(new Date(nextDailyRunMs(at('2026-12-31T23:30:00.000Z'), 0)).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });
});

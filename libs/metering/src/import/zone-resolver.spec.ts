import { IANAZone } from 'luxon';
import { createZoneResolver } from './zone-resolver';

describe('createZoneResolver', () => {
  // The resolver caches offsets per UTC midnight and bisects the days with a clock change; it must
  // agree with luxon (the Intl zone data) at every instant, in zones with and without DST.
  it.each([
    'Europe/Berlin',
    'America/New_York',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'Africa/Casablanca',
    'America/Santiago',
    'UTC',
    'Etc/GMT-5',
  ])('gives luxon offsets every 41 minutes across 2023–2024 in %s', (zone) => {
    const r = createZoneResolver(zone);
    const z = IANAZone.create(zone);
    const mismatches: number[] = [];
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2025, 0, 1); t += 41 * 60_000)
      if (r.offsetMinutesAt(t) !== z.offset(t)) mismatches.push(t);
    expect(mismatches).toEqual([]);
  });

  it('places the spring gap and the autumn repeat of Europe/London', () => {
    const r = createZoneResolver('Europe/London');
    expect(r.resolve(Date.UTC(2024, 2, 31, 1, 30))).toEqual({ kind: 'gap' });
    expect(r.resolve(Date.UTC(2024, 9, 27, 1, 30))).toEqual({
      kind: 'ambiguous',
      earlierUtcMs: Date.UTC(2024, 9, 27, 0, 30),
      laterUtcMs: Date.UTC(2024, 9, 27, 1, 30),
    });
    expect(r.resolve(Date.UTC(2024, 6, 1, 12, 0))).toEqual({
      kind: 'ok',
      utcMs: Date.UTC(2024, 6, 1, 11, 0),
      offsetMinutes: 60,
    });
    expect(r.toWall(Date.UTC(2024, 9, 27, 1, 30))).toBe(Date.UTC(2024, 9, 27, 1, 30));
    expect(r.toWall(Date.UTC(2024, 9, 27, 0, 30))).toBe(Date.UTC(2024, 9, 27, 1, 30));
  });
});

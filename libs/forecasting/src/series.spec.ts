import { IANAZone } from 'luxon';
import { MS_PER_HOUR, ZoneOffsets, localOffsetsMinutes } from './series';

describe('ZoneOffsets / localOffsetsMinutes', () => {
  // Zones with spring and autumn changes, half-hour and 45-minute offsets, a 30-minute DST shift
  // (Lord Howe), changes at :30 UTC (St John's), Ramadan suspensions (Casablanca), and none at all.
  const zones = [
    'Europe/London',
    'America/New_York',
    'Australia/Lord_Howe',
    'America/St_Johns',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'Africa/Casablanca',
    'America/Sao_Paulo',
    'UTC',
  ];
  const start = Date.UTC(2017, 0, 1);
  const end = Date.UTC(2020, 0, 1);

  it.each(zones)(
    '%s: the offset of every quarter-hour over three years equals a per-hour look-up',
    (zone) => {
      const iana = IANAZone.create(zone);
      const times: number[] = [];
      for (let t = start; t < end; t += 15 * 60_000) times.push(t);
      const got = localOffsetsMinutes(zone, times);
      const exact = new ZoneOffsets(zone);
      let mismatches = 0;
      let changes = 0;
      let expected = 0;
      for (let i = 0; i < times.length; i++) {
        if (times[i] % MS_PER_HOUR === 0) expected = iana.offset(times[i]);
        if (got[i] !== expected) mismatches++;
        if (exact.at(times[i]) !== iana.offset(times[i])) mismatches++;
        if (i > 0 && got[i] !== got[i - 1]) changes++;
      }
      expect(mismatches).toBe(0);
      // the zones that change do change (the check above is not vacuous)
      if (!['Asia/Kolkata', 'UTC'].includes(zone)) expect(changes).toBeGreaterThan(0);
    },
  );

  it('names a clock change at the right hour (London, 26 March 2017, 01:00 UTC)', () => {
    const offsets = new ZoneOffsets('Europe/London');
    expect(offsets.atHour(Date.UTC(2017, 2, 26, 0, 59))).toBe(0);
    expect(offsets.atHour(Date.UTC(2017, 2, 26, 1, 0))).toBe(60);
    expect(offsets.atHour(Date.UTC(2017, 9, 29, 0, 59))).toBe(60);
    expect(offsets.atHour(Date.UTC(2017, 9, 29, 1, 0))).toBe(0);
  });

  it('refuses an unknown zone', () => {
    expect(() => new ZoneOffsets('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

import {
  decodeDstRule,
  dstRuleDate,
  encodeDstRule,
  espiCostToCurrency,
  espiStartToDate,
  feedOffsetSecondsAt,
  meanPowerKw,
} from './espi';

describe('ESPI helpers (DOMAIN.md §8 vectors 44–48)', () => {
  it('vector 44: 282 Wh over 900 s is 1.128 kW; cost 974 is $0.00974', () => {
    expect(meanPowerKw(282, 900)).toBeCloseTo(1.128, 10);
    expect(espiCostToCurrency(974)).toBeCloseTo(0.00974, 12);
  });

  it('vector 45: start 1330578000 is 2012-03-01T05:00Z', () => {
    expect(espiStartToDate(1330578000).toISOString()).toBe('2012-03-01T05:00:00.000Z');
  });

  it('vector 46: 360E2000 is March, 2nd Sunday, 02:00', () => {
    expect(decodeDstRule('360E2000')).toEqual({
      month: 3,
      operator: 3,
      weekday: 7,
      dayOfMonth: 0,
      hour: 2,
      seconds: 0,
    });
  });

  it('vector 47: B40E2000 is November, 1st Sunday, 02:00', () => {
    expect(decodeDstRule('B40E2000')).toEqual({
      month: 11,
      operator: 2,
      weekday: 7,
      dayOfMonth: 0,
      hour: 2,
      seconds: 0,
    });
  });

  it('vector 48: 3rd Friday in March at 01:45 encodes to 380A1A8C', () => {
    expect(
      encodeDstRule({ month: 3, operator: 4, weekday: 5, dayOfMonth: 0, hour: 1, seconds: 45 * 60 }),
    ).toBe('380A1A8C');
    expect(encodeDstRule(decodeDstRule('360E2000')!)).toBe('360E2000');
  });

  it('no-DST marker decodes to null', () => {
    expect(decodeDstRule('FFFFFFFF')).toBeNull();
  });

  it('places the rules on calendar dates and gives the feed offset', () => {
    const start = decodeDstRule('360E2000')!;
    const end = decodeDstRule('B40E2000')!;
    expect(dstRuleDate(start, 2012)).toEqual({ year: 2012, month: 3, day: 11 });
    expect(dstRuleDate(end, 2012)).toEqual({ year: 2012, month: 11, day: 4 });
    const p = { tzOffsetSeconds: -18000, dstOffsetSeconds: 3600, dstStart: start, dstEnd: end };
    // 2012-03-11 06:59Z = 01:59 EST; 07:00Z = 03:00 EDT
    expect(feedOffsetSecondsAt(p, Date.UTC(2012, 2, 11, 6, 59))).toBe(-18000);
    expect(feedOffsetSecondsAt(p, Date.UTC(2012, 2, 11, 7, 0))).toBe(-14400);
    // 2012-11-04 05:59Z = 01:59 EDT; 06:00Z = 01:00 EST
    expect(feedOffsetSecondsAt(p, Date.UTC(2012, 10, 4, 5, 59))).toBe(-14400);
    expect(feedOffsetSecondsAt(p, Date.UTC(2012, 10, 4, 6, 0))).toBe(-18000);
  });
});

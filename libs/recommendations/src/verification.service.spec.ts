import { type VerificationInputs, hashInputs, sameBesideFetchedWeather } from './verification.service';

/** The inputs a stored verification is reused for: a lab verified with no weather at all. */
const noWeather: VerificationInputs = {
  v: 3,
  implementedOn: '2017-01-01',
  timezone: 'Europe/London',
  weatherSource: 'off',
  weather: { imported: { hours: 0, digest: null }, fetched: { hours: 0, digest: null } },
  meters: [
    [
      'm1',
      {
        meterId: 'm1',
        first: new Date('2016-01-01T00:00:00Z'),
        last: new Date('2017-12-31T23:00:00Z'),
        count: 17_518,
      },
    ],
  ],
  events: [],
};

describe('verification input hash', () => {
  it('changes when weather is imported, re-imported with other values, or fetched', () => {
    const imported = {
      ...noWeather,
      weather: { ...noWeather.weather!, imported: { hours: 17_518, digest: 'a'.repeat(32) } },
    };
    const reimported = {
      ...imported,
      weather: { ...imported.weather, imported: { hours: 17_518, digest: 'b'.repeat(32) } },
    };
    const fetched = {
      ...noWeather,
      weather: { ...noWeather.weather!, fetched: { hours: 72, digest: 'c'.repeat(32) } },
    };
    const hashes = [noWeather, imported, reimported, fetched].map(hashInputs);
    expect(new Set(hashes).size).toBe(4);
    expect(hashInputs({ ...noWeather })).toBe(hashes[0]);
    // …and when the setting is turned on
    expect(hashInputs({ ...noWeather, weatherSource: 'open-meteo' })).not.toBe(hashes[0]);
  });

  it('tells weather the computation fetched itself (stored with the new hash) from any other change', () => {
    const fetched = {
      ...noWeather,
      weather: { ...noWeather.weather!, fetched: { hours: 72, digest: 'c'.repeat(32) } },
    };
    expect(sameBesideFetchedWeather(noWeather, fetched)).toBe(true);
    expect(
      sameBesideFetchedWeather(noWeather, {
        ...fetched,
        weather: { ...fetched.weather, imported: { hours: 1, digest: 'd'.repeat(32) } },
      }),
    ).toBe(false);
    expect(
      sameBesideFetchedWeather(noWeather, {
        ...fetched,
        events: [['e1', '2017-03-01T00:00:00.000Z', '2017-03-08T00:00:00.000Z']],
      }),
    ).toBe(false);
    expect(sameBesideFetchedWeather(noWeather, { ...fetched, implementedOn: '2017-02-01' })).toBe(false);
  });
});

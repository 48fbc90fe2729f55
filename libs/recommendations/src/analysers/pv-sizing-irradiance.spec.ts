/**
 * PV sizing from a site's measured irradiance (GHI alone, as weather files and imports carry it), checked on a real
 * typical year: NSRDB TMY3 Greensboro, NC (__fixtures__/SOURCE.txt), whose file also has DNI and DHI. The reference
 * is the same plane-of-array and PVWatts chain fed those measured components; the analyser only has GHI and splits
 * it with Erbs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PVWATTS_DEFAULT_LOSSES_PERCENT,
  poaIsotropic,
  pvwattsDcW,
  pvwattsInverterW,
  pvwattsLossesPercent,
  sapmCellTemperatureC,
  solarPosition,
} from '@halve/forecasting';
import { hourlyYear, isOfficeHour, meter, siteInput } from './__fixtures__/synthetic';
import { PV_DC_AC_RATIO, PV_GAMMA_PER_C, PV_MEASURED_YEAR_SPREAD, analysePvSizing } from './pv-sizing';

const LAT = 36.1;
const LON = -79.95;
const TILT = 35; // the analyser's default: |latitude| rounded, at most 35°
const HOUR = 3_600_000;

/** The TMY3 rows on 2021's hours: hour-ending local standard time (UTC−5) → the hour's start in UTC. */
const tmy = readFileSync(join(__dirname, '__fixtures__', 'tmy3-723170-greensboro.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(2)
  .map((line) => {
    const [date, time, ghi, dni, dhi, t] = line.split(',');
    const [month, day] = date.split('/').map(Number);
    const hourEnding = Number(time.slice(0, 2));
    const ts = new Date(Date.UTC(2021, month - 1, day, hourEnding - 1 + 5));
    return { ts, ghi: Number(ghi), dni: Number(dni), dhi: Number(dhi), temperatureC: Number(t) };
  });

const office = hourlyYear((ts) => (isOfficeHour(ts) ? 32 : 12));
const site = { id: 's1', timezone: 'UTC', country: 'US', latitude: LAT, longitude: LON, altitudeM: 273 };
const temperature = tmy.map((r) => ({ ts: r.ts, temperatureC: r.temperatureC }));
const candidateKwp = [10];
const sizing = (irradiance?: { ts: Date; ghiWm2: number }[]) =>
  analysePvSizing(
    siteInput([meter(office)], {
      site,
      temperature,
      irradiance,
      pvEconomics: { exportPricePerKwh: 0.25 },
      options: { pvSizing: { candidateKwp } },
    }),
  )[0];
const yieldOf = (s: ReturnType<typeof sizing>) => s.evidence.numbers.specificYieldKwhPerKwp as number;

/** kWh per kWp over the office's hours from the file's own DNI and DHI (no decomposition). */
function referenceYield(): number {
  const loss = 1 - pvwattsLossesPercent(PVWATTS_DEFAULT_LOSSES_PERCENT) / 100;
  const inverterDc = 1000 / PV_DC_AC_RATIO / 0.96;
  const last = office[office.length - 1].ts.getTime();
  let kwh = 0;
  for (const r of tmy) {
    if (r.ts.getTime() > last) continue;
    const sun = solarPosition(r.ts.getTime() + HOUR / 2, LAT, LON);
    if (sun.zenithDeg >= 90 || r.ghi <= 0) continue;
    const poa = poaIsotropic({
      tiltDeg: TILT,
      surfaceAzimuthDeg: 180,
      sunZenithDeg: sun.zenithDeg,
      sunAzimuthDeg: sun.azimuthDeg,
      dniWm2: r.dni,
      ghiWm2: r.ghi,
      dhiWm2: r.dhi,
    }).poaWm2;
    const dc = pvwattsDcW(poa, sapmCellTemperatureC(poa, r.temperatureC, 1), 1000, PV_GAMMA_PER_C) * loss;
    kwh += pvwattsInverterW(dc, inverterDc, 0.96) / 1000;
  }
  return kwh;
}

describe('PV sizing from the site’s measured irradiance', () => {
  const reference = referenceYield();
  const measured = sizing(tmy.map((r) => ({ ts: r.ts, ghiWm2: r.ghi })));
  const clearSky = sizing();

  it('a year of GHI gives the yield of its measured DNI and DHI within 3 %, where clear sky × 0.75 is over 5 % high', () => {
    expect(reference).toBeGreaterThan(1200);
    expect(reference).toBeLessThan(1600);
    expect(Math.abs(yieldOf(measured) / reference - 1)).toBeLessThan(0.03);
    expect(yieldOf(clearSky) / reference - 1).toBeGreaterThan(0.05);
    expect(measured.explanation).toContain("kWh per kWp, from the site's measured irradiance)");
    expect(clearSky.explanation).toContain('kWh per kWp, clear-sky model × 0.75 for clouds)');
    // 2021's first 5 hours (UTC) are before the file's first hour: night, so every daytime hour is measured
    expect(measured.evidence.numbers.measuredIrradianceDaytimePct).toBe(100);
    expect(clearSky.evidence.numbers.measuredIrradianceDaytimePct).toBe(0);
  });

  it('its money range is the measured year ± 5 % (exports paid at the import price: value ∝ generation)', () => {
    const value = measured.annualSavingMoney!;
    expect(measured.range!.low).toBeCloseTo(value * (1 - PV_MEASURED_YEAR_SPREAD), 6);
    expect(measured.range!.high).toBeCloseTo(value * (1 + PV_MEASURED_YEAR_SPREAD), 6);
  });

  it('hours without GHI fall back to clear sky × clearness, and the explanation says for how many', () => {
    const firstHalf = tmy.filter((r) => r.ts < new Date(Date.UTC(2021, 6, 1)));
    const half = sizing(firstHalf.map((r) => ({ ts: r.ts, ghiWm2: r.ghi })));
    const pct = half.evidence.numbers.measuredIrradianceDaytimePct as number;
    // January–June hold a little over half of the year's daytime hours (longer days in May and June)
    expect(pct).toBeGreaterThan(49);
    expect(pct).toBeLessThan(52);
    expect(half.explanation).toContain(
      `from the site's measured irradiance for ${pct.toFixed(1)} % of the daytime hours, clear-sky model × 0.75 for the rest`,
    );
    expect(yieldOf(half)).toBeGreaterThan(yieldOf(measured));
    expect(yieldOf(half)).toBeLessThan(yieldOf(clearSky));
  });

  it('a measured GHI of 0 generates nothing that hour', () => {
    const dark = sizing(
      tmy.map((r) => ({ ts: r.ts, ghiWm2: r.ts < new Date(Date.UTC(2021, 6, 1)) ? 0 : r.ghi })),
    );
    expect(yieldOf(dark)).toBeLessThan(0.6 * yieldOf(measured));
    expect(yieldOf(dark)).toBeGreaterThan(0.4 * yieldOf(measured));
  });
});

import {
  absoluteAirMass,
  airMassKastenYoung,
  aoiDeg,
  aoiProjection,
  declinationSpencerRad,
  equationOfTimeSpencerMinutes,
  extraterrestrialIrradianceWm2,
  groundReflectedWm2,
  haurwitzGhiWm2,
  hourAngleDeg,
  ineichenPerez,
  isotropicSkyDiffuseWm2,
  poaIsotropic,
  pressureFromAltitudePa,
  pvwattsDcW,
  pvwattsInverterEfficiency,
  pvwattsInverterW,
  pvwattsLossesPercent,
  sapmCellTemperatureC,
  solarPosition,
  clearSkyAt,
  dayOfYearUtc,
  erbsDecomposition,
} from './solar';

const DEG = Math.PI / 180;
// Golden, CO, 2003-10-17 12:30:30 MST (UTC−7) — DOMAIN.md §8 vectors 15 and 16.
const goldenUtcMs = Date.UTC(2003, 9, 17, 19, 30, 30);

describe('solar geometry (DOMAIN.md §8)', () => {
  it('vector 16: Spencer EoT, declination, zenith and azimuth at Golden', () => {
    const p = solarPosition(goldenUtcMs, 39.742476, -105.1786);
    expect(p.equationOfTimeMinutes).toBeCloseTo(14.8, 1);
    expect(p.declinationRad / DEG).toBeCloseTo(-8.959, 2);
    expect(p.zenithDeg).toBeCloseTo(49.79, 1);
    expect(p.azimuthDeg).toBeCloseTo(194.48, 1);
  });

  it('vector 15: within 0.5° of NREL SPA', () => {
    const p = solarPosition(goldenUtcMs, 39.742476, -105.1786);
    expect(Math.abs(p.zenithDeg - 50.12795)).toBeLessThan(0.5);
    expect(Math.abs(p.azimuthDeg - 194.34024)).toBeLessThan(0.5);
    expect(Math.abs(p.declinationRad / DEG - -9.31434)).toBeLessThan(0.5);
  });

  it('vectors 17–18: hour angle', () => {
    // 2015-01-02 12:04:44.634 at UTC−7 = 19:04:44.634 UTC
    expect(hourAngleDeg(Date.UTC(2015, 0, 2, 19, 4, 44, 634), -105.1786, -4.026295)).toBeCloseTo(
      0.00080125,
      4,
    );
    expect(hourAngleDeg(Date.UTC(2015, 0, 2, 14, 21, 55, 213.2), -105.1786, -3.935172)).toBeCloseTo(
      -70.682338,
      4,
    );
  });

  it('vector 19: Spencer declination at the solstices', () => {
    expect(declinationSpencerRad(172) / DEG).toBeCloseTo(23.452, 3);
    expect(declinationSpencerRad(355) / DEG).toBeCloseTo(-23.42, 3);
  });

  it('vectors 20–21: extraterrestrial irradiance', () => {
    expect(extraterrestrialIrradianceWm2(300)).toBeCloseTo(1383.636, 3);
    expect(extraterrestrialIrradianceWm2(1)).toBeCloseTo(1413.98, 2);
  });

  it('EoT is a few minutes and bounded', () => {
    for (let d = 1; d <= 365; d++) expect(Math.abs(equationOfTimeSpencerMinutes(d))).toBeLessThan(17.5);
  });
});

describe('clear sky', () => {
  it('vector 22: Haurwitz', () => {
    const expected = [48.6299, 135.7417, 487.8941, 778.7667, 1035.092];
    [5, 10, 30, 50, 90].forEach((elevation, i) =>
      expect(haurwitzGhiWm2(90 - elevation)).toBeCloseTo(expected[i], 3),
    );
    expect(haurwitzGhiWm2(95)).toBe(0);
  });

  it('vectors 23–24: Ineichen–Perez', () => {
    const a = ineichenPerez({ apparentZenithDeg: 10, airMassAbsolute: 1, linkeTurbidity: 3 });
    expect(a.ghiWm2).toBeCloseTo(1038.1592, 3);
    expect(a.dniWm2).toBeCloseTo(942.2082, 3);
    expect(a.dhiWm2).toBeCloseTo(110.2653, 3);
    const b = ineichenPerez({
      apparentZenithDeg: 10,
      airMassAbsolute: 1,
      linkeTurbidity: 3,
      dniExtraWm2: 1370,
    });
    expect(b.ghiWm2).toBeCloseTo(1042.7259, 3);
    expect(b.dniWm2).toBeCloseTo(946.3528, 3);
    expect(b.dhiWm2).toBeCloseTo(110.7503, 3);
  });

  it('vectors 25–27: air mass and pressure', () => {
    expect(airMassKastenYoung(80)).toBeCloseTo(5.586, 3);
    expect(pressureFromAltitudePa(1000)).toBeCloseTo(89874.75, 1);
    expect(absoluteAirMass(2, 90000)).toBeCloseTo(1.776, 3);
    expect(Number.isNaN(airMassKastenYoung(91))).toBe(true);
  });

  it('is zero at night and positive at noon', () => {
    const night = clearSkyAt(Date.UTC(2017, 5, 21, 8), 39.74, -105.18, 1830);
    expect(night.ghiWm2).toBe(0);
    const noon = clearSkyAt(Date.UTC(2017, 5, 21, 19), 39.74, -105.18, 1830);
    expect(noon.ghiWm2).toBeGreaterThan(900);
    expect(noon.ghiWm2).toBeLessThan(1150);
  });
});

describe('plane of array and PV power', () => {
  it('vectors 28–30: isotropic sky, ground reflection, AOI', () => {
    expect(isotropicSkyDiffuseWm2(40, 100)).toBeCloseTo(88.3022, 4);
    expect(groundReflectedWm2(40, 900)).toBeCloseTo(26.32, 4);
    expect(aoiDeg(90, 0, 30, 60)).toBeCloseTo(75.5225, 4);
    expect(aoiProjection(90, 0, 30, 60)).toBeCloseTo(0.25, 10);
  });

  it('vector 31: POA components', () => {
    const poa = poaIsotropic({
      tiltDeg: 32,
      surfaceAzimuthDeg: 180,
      sunZenithDeg: 10,
      sunAzimuthDeg: 180,
      dniWm2: 1000,
      ghiWm2: 1100,
      dhiWm2: 100,
    });
    expect(poa.beamWm2).toBeCloseTo(927.184, 3);
    expect(poa.skyDiffuseWm2).toBeCloseTo(92.402, 3);
    expect(poa.groundDiffuseWm2).toBeCloseTo(20.893, 3);
    expect(poa.poaWm2).toBeCloseTo(1040.48, 2);
  });

  it('vectors 32–36: PVWatts DC, losses, inverter, SAPM', () => {
    expect(pvwattsDcW(900, 30, 100, -0.003)).toBeCloseTo(88.65, 4);
    expect(pvwattsLossesPercent()).toBeCloseTo(14.07566, 4);
    expect(pvwattsInverterW(90, 100, 0.95)).toBeCloseTo(85.58557, 4);
    expect(pvwattsInverterW(50, 100, 0.95)).toBeCloseTo(47.60844, 4);
    expect(sapmCellTemperatureC(900, 20, 5)).toBeCloseTo(43.509, 3);
    expect(pvwattsInverterW(0, 100)).toBe(0);
  });

  it('vector 37: the whole chain', () => {
    const tc = sapmCellTemperatureC(1040.48, 20, 5);
    expect(tc).toBeCloseTo(47.179, 3);
    const dc = pvwattsDcW(1040.48, tc, 5000, -0.0047);
    expect(dc).toBeCloseTo(4660.1, 1);
    const afterLosses = dc * (1 - pvwattsLossesPercent() / 100);
    expect(afterLosses).toBeCloseTo(4004.16, 1);
    const pac0 = 5000 / 1.2;
    const pdc0Inverter = pac0 / 0.96;
    expect(pvwattsInverterEfficiency(afterLosses, pdc0Inverter)).toBeCloseTo(0.96076, 5);
    expect(pvwattsInverterW(afterLosses, pdc0Inverter)).toBeCloseTo(3847.02, 1);
  });
});

describe('Erbs decomposition of GHI', () => {
  // pvlib-python's tests/test_irradiance.py test_erbs (GHI 0/50/1000/1000 W/m², zenith 120/85/10/10°,
  // 2019-01-01 ×3 and 2019-06-20): DNI, DHI, k_t to pvlib's printed precision.
  it.each([
    ['2019-01-01', 0, 120, 0, 0, 0],
    ['2019-01-01', 50, 85, 96.7192672, 41.5703604, 0.405723511],
    ['2019-01-01', 1000, 10, 794.205651, 217.860117, 0.718132729],
    ['2019-06-20', 1000, 10, 842.001578, 170.790318, 0.768214312],
  ])('%s GHI %d at zenith %d°', (day, ghi, zenith, dni, dhi, kt) => {
    const d = erbsDecomposition(ghi, zenith, dayOfYearUtc(Date.parse(day)));
    expect(d.dniWm2).toBeCloseTo(dni, 4);
    expect(d.dhiWm2).toBeCloseTo(dhi, 4);
    expect(d.kt).toBeCloseTo(kt, 8);
  });

  it('keeps GHI = DHI + DNI·cos θz, and gives no beam near the horizon', () => {
    const d = erbsDecomposition(400, 60, 172);
    expect(d.dhiWm2 + d.dniWm2 * Math.cos(60 * DEG)).toBeCloseTo(400, 9);
    expect(erbsDecomposition(20, 88, 172)).toEqual({ dniWm2: 0, dhiWm2: 20, kt: expect.any(Number) });
  });
});

/**
 * Solar geometry, clear-sky irradiance and PV power (DOMAIN.md §4, checked against
 * pvlib-python's sources and tests; vectors 15–37 of §8 are the unit tests).
 * Angles are in degrees unless the name says `Rad`; irradiance in W/m²; power in W.
 */

const DEG = Math.PI / 180;
const MS_PER_DAY = 86_400_000;

/** Day of the year, 1–366, of a UTC instant. */
export function dayOfYearUtc(utcMs: number): number {
  const d = new Date(utcMs);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.floor((utcMs - start) / MS_PER_DAY) + 1;
}

/** Spencer's day angle B = 2π(doy − 1)/365, radians. */
export function dayAngleRad(dayOfYear: number): number {
  return (2 * Math.PI * (dayOfYear - 1)) / 365;
}

/** Spencer (1971) solar declination δ, radians. */
export function declinationSpencerRad(dayOfYear: number): number {
  const b = dayAngleRad(dayOfYear);
  return (
    0.006918 -
    0.399912 * Math.cos(b) +
    0.070257 * Math.sin(b) -
    0.006758 * Math.cos(2 * b) +
    0.000907 * Math.sin(2 * b) -
    0.002697 * Math.cos(3 * b) +
    0.00148 * Math.sin(3 * b)
  );
}

/** Spencer (1971) equation of time, minutes. */
export function equationOfTimeSpencerMinutes(dayOfYear: number): number {
  const b = dayAngleRad(dayOfYear);
  return (
    (1440 / (2 * Math.PI)) *
    (0.0000075 +
      0.001868 * Math.cos(b) -
      0.032077 * Math.sin(b) -
      0.014615 * Math.cos(2 * b) -
      0.040849 * Math.sin(2 * b))
  );
}

/** Extraterrestrial normal irradiance E₀ (Spencer), W/m². */
export function extraterrestrialIrradianceWm2(dayOfYear: number, solarConstantWm2 = 1366.1): number {
  const b = dayAngleRad(dayOfYear);
  return (
    solarConstantWm2 *
    (1.00011 +
      0.034221 * Math.cos(b) +
      0.00128 * Math.sin(b) +
      0.000719 * Math.cos(2 * b) +
      0.000077 * Math.sin(2 * b))
  );
}

/** Hour angle H = 15(UTC hours − 12) + longitude(east +) + EoT/4, degrees. */
export function hourAngleDeg(utcMs: number, longitudeDeg: number, equationOfTimeMinutes: number): number {
  const dayStart = Math.floor(utcMs / MS_PER_DAY) * MS_PER_DAY;
  const utcHours = (utcMs - dayStart) / 3_600_000;
  return 15 * (utcHours - 12) + longitudeDeg + equationOfTimeMinutes / 4;
}

export interface SolarPosition {
  zenithDeg: number;
  /** From north, clockwise. */
  azimuthDeg: number;
  cosZenith: number;
  declinationRad: number;
  equationOfTimeMinutes: number;
  hourAngleDeg: number;
  dayOfYear: number;
}

/**
 * Analytical (Spencer) sun position: within about 0.5° of NREL SPA, enough for clear-sky
 * shapes. The zenith is geometric: no refraction correction (apparent ≈ geometric above
 * ~10° elevation).
 */
export function solarPosition(utcMs: number, latitudeDeg: number, longitudeDeg: number): SolarPosition {
  const doy = dayOfYearUtc(utcMs);
  const declination = declinationSpencerRad(doy);
  const eot = equationOfTimeSpencerMinutes(doy);
  const hourAngle = hourAngleDeg(utcMs, longitudeDeg, eot);
  const phi = latitudeDeg * DEG;
  const h = hourAngle * DEG;
  const cosZ = Math.max(
    -1,
    Math.min(1, Math.cos(declination) * Math.cos(phi) * Math.cos(h) + Math.sin(declination) * Math.sin(phi)),
  );
  const zenith = Math.acos(cosZ);
  const denominator = Math.sin(zenith) * Math.cos(phi);
  let azimuth = 180;
  if (denominator !== 0) {
    const arg = Math.max(-1, Math.min(1, (cosZ * Math.sin(phi) - Math.sin(declination)) / denominator));
    const sign = Math.sign(Math.sin(h)) || 1;
    azimuth = sign * (Math.acos(arg) / DEG) + 180;
  }
  return {
    zenithDeg: zenith / DEG,
    azimuthDeg: azimuth,
    cosZenith: cosZ,
    declinationRad: declination,
    equationOfTimeMinutes: eot,
    hourAngleDeg: hourAngle,
    dayOfYear: doy,
  };
}

/** Kasten & Young (1989) relative air mass; NaN when the sun is below the horizon. */
export function airMassKastenYoung(zenithDeg: number): number {
  if (zenithDeg >= 90) return Number.NaN;
  return 1 / (Math.cos(zenithDeg * DEG) + 0.50572 * Math.pow(96.07995 - zenithDeg, -1.6364));
}

/** Standard-atmosphere pressure at an altitude, Pa. */
export function pressureFromAltitudePa(altitudeM: number): number {
  return 100 * Math.pow((44331.514 - altitudeM) / 11880.516, 1 / 0.1902632);
}

/** Absolute (pressure-corrected) air mass. */
export function absoluteAirMass(relativeAirMass: number, pressurePa = 101325): number {
  return (relativeAirMass * pressurePa) / 101325;
}

/** Haurwitz clear-sky GHI, W/m²; 0 when the sun is down. */
export function haurwitzGhiWm2(zenithDeg: number): number {
  const cosZ = Math.cos(zenithDeg * DEG);
  if (cosZ <= 0) return 0;
  return 1098 * cosZ * Math.exp(-0.059 / cosZ);
}

export interface ClearSkyIrradiance {
  ghiWm2: number;
  dniWm2: number;
  dhiWm2: number;
}

export interface IneichenInput {
  apparentZenithDeg: number;
  airMassAbsolute: number;
  linkeTurbidity: number;
  altitudeM?: number;
  /** Extraterrestrial irradiance; pvlib's default 1364 W/m². */
  dniExtraWm2?: number;
}

/** Ineichen & Perez (2002) clear sky as in pvlib (without the Perez enhancement). */
export function ineichenPerez(input: IneichenInput): ClearSkyIrradiance {
  const { apparentZenithDeg, airMassAbsolute: am, linkeTurbidity: tl } = input;
  const h = input.altitudeM ?? 0;
  const e0 = input.dniExtraWm2 ?? 1364;
  const cosZ = Math.cos(apparentZenithDeg * DEG);
  if (cosZ <= 0 || !Number.isFinite(am)) return { ghiWm2: 0, dniWm2: 0, dhiWm2: 0 };
  const fh1 = Math.exp(-h / 8000);
  const fh2 = Math.exp(-h / 1250);
  const cg1 = 5.09e-5 * h + 0.868;
  const cg2 = 3.92e-5 * h + 0.0387;
  const ghi = Math.max(0, cg1 * e0 * cosZ * Math.exp(-cg2 * am * (fh1 + fh2 * (tl - 1))));
  const b = 0.664 + 0.163 / fh1;
  const dniBeam = b * e0 * Math.exp(-0.09 * am * (tl - 1));
  const dniLimit = Math.max(0, (ghi * (1 - (0.1 - 0.2 * Math.exp(-tl)) / (0.1 + 0.882 / fh1))) / cosZ);
  const dni = Math.min(dniBeam, dniLimit);
  return { ghiWm2: ghi, dniWm2: dni, dhiWm2: ghi - dni * cosZ };
}

/** Clear-sky irradiance at a site and instant (Ineichen with a default Linke turbidity of 3). */
export function clearSkyAt(
  utcMs: number,
  latitudeDeg: number,
  longitudeDeg: number,
  altitudeM = 0,
  linkeTurbidity = 3,
): ClearSkyIrradiance & { position: SolarPosition } {
  const position = solarPosition(utcMs, latitudeDeg, longitudeDeg);
  const am = absoluteAirMass(airMassKastenYoung(position.zenithDeg), pressureFromAltitudePa(altitudeM));
  const sky = ineichenPerez({
    apparentZenithDeg: position.zenithDeg,
    airMassAbsolute: am,
    linkeTurbidity,
    altitudeM,
  });
  return { ...sky, position };
}

/** cos(angle of incidence) of the sun on a tilted surface (azimuth 180 = south). */
export function aoiProjection(
  tiltDeg: number,
  surfaceAzimuthDeg: number,
  sunZenithDeg: number,
  sunAzimuthDeg: number,
): number {
  return (
    Math.cos(tiltDeg * DEG) * Math.cos(sunZenithDeg * DEG) +
    Math.sin(tiltDeg * DEG) *
      Math.sin(sunZenithDeg * DEG) *
      Math.cos((sunAzimuthDeg - surfaceAzimuthDeg) * DEG)
  );
}

/** Angle of incidence, degrees. */
export function aoiDeg(
  tiltDeg: number,
  surfaceAzimuthDeg: number,
  sunZenithDeg: number,
  sunAzimuthDeg: number,
): number {
  const p = Math.max(-1, Math.min(1, aoiProjection(tiltDeg, surfaceAzimuthDeg, sunZenithDeg, sunAzimuthDeg)));
  return Math.acos(p) / DEG;
}

/** Isotropic sky diffuse on a tilted plane, DHI(1 + cosβ)/2. */
export function isotropicSkyDiffuseWm2(tiltDeg: number, dhiWm2: number): number {
  return (dhiWm2 * (1 + Math.cos(tiltDeg * DEG))) / 2;
}

/** Ground-reflected irradiance GHI·ρ(1 − cosβ)/2. */
export function groundReflectedWm2(tiltDeg: number, ghiWm2: number, albedo = 0.25): number {
  return (ghiWm2 * albedo * (1 - Math.cos(tiltDeg * DEG))) / 2;
}

export interface PlaneOfArray {
  poaWm2: number;
  beamWm2: number;
  skyDiffuseWm2: number;
  groundDiffuseWm2: number;
}

/** Plane-of-array irradiance with the isotropic sky model. */
export function poaIsotropic(input: {
  tiltDeg: number;
  surfaceAzimuthDeg: number;
  sunZenithDeg: number;
  sunAzimuthDeg: number;
  dniWm2: number;
  ghiWm2: number;
  dhiWm2: number;
  albedo?: number;
}): PlaneOfArray {
  const projection = aoiProjection(
    input.tiltDeg,
    input.surfaceAzimuthDeg,
    input.sunZenithDeg,
    input.sunAzimuthDeg,
  );
  const beam = input.dniWm2 * Math.max(projection, 0);
  const sky = isotropicSkyDiffuseWm2(input.tiltDeg, input.dhiWm2);
  const ground = groundReflectedWm2(input.tiltDeg, input.ghiWm2, input.albedo ?? 0.25);
  return { poaWm2: beam + sky + ground, beamWm2: beam, skyDiffuseWm2: sky, groundDiffuseWm2: ground };
}

/** Plane-of-array irradiance (isotropic sky, W/m²) for a sun position and irradiance components. */
export function poaAt(
  sun: SolarPosition,
  tiltDeg: number,
  surfaceAzimuthDeg: number,
  irradiance: { dniWm2: number; ghiWm2: number; dhiWm2: number },
): number {
  return poaIsotropic({
    tiltDeg,
    surfaceAzimuthDeg,
    sunZenithDeg: sun.zenithDeg,
    sunAzimuthDeg: sun.azimuthDeg,
    dniWm2: irradiance.dniWm2,
    ghiWm2: irradiance.ghiWm2,
    dhiWm2: irradiance.dhiWm2,
  }).poaWm2;
}

/** PVWatts v5 DC power, W: (POA/1000)·P_dc0·(1 + γ(T_cell − 25)). γ per °C (e.g. −0.0047). */
export function pvwattsDcW(
  poaWm2: number,
  cellTemperatureC: number,
  pdc0W: number,
  gammaPerC: number,
): number {
  return (poaWm2 / 1000) * pdc0W * (1 + gammaPerC * (cellTemperatureC - 25));
}

/** PVWatts default system losses, percent. */
export const PVWATTS_DEFAULT_LOSSES_PERCENT = {
  soiling: 2,
  shading: 3,
  snow: 0,
  mismatch: 2,
  wiring: 2,
  connections: 0.5,
  lid: 1.5,
  nameplateRating: 1,
  age: 0,
  availability: 3,
} as const;

/** Combined losses L = 100[1 − Π(1 − Lᵢ/100)], percent. */
export function pvwattsLossesPercent(
  losses: Record<string, number> = PVWATTS_DEFAULT_LOSSES_PERCENT,
): number {
  let keep = 1;
  for (const value of Object.values(losses)) keep *= 1 - value / 100;
  return 100 * (1 - keep);
}

/**
 * PVWatts inverter: ζ = P_dc/P_dc0 with P_dc0 = P_ac0/η_nom the DC input limit,
 * η = (η_nom/η_ref)(−0.0162ζ − 0.0059/ζ + 0.9858), P_ac = clip(η·P_dc, 0, P_ac0).
 */
export function pvwattsInverterW(
  pdcW: number,
  pdc0W: number,
  etaNominal = 0.96,
  etaReference = 0.9637,
): number {
  if (pdcW <= 0) return 0;
  const pac0 = etaNominal * pdc0W;
  const zeta = pdcW / pdc0W;
  const eta = (etaNominal / etaReference) * (-0.0162 * zeta - 0.0059 / zeta + 0.9858);
  return Math.min(Math.max(eta * pdcW, 0), pac0);
}

/** PVWatts inverter efficiency η at a DC power. */
export function pvwattsInverterEfficiency(
  pdcW: number,
  pdc0W: number,
  etaNominal = 0.96,
  etaReference = 0.9637,
): number {
  const zeta = pdcW / pdc0W;
  return (etaNominal / etaReference) * (-0.0162 * zeta - 0.0059 / zeta + 0.9858);
}

/** SAPM cell temperature (open rack, glass/glass by default), °C. */
export function sapmCellTemperatureC(
  poaWm2: number,
  ambientC: number,
  windSpeedMs: number,
  a = -3.47,
  b = -0.0594,
  deltaTC = 3,
): number {
  const module = poaWm2 * Math.exp(a + b * windSpeedMs) + ambientC;
  return module + (poaWm2 / 1000) * deltaTC;
}

export interface GhiDecomposition {
  dniWm2: number;
  dhiWm2: number;
  /** clearness index k_t = GHI ÷ (E₀ cos θz), cos θz at least 0.065, k_t at most 2 */
  kt: number;
}

/**
 * Erbs, Klein & Duffie (1982) diffuse fraction from the clearness index, as pvlib-python's
 * `irradiance.erbs`: DHI/GHI = 1 − 0.09k_t (k_t ≤ 0.22), 0.9511 − 0.1604k_t + 4.388k_t² − 16.638k_t³ + 12.336k_t⁴
 * (≤ 0.8), 0.165 above; DNI = (GHI − DHI)/cos θz, 0 (and DHI = GHI) past 87° zenith or when negative.
 * For a site whose weather carries GHI alone.
 */
export function erbsDecomposition(ghiWm2: number, zenithDeg: number, dayOfYear: number): GhiDecomposition {
  const cosZ = Math.cos(zenithDeg * DEG);
  const kt = Math.min(
    Math.max(ghiWm2 / (extraterrestrialIrradianceWm2(dayOfYear) * Math.max(cosZ, 0.065)), 0),
    2,
  );
  const fraction =
    kt <= 0.22
      ? 1 - 0.09 * kt
      : kt <= 0.8
        ? 0.9511 - 0.1604 * kt + 4.388 * kt ** 2 - 16.638 * kt ** 3 + 12.336 * kt ** 4
        : 0.165;
  const dhi = fraction * ghiWm2;
  const dni = (ghiWm2 - dhi) / cosZ;
  if (zenithDeg > 87 || ghiWm2 < 0 || !(dni >= 0)) return { dniWm2: 0, dhiWm2: ghiWm2, kt };
  return { dniWm2: dni, dhiWm2: dhi, kt };
}

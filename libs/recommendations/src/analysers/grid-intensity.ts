import type { GridIntensityProfile } from '@halve/carbon';
import type { GridIntensityPoint } from './types';

/**
 * Hourly grid intensity from @halve/carbon's profile (g CO2 per kWh, decimal) to the analysers'
 * kg CO2e per kWh per UTC hour. Gaps (null) are left out; the analysers fall back to the
 * profile's (month, hour) mean and then to the annual factor.
 */
export function gridIntensityFromProfile(profile: GridIntensityProfile): GridIntensityPoint[] {
  return profile.hours
    .filter((h) => h.gCo2PerKwh !== null)
    .map((h) => ({ ts: new Date(h.hourUtc), kgCo2ePerKwh: h.gCo2PerKwh!.toNumber() / 1000 }));
}

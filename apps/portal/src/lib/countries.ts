const COUNTRIES = [
  ['GB', 'United Kingdom'],
  ['IE', 'Ireland'],
  ['US', 'United States'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
  ['SE', 'Sweden'],
  ['CN', 'China'],
  ['AU', 'Australia'],
  ['CA', 'Canada'],
] as const;
export const COUNTRY_OPTIONS = COUNTRIES.map(([value, label]) => ({ value, label: `${label} (${value})` }));

export const ZONES_BY_COUNTRY: Record<string, string> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  US: 'America/New_York',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  NL: 'Europe/Amsterdam',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  SE: 'Europe/Stockholm',
  CN: 'Asia/Shanghai',
  AU: 'Australia/Sydney',
  CA: 'America/Toronto',
};

export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/London';
  } catch {
    return 'Europe/London';
  }
}

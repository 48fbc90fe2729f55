/** Defaults by country for a new organisation or site: currency, a representative zone, and the grid region when the country has a single grid. */
export const COUNTRY_DEFAULTS: Record<
  string,
  { currency: string; timezone: string; gridRegion: string | null }
> = {
  GB: { currency: 'GBP', timezone: 'Europe/London', gridRegion: 'GB' },
  IE: { currency: 'EUR', timezone: 'Europe/Dublin', gridRegion: 'IE' },
  US: { currency: 'USD', timezone: 'America/New_York', gridRegion: null },
  CA: { currency: 'CAD', timezone: 'America/Toronto', gridRegion: null },
  CN: { currency: 'CNY', timezone: 'Asia/Shanghai', gridRegion: null },
  DE: { currency: 'EUR', timezone: 'Europe/Berlin', gridRegion: 'DE' },
  FR: { currency: 'EUR', timezone: 'Europe/Paris', gridRegion: 'FR' },
  NL: { currency: 'EUR', timezone: 'Europe/Amsterdam', gridRegion: 'NL' },
  BE: { currency: 'EUR', timezone: 'Europe/Brussels', gridRegion: 'BE' },
  ES: { currency: 'EUR', timezone: 'Europe/Madrid', gridRegion: 'ES' },
  IT: { currency: 'EUR', timezone: 'Europe/Rome', gridRegion: 'IT' },
  AT: { currency: 'EUR', timezone: 'Europe/Vienna', gridRegion: 'AT' },
  CH: { currency: 'CHF', timezone: 'Europe/Zurich', gridRegion: 'CH' },
  SE: { currency: 'SEK', timezone: 'Europe/Stockholm', gridRegion: 'SE' },
  NO: { currency: 'NOK', timezone: 'Europe/Oslo', gridRegion: 'NO' },
  DK: { currency: 'DKK', timezone: 'Europe/Copenhagen', gridRegion: 'DK' },
  PL: { currency: 'PLN', timezone: 'Europe/Warsaw', gridRegion: 'PL' },
  AU: { currency: 'AUD', timezone: 'Australia/Sydney', gridRegion: null },
  NZ: { currency: 'NZD', timezone: 'Pacific/Auckland', gridRegion: 'NZ' },
  JP: { currency: 'JPY', timezone: 'Asia/Tokyo', gridRegion: null },
  IN: { currency: 'INR', timezone: 'Asia/Kolkata', gridRegion: 'IN' },
};

export function countryDefaults(country: string): {
  currency: string;
  timezone: string;
  gridRegion: string | null;
} {
  return COUNTRY_DEFAULTS[country.toUpperCase()] ?? { currency: 'EUR', timezone: 'UTC', gridRegion: null };
}

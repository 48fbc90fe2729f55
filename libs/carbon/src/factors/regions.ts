/** eGRID2022 subregion acronyms (EPA GHG Emission Factors Hub 2024, Table 6). */
export const EGRID_SUBREGIONS = [
  'AKGD',
  'AKMS',
  'AZNM',
  'CAMX',
  'ERCT',
  'FRCC',
  'HIMS',
  'HIOA',
  'MROE',
  'MROW',
  'NEWE',
  'NWPP',
  'NYCW',
  'NYLI',
  'NYUP',
  'PRMS',
  'RFCE',
  'RFCM',
  'RFCW',
  'RMPA',
  'SPNO',
  'SPSO',
  'SRMV',
  'SRMW',
  'SRSO',
  'SRTV',
  'SRVC',
] as const;

const EGRID = new Set<string>(EGRID_SUBREGIONS);

/** China: the province → regional-grid map (MEE regional grids). */
const CN_PROVINCE_GRID: Record<string, string> = {
  'CN-BJ': 'CN-North',
  'CN-TJ': 'CN-North',
  'CN-HE': 'CN-North',
  'CN-SX': 'CN-North',
  'CN-SD': 'CN-North',
  'CN-NM': 'CN-North',
  'CN-LN': 'CN-Northeast',
  'CN-JL': 'CN-Northeast',
  'CN-HL': 'CN-Northeast',
  'CN-SH': 'CN-East',
  'CN-JS': 'CN-East',
  'CN-ZJ': 'CN-East',
  'CN-AH': 'CN-East',
  'CN-FJ': 'CN-East',
  'CN-HA': 'CN-Central',
  'CN-HB': 'CN-Central',
  'CN-HN': 'CN-Central',
  'CN-JX': 'CN-Central',
  'CN-SN': 'CN-Northwest',
  'CN-GS': 'CN-Northwest',
  'CN-QH': 'CN-Northwest',
  'CN-NX': 'CN-Northwest',
  'CN-XJ': 'CN-Northwest',
  'CN-GD': 'CN-South',
  'CN-GX': 'CN-South',
  'CN-YN': 'CN-South',
  'CN-GZ': 'CN-South',
  'CN-HI': 'CN-South',
  'CN-SC': 'CN-Southwest',
  'CN-CQ': 'CN-Southwest',
  'CN-XZ': 'CN-Southwest',
};
// ✘ The province-to-grid assignment follows the usual MEE grouping (North incl. Shandong and
// western Inner Mongolia; Southwest = Sichuan, Chongqing, Tibet since 2022); not checked against
// the 2022 announcement's annex.

const ALIASES: Record<string, string> = { UK: 'GB', 'US-AVG': 'US', 'US Average': 'US', WORLD: 'GLOBAL' };

export function normaliseRegion(region: string): string {
  const r = region.trim();
  return ALIASES[r] ?? ALIASES[r.toUpperCase()] ?? r;
}

/** Parent of a region, or null at the top (GLOBAL). */
export function parentRegion(region: string): string | null {
  const r = normaliseRegion(region);
  if (r === 'GLOBAL') return null;
  if (EGRID.has(r)) return 'US';
  if (/^US-/.test(r)) {
    const sub = r.slice(3);
    return EGRID.has(sub) ? sub : 'US';
  }
  if (CN_PROVINCE_GRID[r]) return CN_PROVINCE_GRID[r];
  const dash = r.indexOf('-');
  if (dash > 0) return r.slice(0, dash);
  return 'GLOBAL';
}

/** The region itself, then its parents up to GLOBAL: CAMX → US → GLOBAL; CN-SC → CN-Southwest → CN → GLOBAL. */
export function regionFallbackChain(region: string): string[] {
  const chain: string[] = [];
  let r: string | null = normaliseRegion(region);
  while (r && !chain.includes(r)) {
    chain.push(r);
    r = parentRegion(r);
  }
  if (!chain.includes('GLOBAL')) chain.push('GLOBAL');
  return chain;
}

/** EU/EEA/EFTA members of the AIB GO market (market boundary for GOs). */
const AIB_GO_MARKET = new Set([
  'AT',
  'BE',
  'BG',
  'CH',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IS',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'NO',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

/**
 * The market boundary for contractual instruments that a grid region belongs to (GHG Protocol
 * Scope 2 Quality Criterion: instruments from the same market as the consumption).
 * ◐ US and Canada form one market (Scope 2 Guidance); EU/EFTA GOs one market; GB (REGOs) its own
 * since 2021; China its own. Everything else: the country.
 */
export function marketBoundary(region: string): string {
  const r = normaliseRegion(region);
  const country = EGRID.has(r) ? 'US' : r.split('-')[0];
  if (country === 'US' || country === 'CA') return 'US-CA';
  if (AIB_GO_MARKET.has(country)) return 'EU-AIB';
  return country;
}

import type { ClaimStatus } from './entities/certification.entities';

/** The demo certifier's login, printed at start beside the demo organisation's. */
export const DEMO_CERTIFIER_EMAIL = 'certifier@halve.local';
export const DEMO_CERTIFIER_PASSWORD = 'halve-certifier-2024';
export const DEMO_BODY_NAME = 'Halve Demo Certification';

/**
 * The demo organisation's renewable-share claims, one per year of the campus's readings (the years
 * of carbon's demo RECs): the base year certified, the reporting year waiting in the body's review.
 */
export const DEMO_CLAIMS: readonly { year: number; target: 'approved' | 'in_review' }[] = [
  { year: 2016, target: 'approved' },
  { year: 2017, target: 'in_review' },
];

/**
 * Pure: the demo certificate's last valid day, a year after its issue (`now`, UTC) less a day. The
 * default validity runs a year from the period's end, and the demo's data are of 2016-2017: that
 * certificate would be born expired, and /verify would never show a valid one. The demo certifier
 * states this validity when approving (CertifierTransitionDto.validUntil), as any certifier may.
 */
export function demoValidUntil(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate() - 1));
  return d.toISOString().slice(0, 10);
}

/** The statuses a demo claim passes through on its way to `target`, in order. */
const PATH: readonly ClaimStatus[] = ['draft', 'submitted', 'in_review', 'approved'];

/** Pure: the next move of a demo claim from `status` towards `target`; null once there (or off the path). */
export function nextDemoMove(status: ClaimStatus, target: 'approved' | 'in_review'): ClaimStatus | null {
  const at = PATH.indexOf(status);
  if (at < 0 || at >= PATH.indexOf(target)) return null;
  return PATH[at + 1];
}

/** The fields of a retired instrument the retirement report lists. */
export interface RetiredInstrument {
  scheme: string | null;
  technology: string | null;
  volumeMwh: string;
  vintageFrom: string;
  vintageTo: string;
  region: string | null;
  certificateIds: string[] | null;
}

/**
 * Pure: the retirement report of a year's instruments as the registry's CSV export would list them
 * (the claim's `certificate` evidence), from the instruments the organisation recorded.
 */
export function retirementReportCsv(instruments: RetiredInstrument[]): string {
  const rows = instruments.map((i) =>
    [
      i.scheme ?? '',
      (i.certificateIds ?? []).join(' '),
      i.technology ?? '',
      i.region ?? '',
      i.vintageFrom,
      i.vintageTo,
      i.volumeMwh,
      'Retired on behalf of Halve Demo Ltd (demo data)',
    ].join(','),
  );
  return [
    'scheme,serial_numbers,fuel_type,region,vintage_from,vintage_to,mwh,retirement_reason',
    ...rows,
  ].join('\n');
}

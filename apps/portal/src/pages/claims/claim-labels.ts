import type { ClaimType, EvidenceKind } from '../../api/types';
import { addDays, date, humanize, num } from '../../lib/format';

export const CLAIM_TYPES: { value: ClaimType; label: string; help: string }[] = [
  {
    value: 'renewable_share',
    label: 'Renewable electricity share',
    help: 'On-site generation self-consumed plus retired certificates (REGOs, GOs), over total electricity. Attach the certificates’ redemption statements.',
  },
  {
    value: 'emission_reduction',
    label: 'Emission reduction against the base year',
    help: 'Scopes 1 and 2 (optionally 3) of the period against the same months of the base year, from your carbon inventory.',
  },
  {
    value: 'verified_savings',
    label: 'Verified energy savings',
    help: 'Savings of measures checked by measurement and verification (M&V) reports.',
  },
  {
    value: 'carbon_neutral',
    label: 'Carbon neutrality (ISO 14068-1)',
    help: 'Inventory, reductions, a management plan and retired offsets covering the residual emissions.',
  },
];
export const claimLabel = (t: string) => CLAIM_TYPES.find((c) => c.value === t)?.label ?? humanize(t);
export const EVIDENCE_KINDS: { value: EvidenceKind; label: string }[] = [
  { value: 'bill', label: 'Energy bill' },
  { value: 'meter_export', label: 'Meter data export' },
  { value: 'certificate', label: 'Certificate (REGO, GO) or redemption statement' },
  { value: 'retirement_receipt', label: 'Offset retirement receipt' },
  { value: 'management_plan', label: 'Carbon management plan' },
  { value: 'other', label: 'Other document' },
];
export const kindLabel = (k: string) => EVIDENCE_KINDS.find((e) => e.value === k)?.label ?? humanize(k);

/** "1 Jan 2025 – 31 Dec 2025": the API's periods end exclusively, people read them inclusively. */
export function period(from: string, to: string): string {
  return `${date(from)} – ${date(addDays(to, -1))}`;
}

export function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${num(bytes / 1024 / 1024, 1)} MB`;
  if (bytes >= 1024) return `${num(bytes / 1024, 0)} kB`;
  return `${bytes} B`;
}

// ---- figures ----

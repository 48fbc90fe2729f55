import { createHash, randomInt } from 'node:crypto';
import { canonicalJson } from '@halve/platform';

/** The SHA-256 of a snapshot's canonical JSON (keys sorted at every depth): what a certificate carries. */
export function snapshotSha256(snapshot: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(snapshot))))
    .digest('hex');
}

export interface DocumentCheck {
  id: string;
  filename: string;
  /** As recorded in the snapshot at submission. */
  recordedSha256: string;
  /** Recomputed from the stored bytes now; null when the document is gone. */
  actualSha256: string | null;
}

export interface IntegrityReport {
  ok: boolean;
  storedSha256: string | null;
  recomputedSha256: string | null;
  snapshotIntact: boolean;
  /** Whether the certificate's hash is the snapshot's (null without a certificate). */
  certificateMatches: boolean | null;
  documents: { id: string; filename: string; ok: boolean }[];
  problems: string[];
}

/**
 * Re-checks a claim's evidence: the stored snapshot must still hash to the stored hash (and to the
 * certificate's), and every document it lists must still hash to what was recorded.
 */
export function verifyIntegrity(input: {
  snapshot: unknown | null;
  storedSha256: string | null;
  certificateSha256?: string | null;
  documents: DocumentCheck[];
}): IntegrityReport {
  const problems: string[] = [];
  if (input.snapshot === null || input.storedSha256 === null) {
    return {
      ok: false,
      storedSha256: input.storedSha256,
      recomputedSha256: null,
      snapshotIntact: false,
      certificateMatches: null,
      documents: [],
      problems: ['the claim has no evidence snapshot: it was never submitted'],
    };
  }
  const recomputed = snapshotSha256(input.snapshot);
  const snapshotIntact = recomputed === input.storedSha256;
  if (!snapshotIntact)
    problems.push(
      `the stored evidence snapshot hashes to ${recomputed}, not to the recorded ${input.storedSha256}: it was altered after submission`,
    );
  let certificateMatches: boolean | null = null;
  if (input.certificateSha256 !== undefined && input.certificateSha256 !== null) {
    certificateMatches = input.certificateSha256 === recomputed;
    if (!certificateMatches)
      problems.push(
        `the certificate carries ${input.certificateSha256}, the snapshot hashes to ${recomputed}`,
      );
  }
  const documents = input.documents.map((d) => {
    const ok = d.actualSha256 === d.recordedSha256;
    if (!ok)
      problems.push(
        d.actualSha256 === null
          ? `document ${d.filename} (${d.id}) is missing`
          : `document ${d.filename} (${d.id}) no longer matches its recorded SHA-256`,
      );
    return { id: d.id, filename: d.filename, ok };
  });
  return {
    ok: problems.length === 0,
    storedSha256: input.storedSha256,
    recomputedSha256: recomputed,
    snapshotIntact,
    certificateMatches,
    documents,
    problems,
  };
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Characters after the year: 16 from a 32-letter alphabet, 5 bits each = 80 bits of randomness. */
export const CERTIFICATE_RANDOM_CHARS = 16;
export const CERTIFICATE_RANDOM_BITS = CERTIFICATE_RANDOM_CHARS * Math.log2(ALPHABET.length);

/**
 * A certificate number such as HLV-2026-7KQ2-MXAP-R4TB-9WZE: 80 random bits (guessing one among even millions of
 * certificates is hopeless), in groups of four, no 0/O or 1/I confusion. Numbers issued before (HLV-2026-7KQ2MX,
 * 30 bits) stay valid: see CERTIFICATE_NUMBER.
 */
export function certificateNumber(issuedAt: Date, random: (max: number) => number = randomInt): string {
  const groups: string[] = [];
  for (let g = 0; g < CERTIFICATE_RANDOM_CHARS / 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET[random(ALPHABET.length)];
    groups.push(group);
  }
  return `HLV-${issuedAt.getUTCFullYear()}-${groups.join('-')}`;
}

/** A certificate number: the current grouped form, or the 6-character form issued before (still verifiable). */
export const CERTIFICATE_NUMBER =
  /^HLV-\d{4}-(?:[A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3}|[A-HJ-NP-Z2-9]{6})$/;

/** Public status of a certificate on a given day (UTC). */
export function certificateStatus(
  row: { revokedAt: Date | null; validUntil: string },
  now: Date,
): 'valid' | 'expired' | 'revoked' {
  if (row.revokedAt) return 'revoked';
  return now.toISOString().slice(0, 10) > row.validUntil ? 'expired' : 'valid';
}

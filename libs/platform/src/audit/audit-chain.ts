import { createHash } from 'node:crypto';

/** Platform-level events (no organisation) chain under this tenant id. */
export const PLATFORM_TENANT = '00000000-0000-0000-0000-000000000000';
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  tenantId: string;
  seq: string;
  id: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  at: Date;
  summary: Record<string, unknown>;
  prevHash: string;
}

/** Canonical JSON: keys sorted at every depth, so the hash does not depend on key order in jsonb. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The SHA-256 of a row's content and its predecessor's hash. */
export function auditHash(r: AuditRecord): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        tenantId: r.tenantId,
        seq: String(r.seq),
        id: r.id,
        actorUserId: r.actorUserId,
        actorApiKeyId: r.actorApiKeyId,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        at: new Date(r.at).toISOString(),
        summary: r.summary,
        prevHash: r.prevHash,
      }),
    )
    .digest('hex');
}

export interface ChainVerification {
  ok: boolean;
  count: number;
  /** The first row that does not verify, and why. */
  brokenAt?: { seq: string; reason: string };
}

/** Walks a tenant's rows in order: each must hash to its stored hash and point at its predecessor. */
export function verifyChain(rows: (AuditRecord & { hash: string })[]): ChainVerification {
  let prev = GENESIS_HASH;
  let expectedSeq = 1n;
  for (const row of rows) {
    if (BigInt(row.seq) !== expectedSeq)
      return {
        ok: false,
        count: rows.length,
        brokenAt: { seq: String(row.seq), reason: `sequence gap: expected ${expectedSeq}` },
      };
    if (row.prevHash !== prev)
      return {
        ok: false,
        count: rows.length,
        brokenAt: { seq: String(row.seq), reason: 'previous-hash link does not match' },
      };
    if (auditHash(row) !== row.hash)
      return {
        ok: false,
        count: rows.length,
        brokenAt: { seq: String(row.seq), reason: 'content does not match its hash' },
      };
    prev = row.hash;
    expectedSeq += 1n;
  }
  return { ok: true, count: rows.length };
}

import {
  certificateNumber,
  CERTIFICATE_RANDOM_BITS,
  certificateStatus,
  CERTIFICATE_NUMBER,
  snapshotSha256,
  verifyIntegrity,
} from './snapshot';

describe('evidence snapshot and certificates', () => {
  const snapshot = {
    claim: { id: 'c1', type: 'renewable_share' },
    figures: { renewableSharePct: 80, totalElectricityKwh: 150 },
    documents: [{ id: 'd1', sha256: 'a'.repeat(64) }],
  };

  it('hashes canonical JSON: key order does not matter, any value change does', () => {
    const reordered = {
      documents: [{ sha256: 'a'.repeat(64), id: 'd1' }],
      figures: { totalElectricityKwh: 150, renewableSharePct: 80 },
      claim: { type: 'renewable_share', id: 'c1' },
    };
    expect(snapshotSha256(reordered)).toBe(snapshotSha256(snapshot));
    expect(
      snapshotSha256({ ...snapshot, figures: { ...snapshot.figures, renewableSharePct: 80.0001 } }),
    ).not.toBe(snapshotSha256(snapshot));
    expect(snapshotSha256(snapshot)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies an intact snapshot and detects an altered one, a certificate mismatch and a changed document', () => {
    const stored = snapshotSha256(snapshot);
    const docs = [
      { id: 'd1', filename: 'rego.pdf', recordedSha256: 'a'.repeat(64), actualSha256: 'a'.repeat(64) },
    ];
    expect(
      verifyIntegrity({ snapshot, storedSha256: stored, certificateSha256: stored, documents: docs }),
    ).toMatchObject({ ok: true, snapshotIntact: true, certificateMatches: true, problems: [] });
    const altered = { ...snapshot, figures: { ...snapshot.figures, renewableSharePct: 99 } };
    const bad = verifyIntegrity({
      snapshot: altered,
      storedSha256: stored,
      certificateSha256: stored,
      documents: docs,
    });
    expect(bad).toMatchObject({ ok: false, snapshotIntact: false, certificateMatches: false });
    expect(bad.problems[0]).toMatch(/altered after submission/);
    const changedDoc = verifyIntegrity({
      snapshot,
      storedSha256: stored,
      documents: [{ ...docs[0], actualSha256: 'b'.repeat(64) }],
    });
    expect(changedDoc).toMatchObject({
      ok: false,
      snapshotIntact: true,
      certificateMatches: null,
      documents: [{ id: 'd1', ok: false }],
    });
    expect(verifyIntegrity({ snapshot: null, storedSha256: null, documents: [] }).ok).toBe(false);
  });

  it('numbers certificates HLV-<year>-<4 groups of 4 unambiguous characters>: 80 random bits; the old 6-character form still matches', () => {
    const n = certificateNumber(new Date('2026-03-01T00:00:00Z'));
    expect(n).toMatch(CERTIFICATE_NUMBER);
    expect(n).toMatch(/^HLV-2026-[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    expect(CERTIFICATE_RANDOM_BITS).toBeGreaterThanOrEqual(80);
    expect(certificateNumber(new Date('2026-03-01T00:00:00Z'), () => 0)).toBe('HLV-2026-AAAA-AAAA-AAAA-AAAA');
    // Each of the 16 characters is its own draw from the whole 32-letter alphabet.
    let draws = 0;
    const counting = (max: number) => {
      expect(max).toBe(32);
      return draws++;
    };
    expect(certificateNumber(new Date('2026-03-01T00:00:00Z'), counting)).toBe(
      'HLV-2026-ABCD-EFGH-JKLM-NPQR',
    );
    expect(draws).toBe(16);
    expect('HLV-2026-7KQ2MX').toMatch(CERTIFICATE_NUMBER);
    for (const bad of [
      'HLV-2026-7KQ2M',
      'HLV-2026-7KQ2-MXAP-R4TB',
      'HLV-2026-0KQ2-MXAP-R4TB-9WZE',
      'HLV-2026-7KQ2MXAPR4TB9WZE',
    ]) {
      expect(bad).not.toMatch(CERTIFICATE_NUMBER);
    }
  });

  it('is valid through validUntil, expired the day after, revoked whenever revoked', () => {
    expect(
      certificateStatus({ revokedAt: null, validUntil: '2025-12-31' }, new Date('2025-12-31T23:59:00Z')),
    ).toBe('valid');
    expect(
      certificateStatus({ revokedAt: null, validUntil: '2025-12-31' }, new Date('2026-01-01T00:00:00Z')),
    ).toBe('expired');
    expect(
      certificateStatus(
        { revokedAt: new Date('2025-06-01'), validUntil: '2025-12-31' },
        new Date('2025-07-01'),
      ),
    ).toBe('revoked');
  });
});

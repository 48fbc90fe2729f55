import { EntityManager } from 'typeorm';
import { CertificationRepository } from './certification.repository';
import type { ClaimEntity } from './entities/certification.entities';
import { type IntegrityReport, verifyIntegrity } from './snapshot';

/**
 * A claim's integrity now: its documents re-hashed from the stored bytes and its certificate's hash
 * read, then the pure verifyIntegrity. One check for the organisation's and the certifier's view.
 */
export async function claimIntegrity(
  em: EntityManager,
  repo: CertificationRepository,
  claim: Pick<ClaimEntity, 'tenantId' | 'id' | 'snapshot' | 'evidenceSha256' | 'certificateNumber'>,
): Promise<IntegrityReport> {
  const actual = await repo.documentHashes(em, claim.tenantId, claim.id);
  const certificate = claim.certificateNumber ? await repo.certificate(em, claim.certificateNumber) : null;
  const documents = (
    (claim.snapshot?.documents as { id: string; filename: string; sha256: string }[] | undefined) ?? []
  ).map((d) => ({
    id: d.id,
    filename: d.filename,
    recordedSha256: d.sha256,
    actualSha256: actual.get(d.id) ?? null,
  }));
  return verifyIntegrity({
    snapshot: claim.snapshot,
    storedSha256: claim.evidenceSha256,
    certificateSha256: certificate?.evidenceSha256 ?? null,
    documents,
  });
}

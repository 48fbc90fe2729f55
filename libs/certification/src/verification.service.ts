import { Injectable } from '@nestjs/common';
import { Db, NotFoundError } from '@halve/platform';
import { CertificationRepository } from './certification.repository';
import { CERTIFICATE_NUMBER, certificateStatus } from './snapshot';

/** Public verification of a certificate: reads the global certificate registry only. */
@Injectable()
export class VerificationService {
  constructor(
    private readonly db: Db,
    private readonly repo: CertificationRepository,
  ) {}

  async verify(number: string, now = new Date()) {
    const normalised = number.trim().toUpperCase();
    if (!CERTIFICATE_NUMBER.test(normalised)) throw new NotFoundError('Certificate', number);
    const c = await this.db.system((em) => this.repo.certificate(em, normalised));
    if (!c) throw new NotFoundError('Certificate', number);
    return {
      number: c.number,
      status: certificateStatus(c, now),
      statement: c.statement,
      claimType: c.claimType,
      periodFrom: c.periodFrom,
      periodTo: c.periodTo,
      certificationBody: c.bodyName,
      assuranceLevel: c.assuranceLevel,
      issuedAt: c.issuedAt,
      validUntil: c.validUntil,
      evidenceSha256: c.evidenceSha256,
      ...(c.revokedAt ? { revokedAt: c.revokedAt, revocationReason: c.revocationReason } : {}),
    };
  }
}

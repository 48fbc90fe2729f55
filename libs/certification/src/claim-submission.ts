import type { InventoryView } from '@halve/carbon';
import type { CertificationRepository, EvidenceMeta } from './certification.repository';
import { type Evaluation, inventorySummary } from './claim-evaluator.service';
import type { ClaimInputs } from './claim-rules';
import type { ClaimEntity } from './entities/certification.entities';

export const SNAPSHOT_SCHEMA = 'halve.claim-snapshot/1';

type MeterData = Awaited<ReturnType<CertificationRepository['meterDataHashes']>>;

/** What a submission locks, besides the claim itself. */
export interface SubmissionFacts {
  evaluation: Evaluation & { inventory: InventoryView; baseInventory: InventoryView | null };
  /** The inputs the evaluation used. */
  inputs: ClaimInputs;
  bodyName: string;
  submission: number;
  submittedAt: Date;
  submittedBy: string | null;
  meterData: MeterData;
  documents: EvidenceMeta[];
}

/**
 * The evidence snapshot of a submission, as stored (plain JSON, so its canonical form and SHA-256
 * are the same read back): the claim and its inputs, the inventories, instruments, meter-data
 * fingerprints, M&V reports, offsets, documents' hashes, figures and the certifier's checklist.
 */
export function submissionSnapshot(claim: ClaimEntity, f: SubmissionFacts): Record<string, unknown> {
  const { evaluation } = f;
  const { result } = evaluation;
  const { inputs } = f;
  const snapshot = {
    schema: SNAPSHOT_SCHEMA,
    claim: {
      id: claim.id,
      type: claim.type,
      periodFrom: claim.periodFrom,
      periodTo: claim.periodTo,
      certificationBodyId: claim.certificationBodyId,
      certificationBody: f.bodyName,
      inputs,
      statement: claim.statement ?? result.statement,
    },
    organization: { id: claim.tenantId, name: evaluation.inventory.organization.name },
    submission: f.submission,
    submittedAt: f.submittedAt.toISOString(),
    submittedBy: f.submittedBy,
    inventory: inventorySummary(evaluation.inventory),
    basePeriod: evaluation.rule.basePeriod ?? null,
    baseInventory: evaluation.baseInventory ? inventorySummary(evaluation.baseInventory) : null,
    instruments: evaluation.rule.instruments,
    meterData: f.meterData,
    // verified_savings: the M&V reports of Halve's verified measures (ids, periods, CV(RMSE), NMBE,
    // FSU, G14, daily avoided energy behind a partial-period figure); entered savings are the fallback.
    mvReports: evaluation.rule.mvReports ?? null,
    verifiedSavings: inputs.savings ?? null,
    offsets: inputs.offsets ?? null,
    documents: f.documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      filename: d.filename,
      contentType: d.contentType,
      sizeBytes: Number(d.sizeBytes),
      sha256: d.sha256,
      description: d.description,
    })),
    figures: result.figures,
    checklist: evaluation.checklist,
  };
  return JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
}

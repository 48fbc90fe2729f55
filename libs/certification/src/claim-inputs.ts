import { BadInputError, type ProblemField } from '@halve/platform';
import { type ClaimInputs, defaultScopes } from './claim-rules';
import { randomUUID } from 'node:crypto';
import type { ClaimFieldsDto, CreateClaimDto } from './dto/certification.dto';
import { ClaimEntity } from './entities/certification.entities';
import { batchesProblems, serialRange } from './iso14068-offsets';

/** The inputs of a claim that apply to its type; anything else is refused naming the field. */
export function claimInputs(
  type: ClaimEntity['type'],
  dto: ClaimFieldsDto,
  previous: ClaimInputs = {},
): ClaimInputs {
  const fields: ProblemField[] = [];
  const only = (field: keyof ClaimFieldsDto, types: ClaimEntity['type'][]) => {
    if (dto[field] !== undefined && !types.includes(type))
      fields.push({ field, message: `${field} applies only to ${types.join(' and ')} claims` });
  };
  only('scopes', ['emission_reduction', 'carbon_neutral']);
  only('scope2Method', ['emission_reduction', 'carbon_neutral']);
  only('baseYear', ['emission_reduction', 'carbon_neutral']);
  only('basis', ['emission_reduction']);
  only('intensityDenominator', ['emission_reduction']);
  only('savings', ['verified_savings']);
  only('offsets', ['carbon_neutral']);
  only('managementPlan', ['carbon_neutral']);
  only('scope3Screening', ['carbon_neutral']);
  if (dto.scopes && !(dto.scopes.includes(1) && dto.scopes.includes(2)))
    fields.push({ field: 'scopes', message: 'scopes must include 1 and 2 (3 is optional)' });
  if (dto.offsets) {
    // A bad range, the same credit in two batches, or too many credits is refused here; across
    // claims, the serials are registered one by one at submission.
    dto.offsets.forEach((o, i) => {
      if (!o.serialFrom || !o.serialTo) return;
      const range = serialRange(o.serialFrom, o.serialTo);
      if (!range.ok) fields.push({ field: `offsets[${i}].serialTo`, message: range.reason });
    });
    for (const p of batchesProblems(dto.offsets))
      fields.push({ field: p.index >= 0 ? `offsets[${p.index}].serialFrom` : 'offsets', message: p.message });
  }
  if (dto.scope3Screening) {
    const cats = dto.scope3Screening.map((x) => x.category);
    const dup = cats.find((c, i) => cats.indexOf(c) !== i);
    if (dup !== undefined)
      fields.push({ field: 'scope3Screening', message: `category ${dup} is screened twice` });
  }
  if (fields.length)
    throw new BadInputError(`Invalid claim: ${fields.map((f) => f.message).join('; ')}.`, fields);
  const next: ClaimInputs = { ...previous };
  for (const key of [
    'scopes',
    'scope2Method',
    'baseYear',
    'basis',
    'intensityDenominator',
    'savings',
    'offsets',
    'managementPlan',
    'scope3Screening',
  ] as const) {
    if (dto[key] !== undefined) (next as Record<string, unknown>)[key] = JSON.parse(JSON.stringify(dto[key]));
  }
  if ((type === 'emission_reduction' || type === 'carbon_neutral') && !next.scopes)
    next.scopes = defaultScopes(type);
  return next;
}

/** The credit serials of a claim's offset batches, per registry, to register at submission. */
export function offsetSerialBatches(inputs: ClaimInputs): { registry: string; serials: string[] }[] {
  const batches: { registry: string; serials: string[] }[] = [];
  for (const o of inputs.offsets ?? []) {
    // Submission passed the rules: every batch has a registry and a valid serial range.
    const range = serialRange(o.serialFrom as string, o.serialTo as string);
    if (!range.ok || !o.registry) continue;
    batches.push({ registry: o.registry, serials: range.serials() });
  }
  return batches;
}

/** A new draft claim: nothing submitted, reviewed or decided yet. */
export function draftClaim(
  tenantId: string,
  dto: CreateClaimDto,
  inputs: ClaimInputs,
  figures: Record<string, unknown>,
  createdBy: string | null,
  now = new Date(),
): ClaimEntity {
  return Object.assign(new ClaimEntity(), {
    tenantId,
    id: randomUUID(),
    type: dto.type,
    status: 'draft' as const,
    periodFrom: dto.periodFrom,
    periodTo: dto.periodTo,
    certificationBodyId: dto.certificationBodyId,
    inputs: inputs as Record<string, unknown>,
    figures,
    statement: dto.statement ?? null,
    snapshot: null,
    evidenceSha256: null,
    submissionCount: 0,
    submittedAt: null,
    reviewerId: null,
    assuranceLevel: null,
    decisionStatement: null,
    decidedAt: null,
    decidedBy: null,
    certificateNumber: null,
    createdBy,
    createdAt: now,
    updatedAt: now,
  });
}

/** A claim's period [from, to) must not be empty. */
export function checkPeriod(from: string, to: string): void {
  if (to <= from)
    throw new BadInputError(
      `The period is empty: periodTo (${to}, exclusive) must be after periodFrom (${from}).`,
      [{ field: 'periodTo', message: 'must be after periodFrom' }],
    );
}

// Stand-ins for operations that the API shapes of issues 3–7 promise but that are not in the
// generated OpenAPI document yet. client.ts merges them UNDER the generated `paths`: as soon as
// `node scripts/generate-api-types.mjs` picks an operation up, the generated declaration is used
// and the stand-in is ignored (then delete it here).
import type { ClaimType, OrgRole } from './models';

type Id = string;
interface Op<PathP = never, Query = never, Body = never> {
  parameters: { path: PathP; query?: Query };
  requestBody: [Body] extends [never] ? undefined : { content: { 'application/json': Body } };
  responses: Record<number, unknown>;
}
type Org = { orgId: Id };
type Range = { from?: string; to?: string };

export interface PendingPaths {
  '/api/v1/orgs/{orgId}/meters/{meterId}/forecast': { get: Op<Org & { meterId: Id }, Range> };
  '/api/v1/orgs/{orgId}/meters/{meterId}/models': {
    get: Op<Org & { meterId: Id }>;
    post: Op<Org & { meterId: Id }>;
  };

  '/api/v1/orgs/{orgId}/recommendations': {
    get: Op<Org, { status?: string; siteId?: string; sort?: string }>;
  };
  '/api/v1/orgs/{orgId}/recommendations/{id}': { get: Op<Org & { id: Id }> };
  '/api/v1/orgs/{orgId}/recommendations/{id}/transitions': {
    post: Op<
      Org & { id: Id },
      never,
      { to: string; reason?: string; implementedOn?: string; costMoney?: number; notes?: string }
    >;
  };
  '/api/v1/orgs/{orgId}/recommendations/{id}/verification': { get: Op<Org & { id: Id }> };
  '/api/v1/orgs/{orgId}/sites/{siteId}/analyses': { post: Op<Org & { siteId: Id }> };

  '/api/v1/orgs/{orgId}/claims': {
    get: Op<Org>;
    post: Op<
      Org,
      never,
      { type: ClaimType; periodFrom: string; periodTo: string; certificationBodyId: Id; [k: string]: unknown }
    >;
  };
  '/api/v1/orgs/{orgId}/claims/{claimId}': { get: Op<Org & { claimId: Id }> };
  '/api/v1/orgs/{orgId}/claims/{claimId}/transitions': {
    post: Op<
      Org & { claimId: Id },
      never,
      { to: 'submitted' | 'withdrawn' | 'resubmitted'; reason?: string }
    >;
  };
  '/api/v1/orgs/{orgId}/claims/{claimId}/evidence': { post: Op<Org & { claimId: Id }> };
  '/api/v1/certification-bodies/{bodyId}/claims': { get: Op<{ bodyId: Id }> };
  '/api/v1/certification-bodies/{bodyId}/claims/{claimId}': { get: Op<{ bodyId: Id; claimId: Id }> };
  '/api/v1/certification-bodies/{bodyId}/claims/{claimId}/transitions': {
    post: Op<
      { bodyId: Id; claimId: Id },
      never,
      {
        to: 'in_review' | 'changes_requested' | 'approved' | 'rejected';
        statement?: string;
        findings?: { severity: string; message: string }[];
        assuranceLevel?: 'limited' | 'reasonable';
      }
    >;
  };
  '/api/v1/certification-bodies/{bodyId}/certificates/{number}/revoke': {
    post: Op<{ bodyId: Id; number: string }, never, { reason: string }>;
  };
  '/api/v1/verify/{number}': { get: Op<{ number: string }> };
}

export type { OrgRole };

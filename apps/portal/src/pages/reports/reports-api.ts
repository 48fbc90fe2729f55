// The SME reports' API (GET /orgs/{orgId}/reports/{vsme,vsme/data,sbti-sme,progress}). Until the generated
// API types include these operations (the lead regenerates openapi.json and schema.d.ts), their shapes are
// written here from libs/carbon/src/reports/reports.responses.ts and the calls go through the client
// untyped; then these become `components['schemas'][...]` and `useApiQuery(...)`.
import { api } from '../../api/client';
import type { components } from '../../api/schema';

export interface EligibilityCheck {
  criterion: string;
  status: 'met' | 'not met' | 'unknown';
  value: string | null;
  source: string;
}

export interface SbtiSme {
  route: string;
  company: {
    name: string;
    country: string;
    sector: string | null;
    employees: number | null;
    currency: string;
  };
  baseYear: number;
  basePeriod: { from: string; to: string };
  targetYear: number;
  scope2Method: 'location' | 'market';
  base: {
    scope1Tco2e: number;
    scope2LocationTco2e: number;
    scope2MarketTco2e: number;
    scope12Tco2e: number;
    scope3Tco2e: number | null;
    scope3Categories: string[];
  };
  reductionPct: number;
  targetValueTco2e: number;
  annualLinearRatePct: number;
  linearEquivalentPct: number;
  targetWording: string;
  scope3Commitment: string;
  eligibility: { verdict: 'eligible' | 'not eligible' | 'unknown'; checks: EligibilityCheck[] };
  createTarget: {
    name: string;
    kind: 'absolute';
    scopes: number[];
    scope2Method: 'location' | 'market';
    baseYear: number;
    targetYear: number;
    reductionPct: string;
  };
  notes: string[];
}

export interface ProgressSummary {
  commitment: string;
  baseYear: number;
  year: number;
  scope2Method: 'location' | 'market';
  scopes: { scope: string; baseTco2e: number; currentTco2e: number; changePct: number | null }[];
  target2030Tco2e: number;
  expectedTco2e: number;
  actualTco2e: number;
  onTrack: boolean | null;
  verdict: string;
  yearsTo2030: number;
  yearsTo2050: number;
  path: { year: number; expectedTco2e: number }[];
}

type Untyped = (path: string, options?: object) => Promise<unknown>;
const get = api.get as unknown as Untyped;

export const SBTI_SME = '/api/v1/orgs/{orgId}/reports/sbti-sme';
export const PROGRESS = '/api/v1/orgs/{orgId}/reports/progress';
export const vsmeFile = (orgId: string) => `/api/v1/orgs/${orgId}/reports/vsme`;

export const reportsApi = {
  sbtiSme: (orgId: string, baseYear: number, signal?: AbortSignal) =>
    get(SBTI_SME, { path: { orgId }, query: { baseYear: String(baseYear) }, signal }) as Promise<SbtiSme>,
  progress: (orgId: string, year: number, baseYear: number, signal?: AbortSignal) =>
    get(PROGRESS, {
      path: { orgId },
      query: { year: String(year), baseYear: String(baseYear) },
      signal,
    }) as Promise<ProgressSummary>,
};

/**
 * The SME target as the body of POST /orgs/{orgId}/targets. The generated document types that body's
 * scopes as strings and its decimal reductionPct as an empty object (a limit of the generator for
 * number-or-string fields); the API validates and takes this body as it is.
 */
export const targetBody = (c: SbtiSme['createTarget']) =>
  c as unknown as components['schemas']['CreateTargetDto'];

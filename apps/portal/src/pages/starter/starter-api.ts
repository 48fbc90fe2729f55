// The starter estimate's API (GET/PUT /orgs/{orgId}/starter-profile, GET /orgs/{orgId}/starter-footprint).
// Until the generated API types include these operations (the lead regenerates openapi.json and
// schema.d.ts), their shapes are written here from libs/carbon/src/starter/starter.responses.ts and the
// calls go through the client untyped; then these become `components['schemas'][...]` and `api.get(...)`.
import { api } from '../../api/client';

export interface StarterProfile {
  sectorScheme: 'nace' | 'uk_sic' | 'naics';
  sectorCode: string;
  sector: string;
  sectorLabel: string;
  employees: number;
  annualRevenue: string;
  currency: string;
  floorAreaM2: string;
  country: string;
  year: number;
  updatedAt: string;
}

export type StarterProfileBody = Omit<StarterProfile, 'sector' | 'sectorLabel' | 'updatedAt'>;

export interface StarterInput {
  name: string;
  value: string;
  unit: string;
  source: string;
  verification: string;
}

export interface StarterLine {
  key: 'scope2_electricity' | 'scope1_heating' | 'scope3_purchases';
  label: string;
  scope: number;
  category: string;
  scope3Category?: number;
  estimate: true;
  kgCo2e: number | null;
  basis: string;
  inputs: StarterInput[];
  status: 'estimated' | 'replaced by measured data' | 'not estimated';
  measuredKgCo2e: number | null;
  notes: string[];
}

export interface StarterTotals {
  scope1KgCo2e: number;
  scope2KgCo2e: number;
  scope3KgCo2e: number;
  totalKgCo2e: number;
}

export interface StarterFootprint {
  year: number;
  estimate: true;
  profile: StarterProfile;
  lines: StarterLine[];
  estimated: StarterTotals;
  measured: StarterTotals;
  combined: StarterTotals;
  notEstimated: { what: string; reason: string }[];
}

type Untyped = (path: string, options?: object) => Promise<unknown>;
const get = api.get as unknown as Untyped;
const put = api.put as unknown as Untyped;

export const STARTER_PROFILE = '/api/v1/orgs/{orgId}/starter-profile';
export const STARTER_FOOTPRINT = '/api/v1/orgs/{orgId}/starter-footprint';

export const starterApi = {
  profile: (orgId: string, signal?: AbortSignal) =>
    get(STARTER_PROFILE, { path: { orgId }, signal }) as Promise<StarterProfile>,
  save: (orgId: string, body: StarterProfileBody) =>
    put(STARTER_PROFILE, { path: { orgId }, body }) as Promise<StarterProfile>,
  footprint: (orgId: string, year: number, signal?: AbortSignal) =>
    get(STARTER_FOOTPRINT, { path: { orgId }, query: { year }, signal }) as Promise<StarterFootprint>,
};

// Response shapes. The OpenAPI document declares paths, parameters and request bodies (used from
// ./schema.d.ts), but most controllers do not yet declare their response schemas, so the shapes
// below follow the services' return values and the API shapes of issues 2–7. When an operation
// gains a response schema in the document, the generated type takes precedence (see client.ts).

export type OrgRole = 'owner' | 'admin' | 'member' | 'energy_manager' | 'viewer';
export const ORG_ROLES: OrgRole[] = ['owner', 'admin', 'member', 'energy_manager', 'viewer'];

export interface User {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin?: boolean;
}

export interface OrgSummary {
  id: string;
  name: string;
  role: OrgRole;
  country?: string;
  timezone?: string;
  currency?: string;
  gridRegion?: string | null;
  isDemo?: boolean;
}

export interface Organization extends OrgSummary {
  sector?: string | null;
  baseYear?: number | null;
  fiscalYearStartMonth?: number | null;
}

export interface Me extends User {
  organizations: { id: string; name: string; role: OrgRole }[];
  certificationBodies: { id: string; name: string; role: string }[];
}

export interface SignupResult {
  user: User;
  organization: Organization;
  role: OrgRole;
  accessToken: string;
  refreshToken: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType?: string;
  expiresIn?: number;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: OrgRole;
  createdAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: OrgRole;
  status: string;
  createdAt: string;
  expiresAt: string;
  token?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  key?: string;
}

export interface Job {
  id: string;
  type: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  result?: unknown;
  error?: string;
}

export interface AuditEvent {
  seq: string;
  action: string;
  entityType: string;
  entityId: string | null;
  actorUserId: string | null;
  occurredAt?: string;
  createdAt?: string;
  summary?: unknown;
}

// ---- metering (issue 3) ----

export interface TariffBand {
  days: number[] | string;
  fromHour: number;
  toHour: number;
  pricePerKwh: number;
}
export interface Tariff {
  type: 'flat' | 'time_of_use';
  currency: string;
  pricePerKwh?: number;
  bands?: TariffBand[];
  demandChargePerKw?: number;
}

export interface Site {
  id: string;
  name: string;
  country: string;
  timezone: string;
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  gridRegion?: string | null;
  floorAreaM2?: number | null;
  tariff?: Tariff | null;
  createdAt?: string;
}

export type MeterKind =
  | 'electricity_import'
  | 'electricity_export'
  | 'pv_generation'
  | 'wind_generation'
  | 'natural_gas'
  | 'fuel_oil'
  | 'district_heat'
  | 'water';

export interface Meter {
  id: string;
  siteId: string;
  name: string;
  kind: MeterKind;
  unit: string;
  intervalMinutes: number | null;
  register: 'interval' | 'cumulative';
  capacityKw?: number | null;
  tiltDeg?: number | null;
  azimuthDeg?: number | null;
  createdAt?: string;
}

export interface ImportAccepted {
  importId: string;
  jobId: string;
}

export interface ImportReport {
  id?: string;
  importId?: string;
  meterId?: string;
  fileName?: string;
  filename?: string;
  kind?: 'meter' | 'weather' | string;
  format?: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  rowsRead: number;
  rowsUnchanged?: number;
  rowsDuplicate?: number;
  warnings?: (string | { line?: number; message: string })[];
  firstTs?: string | null;
  lastTs?: string | null;
  finishedAt?: string | null;
  rowsStored: number;
  rowsUpdated: number;
  rowsMissing: number;
  rowsRejected: number;
  errors: { line?: number; message: string }[];
  error?: string | null;
  createdAt?: string;
  progress?: number;
}

export interface Readings {
  unit: string;
  resolution?: string;
  points: { ts: string; value: number | null; quality?: string }[];
}

export interface Quality {
  from?: string;
  to?: string;
  coverage: number;
  expected?: number;
  present?: number;
  gaps: { start?: string; end?: string; from?: string; to?: string; intervals?: number }[];
  gapCount?: number;
  flatLines?: { start?: string; end?: string; from?: string; to?: string }[];
  spikes?: { ts: string; value: number }[];
  negatives?: { count: number; first: unknown[] } | { ts: string; value: number }[];
  qualityCounts?: { measured: number; estimated: number; filled: number };
  [k: string]: unknown;
}

export interface Forecast {
  method: 'model' | 'generic' | 'baseline';
  modelVersion?: number | string;
  unit: string;
  points: { ts: string; p10: number; p50: number; p90: number }[];
}

export interface ForecastModel {
  version: number;
  status: string;
  backend?: string;
  trainedFrom?: string;
  trainedTo?: string;
  metrics?: { cvRmse?: number; nmbe?: number; mase?: number; pinball?: number; coverageP10P90?: number };
  baselines?: Record<string, { cvRmse?: number; nmbe?: number; mase?: number; pinball?: number }>;
}

// ---- carbon (issue 4) ----

export interface InventoryLine {
  scope: 1 | 2 | 3 | string;
  category?: string;
  siteId?: string | null;
  meterId?: string | null;
  source: string;
  quantity: number;
  unit: string;
  month?: string;
  period?: string;
  basis?: 'location' | 'market' | string;
  method?: string;
  factor?: {
    id?: string;
    value: number | string;
    unit: string;
    source: string;
    edition?: string;
    year?: number;
    region?: string;
  };
  kgCo2e: number;
  [k: string]: unknown;
}

export interface Inventory {
  from?: string;
  to?: string;
  scope1KgCo2e: number;
  scope2LocationKgCo2e: number;
  scope2MarketKgCo2e: number;
  scope3KgCo2e: number;
  totalLocationKgCo2e: number;
  totalMarketKgCo2e: number;
  lines: InventoryLine[];
  warnings: (string | { message: string; [k: string]: unknown })[];
  byMonth?: {
    month: string;
    scope1KgCo2e?: number;
    scope2LocationKgCo2e?: number;
    scope2MarketKgCo2e?: number;
    scope3KgCo2e?: number;
  }[];
  purchasedElectricityKwh?: number;
  exportedElectricityKwh?: number;
  onSiteGeneration?: {
    siteId: string;
    generationKwh: number;
    exportedKwh: number;
    selfConsumedKwh: number;
    generationSources?: string[];
  }[];
  instruments?: { id: string; type: string; accepted: boolean; issues?: unknown[]; allocatedKwh?: number }[];
  scope3ByCategoryKgCo2e?: Record<string, number>;
  factorsUsed?: unknown[];
  renewableShare?: number;
  renewableKwh?: number;
  electricityKwh?: number;
  cfeShare?: number;
  [k: string]: unknown;
}

export interface TargetProgress {
  target: Target;
  year: number;
  unit: string;
  baseValue: number | null;
  actual: number | null;
  expected: number | null;
  targetValue: number | null;
  gap?: number | null;
  onTrack?: boolean;
  reductionAchievedPct?: number | null;
  reductionRequiredPct?: number | null;
  trajectory: { year: number; value: number }[];
  warnings?: unknown[];
  notes?: string[];
}

export interface Target {
  id: string;
  kind?: string;
  reductionPct?: number;
  annualRatePct?: number;
  scope2Method?: string;
  name?: string;
  type?: 'absolute' | 'intensity' | string;
  scopes?: string | string[];
  baseYear: number;
  baseYearKgCo2e?: number;
  targetYear: number;
  reductionPercent?: number;
  annualReductionPercent?: number;
  progress?: { year: number; actualKgCo2e?: number; trajectoryKgCo2e?: number }[];
  [k: string]: unknown;
}

// ---- recommendations (issue 6) ----

export type RecommendationStatus =
  'new' | 'accepted' | 'rejected' | 'implemented' | 'verified' | 'not_achieved';

export interface Recommendation {
  id: string;
  type: string;
  status: RecommendationStatus;
  siteId: string;
  meterId?: string | null;
  title: string;
  annualSavingKwh: number;
  annualSavingKgCo2e: number;
  annualSavingMoney: number;
  currency: string;
  range?: { low: number; high: number };
  costMoney?: number | null;
  paybackYears?: number | null;
  confidence?: number | string;
  explanation?: string;
  evidence?: Evidence;
  reason?: string | null;
  implementedOn?: string | null;
  [k: string]: unknown;
}

/** Evidence "ready to chart": series of points plus named numbers. Shapes vary by analyser. */
export interface Evidence {
  series?: {
    name: string;
    unit?: string;
    points: { ts?: string; x?: string | number; value?: number; y?: number }[];
  }[];
  numbers?: Record<string, number | string>;
  [k: string]: unknown;
}

export interface Verification {
  status?: 'pending' | string;
  baselineFrom: string;
  baselineTo: string;
  reportingFrom: string;
  reportingTo: string;
  baselineCvRmse: number;
  baselineNmbe: number;
  counterfactualKwh: number;
  actualKwh: number;
  verifiedSavingKwh: number;
  fractionalSavingsUncertainty: number;
  meetsGuideline14: boolean;
  series?: { ts: string; baselineKwh: number; actualKwh: number }[];
  [k: string]: unknown;
}

// ---- certification (issue 7) ----

export type ClaimType = 'renewable_share' | 'emission_reduction' | 'verified_savings' | 'carbon_neutral';
export type ClaimStatus =
  | 'draft'
  | 'submitted'
  | 'in_review'
  | 'changes_requested'
  | 'resubmitted'
  | 'approved'
  | 'rejected'
  | 'withdrawn';

export interface Claim {
  id: string;
  type: ClaimType;
  status: ClaimStatus;
  periodFrom: string;
  periodTo: string;
  certificationBodyId?: string;
  organizationName?: string;
  figures?: Record<string, unknown>;
  evidenceSha256?: string | null;
  evidence?: {
    id: string;
    kind: string;
    fileName?: string;
    description?: string;
    sha256?: string;
    createdAt?: string;
  }[];
  findings?: { id?: string; severity: string; message?: string; text?: string; createdAt?: string }[];
  checklist?: {
    key?: string;
    item?: string;
    label?: string;
    ok?: boolean | null;
    checked?: boolean | null;
    note?: string;
  }[];
  certificate?: { number: string; status: string; validUntil: string } | null;
  statement?: string | null;
  createdAt?: string;
  submittedAt?: string | null;
  [k: string]: unknown;
}

export interface CertificationBody {
  id: string;
  name: string;
  claimTypes?: ClaimType[];
}

export interface PublicCertificate {
  number?: string;
  status: 'valid' | 'expired' | 'revoked';
  statement: string;
  periodFrom: string;
  periodTo: string;
  certificationBody: string | { name: string };
  issuedAt: string;
  validUntil: string;
  evidenceSha256: string;
  revokedAt?: string | null;
  revocationReason?: string | null;
}

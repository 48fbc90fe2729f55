// Response shapes. The OpenAPI document declares paths, parameters and request bodies (used from
// ./schema.d.ts), but most controllers do not yet declare their response schemas, so the shapes
// below follow the services' return values and the e2e suites in test/e2e. When an operation
// gains a response schema in the document, the generated type takes precedence (see client.ts).

export type OrgRole = 'owner' | 'admin' | 'member' | 'energy_manager' | 'viewer';
export const ORG_ROLES: OrgRole[] = ['owner', 'admin', 'member', 'energy_manager', 'viewer'];

export interface User {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin?: boolean;
  /** Whether the address is confirmed (the e-mailed /verify-email link); needed to join others' organisations. */
  emailVerified?: boolean;
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
  /** null for a sign-up by invitation: the invitation is accepted once the address is verified. */
  organization: Organization | null;
  role: OrgRole | null;
  invitation?: { status: 'awaiting_verification'; organizationId: string; role: OrgRole };
  accessToken: string;
  /** Absent for the portal (X-Halve-CSRF): the refresh token is only in the HttpOnly cookie. */
  refreshToken?: string;
}

export interface EmailVerified {
  email: string;
  emailVerified: true;
}

export interface Tokens {
  accessToken: string;
  /** Absent for the portal (X-Halve-CSRF): the refresh token is only in the HttpOnly cookie. */
  refreshToken?: string;
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

/** GET …/meters/:meterId/forecast: the meter's model, else the generic model, else a baseline (cold start). */
export interface Forecast {
  method: 'model' | 'generic' | 'baseline';
  modelVersion?: number;
  /** why this method answered, e.g. "no trained model for this meter yet: generic model" */
  reason: string;
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

// ---- recommendations (libs/recommendations; shapes as test/e2e/recommendations.e2e-spec.ts reads them) ----

export type RecommendationStatus =
  'new' | 'accepted' | 'rejected' | 'implemented' | 'verified' | 'not_achieved';
export type DecisionTarget = Exclude<RecommendationStatus, 'new'>;

/** GET orgs/:orgId/recommendations (one row). */
export interface RecommendationSummary {
  id: string;
  type: string;
  status: RecommendationStatus;
  siteId: string;
  meterId?: string;
  title: string;
  annualSavingKwh: number;
  annualSavingKgCo2e: number;
  annualSavingMoney: number | null;
  currency: string;
  range: { low: number; high: number } | null;
  costMoney?: number;
  paybackYears?: number;
  confidence: 'low' | 'medium' | 'high';
  assigneeUserId: string | null;
  stale: boolean;
  analysedAt: string;
}

/** GET orgs/:orgId/recommendations/:id: with its explanation, evidence, basis and history. */
export interface Recommendation extends RecommendationSummary {
  key: string;
  explanation: string;
  evidence: Evidence;
  basis: {
    emissionFactor?: { factorId: string; kgCo2ePerKwh: number; region?: string; [k: string]: unknown };
    tariff?: Record<string, unknown> | null;
    dataFrom?: string;
    dataTo?: string;
    [k: string]: unknown;
  } | null;
  implementedOn: string | null;
  actualCostMoney: number | null;
  notes: string | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
  transitions: {
    id: string;
    from: RecommendationStatus;
    to: RecommendationStatus;
    reason: string | null;
    details: Record<string, unknown> | null;
    actorUserId: string;
    at: string;
  }[];
}

export interface RecommendationComment {
  id: string;
  authorUserId: string;
  body: string;
  createdAt: string;
}

/** Evidence "ready to chart": series of points plus named numbers. */
export interface Evidence {
  series?: { name: string; unit?: string; points: { ts: string; value: number }[] }[];
  numbers?: Record<string, number | string>;
  [k: string]: unknown;
}

/** GET …/recommendations/:id/verification: 200 with the result, or 202 {status: 'pending', jobId}. */
export interface Verification {
  status?: 'pending' | 'succeeded' | string;
  jobId?: string;
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
  /** false: verified without outdoor temperature (time-of-week model); null for results from before issue 16 */
  weatherNormalised?: boolean | null;
  label?: 'weather-normalised' | 'not weather-normalised' | null;
  warnings?: string[];
  series?: { ts: string; baselineKwh: number; actualKwh: number }[];
  [k: string]: unknown;
}

// ---- certification (libs/certification; shapes as test/e2e/certification.e2e-spec.ts reads them) ----

export type ClaimType = 'renewable_share' | 'emission_reduction' | 'verified_savings' | 'carbon_neutral';
export type ClaimStatus =
  'draft' | 'submitted' | 'in_review' | 'changes_requested' | 'approved' | 'rejected' | 'withdrawn';
export type AssuranceLevel = 'limited' | 'reasonable';
export type EvidenceKind =
  'bill' | 'meter_export' | 'certificate' | 'retirement_receipt' | 'management_plan' | 'other';

export interface EvidenceDocument {
  id: string;
  kind: EvidenceKind;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  description: string | null;
  uploadedBy?: string | null;
  createdAt: string;
}

export interface Finding {
  severity: 'major' | 'minor' | 'observation';
  text: string;
  item?: string;
}

/** An item of the automatic checklist (in the submitted snapshot); a review adds the certifier's confirmation. */
export interface ChecklistItem {
  key: string;
  label: string;
  auto: 'pass' | 'fail' | 'n/a';
  detail: string;
  confirmed?: boolean | null;
  result?: 'pass' | 'fail' | 'n/a';
}

export interface ClaimReview {
  id: string;
  submission: number;
  reviewerId: string;
  checklist: ChecklistItem[] | null;
  findings: Finding[] | null;
  decision: 'changes_requested' | 'approved' | 'rejected' | null;
  assuranceLevel: AssuranceLevel | null;
  statement: string | null;
  startedAt: string;
  decidedAt: string | null;
}

export interface ClaimTransition {
  id: string;
  from: ClaimStatus;
  to: ClaimStatus;
  actorUserId: string;
  actorKind: 'organization' | 'certifier';
  reason: string | null;
  findings: Finding[] | null;
  evidenceSha256: string | null;
  at: string;
}

/** GET orgs/:orgId/claims (one row). */
export interface ClaimSummary {
  id: string;
  type: ClaimType;
  status: ClaimStatus;
  periodFrom: string;
  periodTo: string;
  certificationBodyId: string;
  evidenceSha256?: string;
  certificateNumber?: string;
  submittedAt: string | null;
  updatedAt: string;
}

/** GET orgs/:orgId/claims/:claimId: figures are live (with what is missing) while editable, locked once submitted. */
export interface Claim extends Omit<ClaimSummary, 'certificateNumber'> {
  certificationBody: { id: string; name: string } | null;
  statement: string | null;
  inputs: Record<string, unknown>;
  figures: Record<string, unknown>;
  missing?: { field: string; message: string }[];
  submissionCount: number;
  assuranceLevel: AssuranceLevel | null;
  decisionStatement: string | null;
  decidedAt: string | null;
  evidence: EvidenceDocument[];
  reviews: ClaimReview[];
  certificate?: {
    number: string;
    status: 'valid' | 'expired' | 'revoked';
    validUntil: string;
    issuedAt: string;
    revokedAt: string | null;
  };
  createdAt: string;
}

/** GET certification-bodies/:bodyId/claims (one row): what the body sees of another organisation's claim. */
export interface BodyClaimSummary {
  id: string;
  type: ClaimType;
  status: ClaimStatus;
  periodFrom: string;
  periodTo: string;
  organizationName: string | null;
  statement: string | null;
  figures: Record<string, unknown>;
  evidenceSha256: string | null;
  submissionCount: number;
  submittedAt: string | null;
  reviewerId: string | null;
  certificateNumber?: string;
}

export interface ClaimSnapshot {
  inventory?: { factorLibraryVersion?: string; factorsUsed?: unknown[]; [k: string]: unknown };
  meterData?: { meterId?: string; name?: string; sha256: string; hours: number; [k: string]: unknown }[];
  documents?: { id?: string; kind?: string; filename?: string; sha256: string; [k: string]: unknown }[];
  instruments?: { certificateIds?: string[]; [k: string]: unknown }[];
  [k: string]: unknown;
}

/** GET certification-bodies/:bodyId/claims/:claimId (also the answer of a certifier's transition). */
export interface BodyClaim extends BodyClaimSummary {
  snapshot: ClaimSnapshot | null;
  assuranceLevel: AssuranceLevel | null;
  decisionStatement: string | null;
  decidedAt: string | null;
  evidence: EvidenceDocument[];
  transitions: ClaimTransition[];
  reviews: ClaimReview[];
  checklist: ChecklistItem[];
  certificate?: PublicCertificate;
}

export interface CertificationBody {
  id: string;
  name: string;
  claimTypes: ClaimType[];
}

/** GET /api/v1/verify/:number — only the certificate's own facts. */
export interface PublicCertificate {
  number: string;
  status: 'valid' | 'expired' | 'revoked';
  statement: string;
  periodFrom: string;
  periodTo: string;
  certificationBody: string;
  claimType: ClaimType;
  assuranceLevel: AssuranceLevel;
  issuedAt: string;
  validUntil: string;
  evidenceSha256: string;
  revokedAt?: string | null;
  revocationReason?: string | null;
}

/** A row of GET /api/v1/me/notifications (libs/certification UserNotificationEntity). */
export interface Notification {
  id: string;
  kind: 'claim_submitted' | 'claim_changes_requested' | 'claim_decided' | 'certificate_revoked';
  title: string;
  body: string;
  claimId: string | null;
  organizationId?: string | null;
  certificationBodyId?: string | null;
  /** The API's path for the subject; the portal builds its own route from the ids. */
  link?: string | null;
  readAt?: string | null;
  createdAt: string;
  [k: string]: unknown;
}

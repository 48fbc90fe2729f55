// The portal's names for the API's response types. Every type here is the generated schema of the
// API's OpenAPI document (./schema.d.ts, from `npm run api:types`): the server's response classes are
// the one source of truth (issue 17), so nothing below restates a field. A rename on the server shows
// up as a portal type error, and `npm run api:check` fails CI until the generated files are current.
import type { components } from './schema';

type Schemas = components['schemas'];

// Platform
export type OrgRole = Schemas['OrgRole'];
export type User = Schemas['AuthUser'];
export type OrgSummary = Schemas['OrgListEntry'];
export type Organization = Schemas['MyOrganization'];
export type Me = Schemas['CurrentUser'];
export type SignupResult = Schemas['SignupSession'];
export type EmailVerified = Schemas['EmailVerifiedAnswer'];
export type Tokens = Schemas['AuthTokens'];
export type Member = Schemas['OrgMember'];
export type Invitation = Schemas['OrgInvitationView'];
export type ApiKey = Schemas['ApiKeyView'];
export type Job = Schemas['JobDetails'];
export type AuditEvent = Schemas['AuditEventView'];
export type CertificationBody = Schemas['CertificationBodyView'];

/** Every organisation role, in the order the API's enum lists them (a complete record, so a new role is a type error here). */
const ORG_ROLE_SET: Record<OrgRole, true> = {
  owner: true,
  admin: true,
  member: true,
  energy_manager: true,
  viewer: true,
};
export const ORG_ROLES = Object.keys(ORG_ROLE_SET) as OrgRole[];

// Metering and forecasting
export type TariffBand = Schemas['SiteTariffBand'];
export type Tariff = Schemas['SiteTariff'];
export type Site = Schemas['SiteView'];
export type MeterKind = Schemas['MeterKind'];
export type Meter = Schemas['MeterView'];
export type ImportAccepted = Schemas['MeterImportAccepted'];
export type ImportReport = Schemas['MeterImportReport'];
export type Readings = Schemas['MeterReadingSeries'];
export type Quality = Schemas['MeterQualityReport'];
export type Forecast = Schemas['MeterForecast'];
export type ForecastModel = Schemas['ForecastModelVersion'];

// Carbon
export type InventoryLine = Schemas['InventoryLineView'];
export type Inventory = Schemas['GhgInventoryView'];
export type Target = Schemas['TargetView'];
export type TargetProgress = Schemas['TargetProgressView'];
export type FactorRef = Schemas['FactorRefView'];
export type ActivityInput = Schemas['CreateActivityDto'];
export type ActivityPricing = Schemas['ActivityPricingView'];
export type PricedActivity = Schemas['PricedActivityView'];
export type RecordedActivity = Schemas['RecordedActivityView'];
export type SpendLedgerSummary = Schemas['SpendLedgerSummaryView'];
export type SpendLedger = Schemas['SpendLedgerView'];
export type SpendLine = Schemas['SpendLineView'];
export type SpendRule = Schemas['SpendRuleView'];
export type SpendRuleInput = Schemas['SpendRuleDto'];
export type SpendCategory = Schemas['SpendCategoryView'];
export type ActivityEvidence = Schemas['ActivityEvidenceView'];
export type TargetInput = Schemas['CreateTargetDto'];
export type SbtiSme = Schemas['SbtiSmeView'];
export type EligibilityCheck = Schemas['EligibilityCheckView'];
export type ProgressSummary = Schemas['ProgressSummaryView'];
export type StarterProfile = Schemas['StarterProfileView'];
export type StarterProfileInput = Schemas['StarterProfileDto'];
export type StarterFootprint = Schemas['StarterFootprintView'];
export type StarterLine = Schemas['StarterLineView'];

// Recommendations
export type RecommendationStatus = Schemas['RecommendationStatus'];
/** The statuses a decision can move a suggestion to. */
export type DecisionTarget = Exclude<RecommendationStatus, 'new'>;
export type RecommendationSummary = Schemas['RecommendationSummaryView'];
export type Recommendation = Schemas['RecommendationView'];
export type RecommendationComment = Schemas['RecommendationCommentView'];
export type Evidence = Schemas['RecommendationEvidenceView'];
export type Verification = Schemas['RecommendationVerificationView'];
export type VerificationPending = Schemas['VerificationPendingView'];

// Certification
export type ClaimType = Schemas['ClaimType'];
export type ClaimStatus = Schemas['ClaimStatus'];
export type AssuranceLevel = Schemas['AssuranceLevel'];
export type EvidenceKind = Schemas['EvidenceKind'];
export type EvidenceDocument = Schemas['EvidenceDocumentView'];
export type Finding = Schemas['ClaimFindingView'];
export type ChecklistItem = Schemas['ClaimChecklistItemView'];
export type ClaimReview = Schemas['ClaimReviewView'];
export type ClaimTransition = Schemas['ClaimTransitionView'];
export type ClaimSummary = Schemas['ClaimListItemView'];
export type Claim = Schemas['ClaimView'];
export type BodyClaimSummary = Schemas['BodyClaimSummaryView'];
export type ClaimSnapshot = Schemas['ClaimSnapshotView'];
export type BodyClaim = Schemas['BodyClaimView'];
export type Certificate = Schemas['CertificateView'];
export type PublicCertificate = Schemas['CertificateVerification'];
export type Notification = Schemas['NotificationView'];
export type Iso14068Vocabulary = Schemas['Iso14068Vocabulary'];

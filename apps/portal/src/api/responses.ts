// What each operation answers, for operations whose OpenAPI entry has no response schema yet
// (the shapes the services return; the e2e suites in test/e2e read the same).
// Keyed "method path" with the document's path template. Generated schemas win over these.
import type * as M from './models';

export interface KnownResponses {
  'post /api/v1/auth/signup': M.SignupResult;
  'post /api/v1/auth/login': M.Tokens;
  'post /api/v1/auth/refresh': M.Tokens;
  'post /api/v1/auth/verify-email': M.EmailVerified;
  'post /api/v1/auth/verify-email/resend': { status: 'sent' | 'already_verified' };
  'post /api/v1/auth/password-reset': { status: 'accepted'; detail: string };
  'get /api/v1/me': M.Me;
  'get /api/v1/orgs': M.OrgSummary[];
  'post /api/v1/orgs': M.Organization;
  'get /api/v1/orgs/{orgId}': M.Organization;
  'patch /api/v1/orgs/{orgId}': M.Organization;
  'get /api/v1/orgs/{orgId}/members': M.Member[];
  'patch /api/v1/orgs/{orgId}/members/{userId}': { userId: string; role: M.OrgRole };
  'get /api/v1/orgs/{orgId}/invitations': M.Invitation[];
  'post /api/v1/orgs/{orgId}/invitations': M.Invitation & { token: string };
  'post /api/v1/invitations/accept':
    | { kind: 'organization'; organizationId: string; role: M.OrgRole }
    | { kind: 'certification_body'; bodyId: string; role: string };
  'get /api/v1/orgs/{orgId}/api-keys': M.ApiKey[];
  'post /api/v1/orgs/{orgId}/api-keys': M.ApiKey & { key: string };
  'get /api/v1/orgs/{orgId}/jobs/{jobId}': M.Job;
  'get /api/v1/orgs/{orgId}/audit-events': M.AuditEvent[];
  'get /api/v1/certification-bodies': M.CertificationBody[];

  'get /api/v1/orgs/{orgId}/sites': M.Site[];
  'post /api/v1/orgs/{orgId}/sites': M.Site;
  'get /api/v1/orgs/{orgId}/sites/{siteId}': M.Site;
  'patch /api/v1/orgs/{orgId}/sites/{siteId}': M.Site;
  'get /api/v1/orgs/{orgId}/meters': M.Meter[];
  'post /api/v1/orgs/{orgId}/meters': M.Meter;
  'get /api/v1/orgs/{orgId}/meters/{meterId}': M.Meter;
  'patch /api/v1/orgs/{orgId}/meters/{meterId}': M.Meter;
  'get /api/v1/orgs/{orgId}/imports': M.ImportReport[];
  'get /api/v1/orgs/{orgId}/meters/{meterId}/imports': M.ImportReport[];
  'post /api/v1/orgs/{orgId}/meters/{meterId}/imports': M.ImportAccepted;
  'get /api/v1/orgs/{orgId}/imports/{importId}': M.ImportReport;
  'get /api/v1/orgs/{orgId}/meters/{meterId}/readings': M.Readings;
  'get /api/v1/orgs/{orgId}/meters/{meterId}/quality': M.Quality;
  'get /api/v1/orgs/{orgId}/meters/{meterId}/forecast': M.Forecast;
  'get /api/v1/orgs/{orgId}/meters/{meterId}/models': M.ForecastModel[];
  'post /api/v1/orgs/{orgId}/meters/{meterId}/models': { jobId: string };

  'get /api/v1/orgs/{orgId}/inventory': M.Inventory;
  'get /api/v1/orgs/{orgId}/targets': M.Target[];
  'get /api/v1/orgs/{orgId}/targets/{targetId}/progress': M.TargetProgress;
  'get /api/v1/orgs/{orgId}/inventory/hourly-scope2': {
    importKwh: number;
    hourlyLocationKgCo2e: number;
    annualMethodKgCo2e: number;
    cfeShare: number | null;
    basis?: string;
  };

  'get /api/v1/orgs/{orgId}/recommendations': M.RecommendationSummary[];
  'get /api/v1/orgs/{orgId}/recommendations/{id}': M.Recommendation;
  'post /api/v1/orgs/{orgId}/recommendations/{id}/transitions': M.Recommendation;
  'get /api/v1/orgs/{orgId}/recommendations/{id}/verification': M.Verification;
  'post /api/v1/orgs/{orgId}/sites/{siteId}/analyses': { jobId: string };
  'get /api/v1/orgs/{orgId}/recommendations/{id}/comments': M.RecommendationComment[];
  'post /api/v1/orgs/{orgId}/recommendations/{id}/comments': M.RecommendationComment;

  'get /api/v1/orgs/{orgId}/claims': M.ClaimSummary[];
  'post /api/v1/orgs/{orgId}/claims': M.Claim;
  'get /api/v1/orgs/{orgId}/claims/{claimId}': M.Claim;
  'patch /api/v1/orgs/{orgId}/claims/{claimId}': M.Claim;
  'post /api/v1/orgs/{orgId}/claims/{claimId}/transitions': M.Claim;
  'get /api/v1/orgs/{orgId}/claims/{claimId}/transitions': M.ClaimTransition[];
  'get /api/v1/orgs/{orgId}/claims/{claimId}/evidence': M.EvidenceDocument[];
  'post /api/v1/orgs/{orgId}/claims/{claimId}/evidence': M.EvidenceDocument;
  'get /api/v1/certification-bodies/{bodyId}/claims': M.BodyClaimSummary[];
  'get /api/v1/certification-bodies/{bodyId}/claims/{claimId}': M.BodyClaim;
  'post /api/v1/certification-bodies/{bodyId}/claims/{claimId}/transitions': M.BodyClaim;
  'get /api/v1/certification-bodies/{bodyId}/certificates': M.PublicCertificate[];
  'post /api/v1/certification-bodies/{bodyId}/certificates/{number}/revoke': M.PublicCertificate;
  'get /api/v1/verify/{number}': M.PublicCertificate;
  'get /api/v1/me/notifications': M.Notification[];
}

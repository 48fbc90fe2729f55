// The SME reports' API (GET /orgs/{orgId}/reports/{vsme,sbti-sme,progress}): the pages read the JSON reports
// with useApiQuery and the generated types (api/types.ts); the VSME files are downloads with the login.
import { buildUrl } from '../../api/client';

export type { EligibilityCheck, ProgressSummary, SbtiSme } from '../../api/types';

/** The VSME report file (XLSX or PDF by `format`), for `download`. */
export const vsmeFile = (orgId: string) => buildUrl('/api/v1/orgs/{orgId}/reports/vsme', { orgId });

// The starter estimate's API (GET/PUT /orgs/{orgId}/starter-profile, GET /orgs/{orgId}/starter-footprint):
// the pages read it with useApiQuery and the generated types (api/types.ts).
import { api } from '../../api/client';
import type { StarterProfile, StarterProfileInput } from '../../api/types';

export type { StarterFootprint, StarterLine, StarterProfile } from '../../api/types';

/** The profile as the form sends it: revenue and floor area as exact decimal strings. */
export type StarterProfileBody = Omit<StarterProfileInput, 'annualRevenue' | 'floorAreaM2'> & {
  annualRevenue: string;
  floorAreaM2: string;
};

/**
 * PUT the profile. The generated body types annualRevenue and floorAreaM2 as empty objects (their
 * @ApiProperty in libs/carbon/src/starter names no type for a decimal string-or-number); the API validates
 * and takes decimal strings, so this one field-pair is cast until that decorator declares `type: String`.
 */
export const saveStarterProfile = (orgId: string, body: StarterProfileBody): Promise<StarterProfile> =>
  api.put('/api/v1/orgs/{orgId}/starter-profile', {
    path: { orgId },
    body: body as Omit<StarterProfileBody, 'annualRevenue' | 'floorAreaM2'> as StarterProfileInput,
  });

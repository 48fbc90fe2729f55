// The starter estimate's API (GET/PUT /orgs/{orgId}/starter-profile, GET /orgs/{orgId}/starter-footprint):
// the pages read it with useApiQuery and the generated types (api/types.ts).
import { api } from '../../api/client';
import type { StarterProfile, StarterProfileInput } from '../../api/types';

export type { StarterFootprint, StarterLine, StarterProfile } from '../../api/types';

/** The profile as the form sends it: revenue and floor area as exact decimal strings. */
export type StarterProfileBody = StarterProfileInput;

/** PUT the profile. */
export const saveStarterProfile = (orgId: string, body: StarterProfileBody): Promise<StarterProfile> =>
  api.put('/api/v1/orgs/{orgId}/starter-profile', { path: { orgId }, body });

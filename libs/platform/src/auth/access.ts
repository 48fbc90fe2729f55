import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { OrgRole } from '../context/request-context';

export const ACCESS_KEY = 'halve:access';

export const API_KEY_SCOPES = ['readings:write', 'readings:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Who may call a route. Every route declares one; the guard refuses a route that declares nothing. */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'org'; roles: readonly OrgRole[]; apiKeyScope?: ApiKeyScope }
  | { kind: 'platform_admin' }
  | { kind: 'certifier'; roles: readonly ('certifier' | 'lead_certifier')[] };

export const ALL_ROLES: readonly OrgRole[] = ['owner', 'admin', 'member', 'energy_manager', 'viewer'];
/** Roles that may change the organisation's data (a viewer only reads). */
export const WRITE_ROLES: readonly OrgRole[] = ['owner', 'admin', 'member', 'energy_manager'];
/** Roles that manage people, keys and settings. */
export const ADMIN_ROLES: readonly OrgRole[] = ['owner', 'admin'];
/** Roles that decide on energy-saving suggestions. */
export const DECIDE_ROLES: readonly OrgRole[] = ['owner', 'admin', 'energy_manager'];

export const Access = {
  /** Anyone, without credentials. */
  public: () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule),
  /** Any logged-in user; no organisation involved. */
  user: () =>
    applyDecorators(SetMetadata(ACCESS_KEY, { kind: 'user' } satisfies AccessRule), ApiBearerAuth()),
  /** A member of the organisation in the path (`:orgId`) with one of these roles, or an API key of it with the scope. */
  org: (roles: readonly OrgRole[], apiKeyScope?: ApiKeyScope) =>
    applyDecorators(
      SetMetadata(ACCESS_KEY, { kind: 'org', roles, apiKeyScope } satisfies AccessRule),
      ApiBearerAuth(),
      ...(apiKeyScope ? [ApiSecurity('api-key')] : []),
    ),
  platformAdmin: () =>
    applyDecorators(
      SetMetadata(ACCESS_KEY, { kind: 'platform_admin' } satisfies AccessRule),
      ApiBearerAuth(),
    ),
  /** A member of the certification body in the path (`:bodyId`). */
  certifier: (roles: readonly ('certifier' | 'lead_certifier')[] = ['certifier', 'lead_certifier']) =>
    applyDecorators(
      SetMetadata(ACCESS_KEY, { kind: 'certifier', roles } satisfies AccessRule),
      ApiBearerAuth(),
    ),
};

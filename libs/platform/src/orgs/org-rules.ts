import { countryDefaults } from '../auth/countries';
import { OrgRole } from '../context/request-context';
import { ApiKeyEntity, OrganizationEntity } from '../entities/platform.entities';
import { ConflictError, ForbiddenError } from '../errors/problems';

/*
 * The rules of organisations, their members and API keys, as pure functions; OrgsService and
 * AuthService.createOrganizationIn apply them, the repositories store the outcome.
 */

export interface NewOrganization {
  name: string;
  country: string;
  timezone?: string;
  currency?: string;
  gridRegion?: string | null;
  sector?: string | null;
  isDemo?: boolean;
}

/** The row of a new organisation: what was not given comes from its country's defaults (countries.ts). */
export function newOrganizationRow(
  id: string,
  input: NewOrganization,
): Omit<OrganizationEntity, 'createdAt'> {
  const defaults = countryDefaults(input.country);
  return {
    id,
    name: input.name.trim(),
    country: input.country.toUpperCase(),
    timezone: input.timezone ?? defaults.timezone,
    currency: input.currency ?? defaults.currency,
    // null is a choice (no grid region); only a missing one takes the default
    gridRegion: input.gridRegion !== undefined ? input.gridRegion : defaults.gridRegion,
    sector: input.sector ?? null,
    baseYear: null,
    fiscalYearStartMonth: 1,
    employees: null,
    annualRevenue: null,
    certificationBodyId: null,
    isDemo: input.isDemo ?? false,
  };
}

/** An update that gives no field (an empty or non-object body): nothing to write. */
export function isEmptyUpdate(dto: object | null | undefined): boolean {
  return Object.values(dto ?? {}).every((v) => v === undefined);
}

/** The audit summary of an update: the changed fields' values before and after. */
export function changeSummary<T extends object, K extends keyof T>(
  before: T,
  after: T,
  changed: K[],
): { before: Partial<Pick<T, K>>; after: Partial<Pick<T, K>> } {
  const pick = (row: T) => Object.fromEntries(changed.map((k) => [k, row[k]])) as Partial<Pick<T, K>>;
  return { before: pick(before), after: pick(after) };
}

// ---- members ----

/** Refuses a role change by `caller` that makes or unmakes an owner without being one; null: allowed. */
export function roleChangeRefusal(
  caller: OrgRole | undefined,
  from: OrgRole,
  to: OrgRole,
): ForbiddenError | null {
  return (to === 'owner' || from === 'owner') && caller !== 'owner'
    ? new ForbiddenError('Only an owner can make or unmake owners.')
    : null;
}

/** Refuses the removal of an owner by someone who is not one; null: allowed. */
export function removalRefusal(caller: OrgRole | undefined, memberRole: OrgRole): ForbiddenError | null {
  return memberRole === 'owner' && caller !== 'owner'
    ? new ForbiddenError('Only an owner can remove an owner.')
    : null;
}

/** Refuses an invitation as owner by someone who is not one; null: allowed. */
export function inviteRefusal(caller: OrgRole | undefined, role: OrgRole): ForbiddenError | null {
  return role === 'owner' && caller !== 'owner'
    ? new ForbiddenError('Only an owner can invite another owner.')
    : null;
}

/** Whether a member's change (to `to`, or removal: null) takes an owner away, so another must remain. */
export function removesAnOwner(from: OrgRole, to: OrgRole | null): boolean {
  return from === 'owner' && to !== 'owner';
}

/** 409 `last_owner` when `owners` (the member included) leaves no other owner; null otherwise. */
export function lastOwnerRefusal(owners: number, userId: string): ConflictError | null {
  return owners <= 1
    ? new ConflictError(`User ${userId} is the last owner; make someone else an owner first.`, 'last_owner')
    : null;
}

// ---- API keys ----

/** Length of an API key's public prefix (how the key is found: access.guard.ts). */
export const API_KEY_PREFIX_LENGTH = 12;

/** A key's public prefix from random characters: alphanumerics only, exactly 12 (padded with 0). */
export function apiKeyPrefix(random: string): string {
  return random
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, API_KEY_PREFIX_LENGTH)
    .padEnd(API_KEY_PREFIX_LENGTH, '0');
}

/** The key handed out once: `hlv_<prefix>_<secret>`. */
export function apiKeyOf(prefix: string, secret: string): string {
  return `hlv_${prefix}_${secret}`;
}

/** What the API shows of a key (never its hash). */
export function apiKeyView(k: ApiKeyEntity) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}

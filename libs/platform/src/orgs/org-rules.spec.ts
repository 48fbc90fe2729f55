import { ApiKeyEntity } from '../entities/platform.entities';
import { ConflictError, ForbiddenError } from '../errors/problems';
import {
  apiKeyOf,
  apiKeyPrefix,
  apiKeyView,
  changeSummary,
  inviteRefusal,
  isEmptyUpdate,
  lastOwnerRefusal,
  newOrganizationRow,
  removalRefusal,
  removesAnOwner,
  roleChangeRefusal,
} from './org-rules';

const ID = '5f0c6a1e-2b3d-4c5e-8f90-a1b2c3d4e5f6';

describe('organisation rules', () => {
  it("fills a new organisation's missing fields from its country", () => {
    expect(newOrganizationRow(ID, { name: '  Lovelace Bakery ', country: 'gb' })).toEqual({
      id: ID,
      name: 'Lovelace Bakery',
      country: 'GB',
      timezone: 'Europe/London',
      currency: 'GBP',
      gridRegion: 'GB',
      sector: null,
      baseYear: null,
      fiscalYearStartMonth: 1,
      employees: null,
      annualRevenue: null,
      certificationBodyId: null,
      isDemo: false,
    });
  });

  it('keeps what was given, an explicit null grid region included', () => {
    const row = newOrganizationRow(ID, {
      name: 'Acme',
      country: 'DE',
      timezone: 'Europe/London',
      currency: 'GBP',
      gridRegion: null,
      sector: 'retail',
      isDemo: true,
    });
    expect(row).toMatchObject({
      country: 'DE',
      timezone: 'Europe/London',
      currency: 'GBP',
      gridRegion: null,
      sector: 'retail',
      isDemo: true,
    });
    // a country without defaults: euro, UTC, no grid region
    expect(newOrganizationRow(ID, { name: 'X', country: 'ZZ' })).toMatchObject({
      currency: 'EUR',
      timezone: 'UTC',
      gridRegion: null,
    });
  });

  it('treats an update with no field given as empty', () => {
    expect(isEmptyUpdate({})).toBe(true);
    expect(isEmptyUpdate(null)).toBe(true);
    expect(isEmptyUpdate({ name: undefined })).toBe(true);
    expect(isEmptyUpdate({ sector: null })).toBe(false); // clearing a field is a change
    expect(isEmptyUpdate({ name: 'New' })).toBe(false);
  });

  it('audits the changed fields only, before and after', () => {
    const before = { name: 'Old', country: 'GB', sector: null as string | null };
    const after = { name: 'New', country: 'GB', sector: 'retail' as string | null };
    expect(changeSummary(before, after, ['name', 'sector'])).toEqual({
      before: { name: 'Old', sector: null },
      after: { name: 'New', sector: 'retail' },
    });
  });

  it('lets only an owner make or unmake owners', () => {
    expect(roleChangeRefusal('admin', 'member', 'energy_manager')).toBeNull();
    expect(roleChangeRefusal('admin', 'member', 'owner')).toBeInstanceOf(ForbiddenError);
    expect(roleChangeRefusal('admin', 'owner', 'admin')).toBeInstanceOf(ForbiddenError);
    expect(roleChangeRefusal(undefined, 'member', 'owner')).toBeInstanceOf(ForbiddenError);
    expect(roleChangeRefusal('owner', 'owner', 'viewer')).toBeNull();
    expect(roleChangeRefusal('owner', 'member', 'owner')).toBeNull();
  });

  it('lets only an owner remove an owner or invite one', () => {
    expect(removalRefusal('admin', 'member')).toBeNull();
    expect(removalRefusal('admin', 'owner')?.message).toBe('Only an owner can remove an owner.');
    expect(removalRefusal('owner', 'owner')).toBeNull();
    expect(inviteRefusal('admin', 'admin')).toBeNull();
    expect(inviteRefusal('admin', 'owner')?.message).toBe('Only an owner can invite another owner.');
    expect(inviteRefusal('owner', 'owner')).toBeNull();
  });

  it('keeps an owner: a change or removal that takes one away needs another to remain', () => {
    expect(removesAnOwner('owner', 'admin')).toBe(true);
    expect(removesAnOwner('owner', null)).toBe(true);
    expect(removesAnOwner('owner', 'owner')).toBe(false);
    expect(removesAnOwner('admin', null)).toBe(false);
    const refusal = lastOwnerRefusal(1, ID);
    expect(refusal).toBeInstanceOf(ConflictError);
    expect(refusal?.code).toBe('last_owner');
    expect(lastOwnerRefusal(2, ID)).toBeNull();
  });

  it('makes a 12-character alphanumeric key prefix, padded with zeros', () => {
    expect(apiKeyPrefix('Ab-C_d3EfGhIjKlMnOp')).toBe('AbCd3EfGhIjK');
    expect(apiKeyPrefix('a-b_c')).toBe('abc000000000');
    expect(apiKeyOf('AbCd3EfGhIjK', 'secret_part-123')).toBe('hlv_AbCd3EfGhIjK_secret_part-123');
  });

  it('shows a key without its hash or organisation', () => {
    const key: ApiKeyEntity = {
      tenantId: ID,
      id: 'k1',
      name: 'meter feed',
      prefix: 'AbCd3EfGhIjK',
      keyHash: 'hash',
      scopes: ['readings:write'],
      createdBy: ID,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      revokedAt: null,
      lastUsedAt: null,
    };
    expect(apiKeyView(key)).toEqual({
      id: 'k1',
      name: 'meter feed',
      prefix: 'AbCd3EfGhIjK',
      scopes: ['readings:write'],
      createdAt: new Date('2026-01-01T00:00:00Z'),
      lastUsedAt: null,
      revokedAt: null,
    });
  });
});

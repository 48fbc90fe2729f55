import { scopeSql } from './tenant-db';

describe('scopeSql', () => {
  it('sets the role and the scope in one simple query, with the id lower-cased', () => {
    expect(scopeSql('halve.tenant_id', '0B3F2C1E-9A8B-4C7D-8E6F-5A4B3C2D1E0F')).toBe(
      "SET LOCAL ROLE halve_app; SET LOCAL halve.tenant_id = '0b3f2c1e-9a8b-4c7d-8e6f-5a4b3c2d1e0f'",
    );
    expect(scopeSql('halve.body_id', '00000000-0000-4000-8000-000000000001')).toBe(
      "SET LOCAL ROLE halve_app; SET LOCAL halve.body_id = '00000000-0000-4000-8000-000000000001'",
    );
  });

  it.each([["x'; RESET ROLE; --"], [''], ['0b3f2c1e-9a8b-4c7d-8e6f-5a4b3c2d1e0f; SELECT 1'], ['not-a-uuid']])(
    'refuses a value that is not a UUID: %j',
    (id) => {
      expect(() => scopeSql('halve.tenant_id', id)).toThrow('halve.tenant_id must be a UUID');
    },
  );
});

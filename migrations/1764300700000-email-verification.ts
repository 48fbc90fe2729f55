import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verified identities (issue 15):
 * - `users.email_verified_at`: set when the user presents a token e-mailed to their address. Until then an
 *   account holds nothing it did not create itself. Existing accounts start unverified (an address was never
 *   proved); they keep what they hold and verify on their next reset or verification e-mail.
 * - certification-body invitations carry the SHA-256 of an e-mailed token and an expiry; one without a token
 *   (from before) can no longer be accepted and the administrator adds the member again.
 */
export class EmailVerification1764300700000 implements MigrationInterface {
  name = 'EmailVerification1764300700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users ADD COLUMN email_verified_at timestamptz');
    await q.query(
      `ALTER TABLE certification_body_invitations
         ADD COLUMN token_hash text,
         ADD COLUMN expires_at timestamptz,
         ADD COLUMN accepted_by uuid REFERENCES users (id) ON DELETE SET NULL`,
    );
    await q.query(
      'CREATE UNIQUE INDEX certification_body_invitations_token ON certification_body_invitations (token_hash)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS certification_body_invitations_token');
    await q.query(
      'ALTER TABLE certification_body_invitations DROP COLUMN token_hash, DROP COLUMN expires_at, DROP COLUMN accepted_by',
    );
    await q.query('ALTER TABLE users DROP COLUMN email_verified_at');
  }
}

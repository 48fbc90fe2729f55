import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials (issue 15):
 * - `login_lockouts`: failed log-ins per account, keyed by the lower-cased e-mail as typed (unknown addresses
 *   too, so a lockout does not reveal whether an account exists). After 10 failures within 15 minutes the
 *   address is locked for 1, 2, 4, 8, then at most 15 minutes (`lockouts` counts the locks; it decays after a
 *   day without failures). A successful log-in deletes the row.
 * - `spent_refresh_tokens`: the SHA-256 of each refresh-token secret that was rotated away. Presenting one of
 *   them is reuse (the session ends); presenting a secret that is neither current nor spent changes nothing.
 */
export class Credentials1764300800000 implements MigrationInterface {
  name = 'Credentials1764300800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE login_lockouts (
         email text PRIMARY KEY,
         failures integer NOT NULL,
         window_started_at timestamptz NOT NULL,
         locked_until timestamptz,
         lockouts integer NOT NULL DEFAULT 0,
         last_failure_at timestamptz NOT NULL
       )`,
    );
    await q.query('CREATE INDEX login_lockouts_last_failure_idx ON login_lockouts (last_failure_at)');
    await q.query(
      `CREATE TABLE spent_refresh_tokens (
         token_hash text PRIMARY KEY,
         session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
         spent_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await q.query('CREATE INDEX spent_refresh_tokens_session_idx ON spent_refresh_tokens (session_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS spent_refresh_tokens');
    await q.query('DROP TABLE IF EXISTS login_lockouts');
  }
}

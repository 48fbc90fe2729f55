import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a site's weather timestamps mean (session 17): `start` (the mean of the period starting at the
 * timestamp, what Halve assumed before), `end` (the period ending at it) or `instant` (a sample at that
 * moment). Rows stay as imported; readers turn them into period starts (`periodStartRows`), so changing the
 * setting re-reads every row without a re-import.
 */
export class SiteWeatherTimestamps1764302700000 implements MigrationInterface {
  name = 'SiteWeatherTimestamps1764302700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE sites ADD COLUMN weather_timestamps text NOT NULL DEFAULT 'start'
         CONSTRAINT sites_weather_timestamps_check CHECK (weather_timestamps IN ('start', 'end', 'instant'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sites DROP COLUMN weather_timestamps`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contractual instruments state the generation technology behind them (issue 16): a renewable-share
 * claim counts only instruments from renewable technologies (a zero-rated nuclear GO is not renewable).
 * Existing rows keep NULL (not stated) and are not counted as renewable until the technology is given.
 */
export class InstrumentTechnology1764301100000 implements MigrationInterface {
  name = 'InstrumentTechnology1764301100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE instruments ADD COLUMN technology text
         CHECK (technology IN ('solar', 'wind', 'hydro', 'geothermal', 'biomass', 'biogas', 'ocean',
                               'nuclear', 'natural_gas', 'coal', 'oil', 'waste_incineration', 'mixed', 'other'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE instruments DROP COLUMN technology');
  }
}

import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Db } from '@halve/platform';
import { CarbonRepository } from './carbon.repository';
import type { EmissionFactor } from './factors/emission-factor';
import { findCarbonDataDir, parseEmissionFactorsCsv } from './factors/factor-library';
import { normaliseRegion } from './factors/regions';

export interface LoadedLibrary {
  /** sha-256 (first 16 hex digits) of the shipped CSV that was loaded. */
  version: string;
  factors: EmissionFactor[];
}

/**
 * The shared emission-factor library. At start-up it loads libs/carbon/data/emission-factors.csv
 * (committed, so a clean checkout suffices) into `emission_factors` when that version of the file is
 * not loaded yet — idempotent, and safe when an API and its workers start together (advisory lock).
 * Rows are keyed by their edition-specific id: a new edition adds rows, a corrected row updates its
 * value (the recalculation endpoint then shows the difference). The table is the source of truth;
 * this service keeps a read-only copy in memory for selection.
 */
@Injectable()
export class EmissionFactorLibraryService implements OnModuleInit {
  private readonly logger = new Logger('EmissionFactors');
  private loaded?: LoadedLibrary;

  constructor(
    private readonly db: Db,
    private readonly repo: CarbonRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seed();
    // Read once now, outside any request: a request never opens an owner transaction for it.
    await this.library();
  }

  /** Loads the shipped CSV into the table unless this version is already there; returns the version. */
  async seed(dataDir = findCarbonDataDir()): Promise<string> {
    const file = join(dataDir, 'emission-factors.csv');
    const text = readFileSync(file, 'utf8');
    const version = createHash('sha256').update(text).digest('hex').slice(0, 16);
    await this.db.system(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['carbon:emission-factor-library']);
      const versions = await this.repo.libraryVersions(em);
      if (versions.some((v) => v.version === version)) return;
      const factors = parseEmissionFactorsCsv(text);
      const started = Date.now();
      await this.repo.upsertLibrary(em, factors, version, 'libs/carbon/data/emission-factors.csv');
      this.logger.log(
        `emission-factor library ${version}: ${factors.length} factors loaded in ${Date.now() - started} ms`,
      );
    });
    this.loaded = undefined;
    return version;
  }

  /** The library as stored (cached after the first read). */
  async library(): Promise<LoadedLibrary> {
    if (!this.loaded) {
      this.loaded = await this.db.system(async (em) => {
        const versions = await this.repo.libraryVersions(em);
        return { version: versions[0]?.version ?? 'none', factors: await this.repo.allLibraryFactors(em) };
      });
    }
    return this.loaded;
  }

  /** Library factors filtered by activity, region (exact, after normalisation) and year. */
  async search(filter: { activity?: string; region?: string; year?: number }): Promise<EmissionFactor[]> {
    const { factors } = await this.library();
    const region = filter.region ? normaliseRegion(filter.region) : undefined;
    return factors.filter(
      (f) =>
        (!filter.activity || f.activity === filter.activity) &&
        (!region || normaliseRegion(f.region) === region) &&
        (filter.year === undefined || f.year === filter.year),
    );
  }
}

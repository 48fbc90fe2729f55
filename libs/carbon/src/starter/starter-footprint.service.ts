import { Injectable } from '@nestjs/common';
import { Db, NotFoundError } from '@halve/platform';
import { CarbonRepository } from '../carbon.repository';
import { EmissionFactorLibraryService } from '../emission-factor-library.service';
import { InventoryService } from '../inventory.service';
import { loadPriceTables } from '../spend/price-adjust';
import { loadSpendFactors } from '../spend/spend-factors';
import { STARTER_OMISSIONS, starterEstimate } from './starter-estimate';
import { StarterProfileService, starterProfileView } from './starter-profile.service';
import { replaceLines, starterTotals, type MeasuredLine } from './starter-replace';
import { loadStarterTables } from './starter-sectors';
import type { StarterFootprintView } from './starter.responses';

/**
 * The starter footprint of a year: the profile's estimate lines, each marked replaced as soon as the
 * organisation's inventory of that year has measured lines of its kind, and the totals by scope of the
 * estimate, of the inventory (unchanged) and of both combined.
 */
@Injectable()
export class StarterFootprintService {
  constructor(
    private readonly db: Db,
    private readonly repo: CarbonRepository,
    private readonly library: EmissionFactorLibraryService,
    private readonly inventory: InventoryService,
    private readonly profiles: StarterProfileService,
  ) {}

  async footprint(tenantId: string, year: number): Promise<StarterFootprintView> {
    const profile = await this.profiles.profile(tenantId);
    if (!profile) throw new NotFoundError('Starter profile', tenantId);
    const { org, tenantFactors } = await this.db.tenant(
      async (em) => ({
        org: await this.repo.org(em, tenantId),
        tenantFactors: await this.repo.tenantFactors(em, tenantId),
      }),
      tenantId,
    );
    if (!org) throw new NotFoundError('Organization', tenantId);
    const m = String(org.fiscalYearStartMonth ?? 1).padStart(2, '0');
    const [library, measured] = await Promise.all([
      this.library.library(),
      this.inventory.inventory(tenantId, `${year}-${m}-01`, `${year + 1}-${m}-01`),
    ]);
    const estimate = starterEstimate(profile, {
      tables: loadStarterTables(),
      factors: library.factors,
      tenantFactors,
      prices: loadPriceTables(),
      spend: loadSpendFactors(),
      year,
    });
    const lines = replaceLines(estimate, measured.lines as MeasuredLine[]);
    return {
      year,
      estimate: true,
      profile: starterProfileView(profile),
      lines: lines.map((l) => ({ ...l })),
      ...starterTotals(lines, measured),
      notEstimated: STARTER_OMISSIONS,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { BadInputError, Db, NotFoundError } from '@halve/platform';
import { CarbonRepository, type OrgProfile } from '../carbon.repository';
import { EmissionFactorLibraryService } from '../emission-factor-library.service';
import { toDecimal } from '../factors/decimal';
import { InventoryService } from '../inventory.service';
import { HALVE_BY, progressSummary } from './progress';
import { ReportsRepository, type StarterRow } from './reports.repository';
import type { ProgressSummaryQuery, SbtiSmeQuery, VsmeDataQuery } from './reports.dto';
import type { ProgressSummaryView, SbtiSmeView, VsmeReportView } from './reports.responses';
import { SBTI_SME_BASE_YEARS, sbtiSmeSubmission } from './sbti-sme';
import { vsmeReport, type StarterFacts } from './vsme';

const pad = (n: number) => String(n).padStart(2, '0');
const num = (s: string | undefined) => (s === undefined ? undefined : toDecimal(s).toNumber());

/** The starter profile's facts: a NACE code only from a NACE profile, revenue only in `currency`. */
function starterFacts(row: StarterRow | null, currency: string): StarterFacts | null {
  if (!row) return null;
  return {
    naceCode: row.sectorScheme === 'nace' ? row.sectorCode : null,
    employees: row.employees,
    annualRevenue: row.currency === currency ? toDecimal(row.annualRevenue).toNumber() : null,
  };
}

/** The reports SMEs are asked for: VSME Basic (B1, B3), the SBTi SME-route target, yearly progress. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly carbon: CarbonRepository,
    private readonly repo: ReportsRepository,
    private readonly inventory: InventoryService,
    private readonly library: EmissionFactorLibraryService,
  ) {}

  private async org(tenantId: string): Promise<OrgProfile> {
    const org = await this.db.tenant((em) => this.carbon.org(em, tenantId), tenantId);
    if (!org) throw new NotFoundError('Organization', tenantId);
    return org;
  }

  /** The reporting year as inventory dates: calendar, or fiscal from the organisation's start month. */
  private period(org: OrgProfile, year: number): { from: string; to: string } {
    const m = pad(org.fiscalYearStartMonth ?? 1);
    return { from: `${year}-${m}-01`, to: `${year + 1}-${m}-01` };
  }

  async vsme(tenantId: string, q: VsmeDataQuery): Promise<VsmeReportView> {
    const year = Number(q.year);
    const org = await this.org(tenantId);
    const p = this.period(org, year);
    const [inventory, library, extra] = await Promise.all([
      this.inventory.inventory(tenantId, p.from, p.to),
      this.library.library(),
      this.db.tenant(
        async (em) => ({
          sites: await this.repo.sites(em, tenantId),
          certifications: await this.repo.certifications(em, tenantId),
          starter: await this.repo.starter(em, tenantId),
        }),
        tenantId,
      ),
    ]);
    return vsmeReport({
      year,
      inventory,
      factors: library.factors,
      org,
      sites: extra.sites,
      certifications: extra.certifications,
      starter: starterFacts(extra.starter, org.currency),
      params: {
        legalForm: q.legalForm,
        naceCode: q.naceCode,
        balanceSheet: num(q.balanceSheet),
        turnover: num(q.turnover),
        employees: num(q.employees),
        basis: q.basis,
      },
    });
  }

  async sbtiSme(tenantId: string, q: SbtiSmeQuery): Promise<SbtiSmeView> {
    const baseYear = Number(q.baseYear);
    const { first, last } = SBTI_SME_BASE_YEARS;
    if (baseYear < first || baseYear > last)
      throw new BadInputError(
        `baseYear ${baseYear}: the SME route takes a base year from ${first} to ${last}.`,
        [{ field: 'baseYear', message: `must be ${first}–${last}` }],
      );
    const org = await this.org(tenantId);
    const basePeriod = this.period(org, baseYear);
    const [inv, { sector, starter }] = await Promise.all([
      this.inventory.inventory(tenantId, basePeriod.from, basePeriod.to),
      this.db.tenant(
        async (em) => ({
          sector: await this.repo.sector(em, tenantId),
          starter: await this.repo.starter(em, tenantId),
        }),
        tenantId,
      ),
    ]);
    const facts = starterFacts(starter, 'EUR');
    const revenueEur =
      org.currency === 'EUR' && org.annualRevenue !== null
        ? toDecimal(org.annualRevenue).toNumber()
        : (facts?.annualRevenue ?? null);
    const submission = sbtiSmeSubmission({
      baseYear,
      base: { ...inv, scope3Categories: Object.keys(inv.scope3ByCategoryKgCo2e) },
      company: {
        name: org.name,
        country: org.country,
        sector,
        employees: org.employees,
        currency: org.currency,
      },
      scope2Method: q.scope2Method ?? 'market',
      turnoverEur: num(q.turnoverEur) ?? revenueEur,
      totalAssetsEur: num(q.totalAssetsEur) ?? null,
      naceCode: q.naceCode ?? facts?.naceCode ?? null,
    });
    return { ...submission, basePeriod };
  }

  async progress(tenantId: string, q: ProgressSummaryQuery): Promise<ProgressSummaryView> {
    const year = Number(q.year);
    const org = await this.org(tenantId);
    const baseYear = q.baseYear ? Number(q.baseYear) : org.baseYear;
    if (baseYear === null)
      throw new BadInputError('No base year: set the organisation’s base year or give baseYear.', [
        { field: 'baseYear', message: 'required when the organisation has no base year' },
      ]);
    if (baseYear >= HALVE_BY)
      throw new BadInputError(`baseYear ${baseYear} is not before ${HALVE_BY}.`, [
        { field: 'baseYear', message: `must be before ${HALVE_BY}` },
      ]);
    if (year < baseYear)
      throw new BadInputError(`year ${year} is before the base year ${baseYear}.`, [
        { field: 'year', message: 'before the base year' },
      ]);
    const bp = this.period(org, baseYear);
    const cp = this.period(org, year);
    const [base, current] = await Promise.all([
      this.inventory.inventory(tenantId, bp.from, bp.to),
      year === baseYear ? null : this.inventory.inventory(tenantId, cp.from, cp.to),
    ]);
    return progressSummary({
      baseYear,
      year,
      base,
      current: current ?? base,
      scope2Method: q.scope2Method ?? 'market',
    });
  }
}

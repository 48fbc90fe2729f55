import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BadInputError, Db, NotFoundError, RequestContext } from '@halve/platform';
import { CarbonRepository } from '../carbon.repository';
import { METER_USAGE, type MeterUsageSource } from '../dto/meter-usage';
import { ActivityEntity, TenantEmissionFactorEntity } from '../entities/carbon.entities';
import { roundKg, sumDecimals } from '../factors/decimal';
import { parseLedger } from './ledger-layouts';
import type { LedgerFormat, LedgerLine, LedgerProblem } from './ledger-parse';
import { loadPriceTables } from './price-adjust';
import { spendActivities, type SpendActivity } from './spend-activities';
import { CATEGORY_BY_KEY, SPEND_CATEGORIES, type Coverage } from './spend-categories';
import { loadSpendFactors } from './spend-factors';
import {
  coverageOf,
  defaultFactorSet,
  priceLedgerLines,
  type FactorSet,
  type SpendLineResult,
} from './spend-lines';
import { orderOrgRules, ruleFromCorrection } from './spend-rules';
import { SpendLedgerEntity, SpendRuleEntity } from './spend.entities';
import { LEDGER_CURRENCIES, type UploadSpendLedgerDto } from './spend.dto';
import { SPEND_ACTIVITY, SpendRepository } from './spend.repository';
import type {
  SpendCategoryView,
  SpendLedgerSummaryView,
  SpendLedgerView,
  SpendRuleView,
} from './spend.responses';

const MAX_PROBLEMS = 20;
const DAY_MS = 86_400_000;

function problemsError(problems: LedgerProblem[]): BadInputError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? ` (first ${shown.length} of ${problems.length} shown)` : '';
  return new BadInputError(
    `The ledger has ${problems.length} line(s) that cannot be read${more}.`,
    shown.map((p) => ({
      field: `line ${p.lineNo}`,
      message: p.excerpt ? `${p.message}: ${p.excerpt}` : p.message,
    })),
  );
}

/** [first date, day after the last date). */
function periodOf(lines: LedgerLine[]): { from: string; to: string } {
  const dates = lines.map((l) => l.date).sort();
  const last = new Date(Date.parse(dates[dates.length - 1]) + DAY_MS).toISOString().slice(0, 10);
  return { from: dates[0], to: last };
}

const linesOf = (rows: SpendLineResult[]): LedgerLine[] =>
  rows.map((r) => ({
    lineNo: r.lineNo,
    date: r.date,
    description: r.description,
    account: r.account,
    accountCode: r.accountCode,
    supplier: r.supplier,
    reference: r.reference,
    amount: r.amount,
  }));

/** The tenant factor that carries an EEIO factor into the inventory unchanged (one per factor and category). */
function tenantFactorRow(tenantId: string, a: SpendActivity): TenantEmissionFactorEntity {
  const f = a.factor;
  return Object.assign(new TenantEmissionFactorEntity(), {
    tenantId,
    id: randomUUID(),
    source:
      f.set === 'epa-useeio-v1.3' ? 'US EPA USEEIO supply-chain factors' : 'EXIOBASE 3 via OEFDB (Climatiq)',
    edition: f.set === 'epa-useeio-v1.3' ? 'v1.3.0 (USD 2022)' : '3.8, EUR 2019 (OEFDB 2022-05-12)',
    publishedYear: f.set === 'epa-useeio-v1.3' ? 2024 : 2021,
    // The activity's year, not the factor's: the quantity is already in money of the factor's base year, so
    // the pair describes that year's spend (a base-year factor would be flagged as a year proxy on every line).
    year: Number(a.periodFrom.slice(0, 4)),
    region: f.region,
    activity: SPEND_ACTIVITY,
    variant: a.variant,
    scope: 3,
    scope3Category: a.scope3Category,
    unit: f.currency,
    basis: '',
    kgCo2ePerUnit: f.kgCo2ePerUnit,
    kgCo2PerUnit: null,
    kgCh4PerUnit: null,
    kgN2oPerUnit: null,
    kgCo2eCh4PerUnit: null,
    kgCo2eN2oPerUnit: null,
    gwpSet: 'AR5',
    purpose: 'corporate_inventory',
    label: `${f.code} ${f.title}`.slice(0, 200),
    evidence: `${f.source}; ${f.licence}; quantity = spend in ${f.currency} of ${f.baseYear} (index- and currency-adjusted, libs/carbon/data/spend)`,
    createdBy: null,
  });
}

/**
 * Spend-based Scope 3 from accounting exports: parse, map (organisation rules, then defaults), exclude
 * what activity data covers, price (index- and currency-adjusted EEIO factors), and write the counted
 * spend as activities (activity 'spend'), so the inventory counts it through the same path as any
 * activity. A new upload replaces earlier uploads of an overlapping period (no double counting).
 */
@Injectable()
export class SpendLedgerService {
  constructor(
    private readonly db: Db,
    private readonly repo: SpendRepository,
    private readonly carbon: CarbonRepository,
    @Inject(METER_USAGE) private readonly usage: MeterUsageSource,
  ) {}

  categories(): SpendCategoryView[] {
    return SPEND_CATEGORIES.map((c) => ({
      key: c.key,
      label: c.label,
      naics: c.naics ?? null,
      exiobase: c.exiobase ?? null,
      scope3Category: c.scope3Category,
      coveredBy: c.covered ?? null,
      excluded: c.excluded ?? null,
    }));
  }

  /** Meter kinds in the period that cover electricity and fuel spend. */
  private async meterCoverage(tenantId: string, period: { from: string; to: string }): Promise<string[]> {
    const rows = await this.usage.monthlyUsage(tenantId, {
      from: new Date(`${period.from}T00:00:00Z`),
      to: new Date(`${period.to}T00:00:00Z`),
    });
    const kinds = new Set(rows.map((r) => r.kind));
    const names: string[] = [];
    if (kinds.has('electricity_import')) names.push('electricity (meter data)');
    if (kinds.has('natural_gas')) names.push('natural_gas (meter data)');
    if (kinds.has('fuel_oil')) names.push('fuel_oil (meter data)');
    return names;
  }

  private async price(
    em: EntityManager,
    tenantId: string,
    lines: LedgerLine[],
    meta: { currency: string; factorSet: FactorSet; period: { from: string; to: string }; meters: string[] },
  ) {
    const names = await this.repo.activityNames(em, tenantId, meta.period.from, meta.period.to);
    const coverage: Map<Coverage, string> = coverageOf([...names, ...meta.meters]);
    const orgRules = orderOrgRules(await this.repo.rules(em, tenantId));
    const tables = loadSpendFactors();
    const priced = priceLedgerLines(lines, {
      currency: meta.currency,
      factorSet: meta.factorSet,
      coverage,
      orgRules,
      factors: tables,
      prices: loadPriceTables(),
    });
    return spendActivities(priced, tables);
  }

  /** Writes the counted spend as activities, adding the tenant factors they need. */
  private async writeActivities(
    em: EntityManager,
    tenantId: string,
    ledgerId: string,
    acts: SpendActivity[],
  ) {
    const key = (variant: string, region: string, year: number | string) => `${variant}|${region}|${year}`;
    const known = new Set(
      (await this.repo.spendFactors(em, tenantId)).map((f) => key(f.variant, f.region, f.year)),
    );
    const missing = new Map<string, SpendActivity>();
    for (const a of acts) {
      const k = key(a.variant, a.factor.region, a.periodFrom.slice(0, 4));
      if (!known.has(k)) missing.set(k, a);
    }
    await this.repo.insertTenantFactors(
      em,
      [...missing.values()].map((a) => tenantFactorRow(tenantId, a)),
    );
    const createdBy = RequestContext.maybe()?.userId ?? null;
    const rows = acts.map((a) =>
      Object.assign(new ActivityEntity(), {
        tenantId,
        id: randomUUID(),
        activity: SPEND_ACTIVITY,
        variant: a.variant,
        scope: 3,
        scope3Category: a.scope3Category,
        quantity: a.quantity.toFixed(),
        unit: a.factor.currency,
        basis: null,
        gwp: null,
        periodFrom: a.periodFrom,
        periodTo: a.periodTo,
        dataQuality: 4,
        siteId: null,
        region: a.factor.region,
        description:
          `spend ledger ${ledgerId}: ${a.factor.code} ${a.factor.title}, lines ${a.lineNos.join(', ')}`.slice(
            0,
            1000,
          ),
        createdBy,
      }),
    );
    await this.repo.insertActivities(em, rows);
    return rows.map((r) => r.id);
  }

  async upload(
    tenantId: string,
    file: Express.Multer.File | undefined,
    dto: UploadSpendLedgerDto,
  ): Promise<SpendLedgerView> {
    if (!file)
      throw new BadInputError('No file: send the ledger as multipart field "file".', [
        { field: 'file', message: 'required' },
      ]);
    const parsed = parseLedger(file.buffer.toString('utf8'), dto.format as LedgerFormat | undefined);
    if (!('lines' in parsed)) throw problemsError([parsed]);
    if (parsed.problems.length) throw problemsError(parsed.problems);
    const period = periodOf(parsed.lines);
    const meters = await this.meterCoverage(tenantId, period);
    return this.db.tenant(async (em) => {
      const org = await this.carbon.org(em, tenantId);
      if (!org) throw new NotFoundError('Organization', tenantId);
      const currency = dto.currency ?? org.currency;
      if (!(LEDGER_CURRENCIES as readonly string[]).includes(currency))
        throw new BadInputError(
          `No exchange rate or price index is shipped for ${currency}: send the ledger's currency (${LEDGER_CURRENCIES.join(', ')}).`,
          [{ field: 'currency', message: `${currency} not supported` }],
        );
      const factorSet: FactorSet =
        dto.factorSet === 'epa'
          ? { set: 'epa' }
          : dto.factorSet === 'exiobase'
            ? { set: 'exiobase', region: currency === 'GBP' ? 'GB' : currency === 'USD' ? 'US' : 'DE' }
            : defaultFactorSet(currency);
      const replaced = await this.repo.overlapping(em, tenantId, period.from, period.to);
      for (const old of replaced) await this.repo.deleteLedger(em, old);
      const id = randomUUID();
      const { activities, lines } = await this.price(em, tenantId, parsed.lines, {
        currency,
        factorSet,
        period,
        meters,
      });
      const row = Object.assign(new SpendLedgerEntity(), {
        tenantId,
        id,
        fileName: (file.originalname || 'ledger.csv').slice(0, 200),
        format: parsed.format,
        currency,
        factorSet: factorSet.set,
        factorRegion: factorSet.set === 'epa' ? 'US' : factorSet.region,
        periodFrom: period.from,
        periodTo: period.to,
        lines,
        activityIds: await this.writeActivities(em, tenantId, id, activities),
        createdBy: RequestContext.maybe()?.userId ?? null,
        createdAt: new Date(),
      });
      await this.repo.saveLedger(em, row);
      return { ...this.view(row), replaced: replaced.map((r) => r.id) };
    }, tenantId);
  }

  /** A correction: the line's category becomes an organisation rule, and the ledger is priced again with it. */
  async correct(
    tenantId: string,
    ledgerId: string,
    lineNo: number,
    category: string,
  ): Promise<SpendLedgerView> {
    if (!CATEGORY_BY_KEY.has(category))
      throw new BadInputError(`Unknown category '${category}'.`, [{ field: 'category', message: 'unknown' }]);
    const ledger = await this.db.tenant((em) => this.repo.ledger(em, tenantId, ledgerId), tenantId);
    if (!ledger) throw new NotFoundError('Spend ledger', ledgerId);
    const line = ledger.lines.find((l) => l.lineNo === lineNo);
    if (!line) throw new NotFoundError('Spend ledger line', String(lineNo));
    const period = { from: ledger.periodFrom, to: ledger.periodTo };
    const meters = await this.meterCoverage(tenantId, period);
    return this.db.tenant(async (em) => {
      const rule = ruleFromCorrection(linesOf([line])[0], category);
      await this.repo.insertRule(
        em,
        Object.assign(new SpendRuleEntity(), {
          tenantId,
          id: randomUUID(),
          account: rule.account ?? null,
          accountCode: rule.accountCode ?? null,
          supplier: rule.supplier ?? null,
          keyword: rule.keyword ?? null,
          category,
          createdBy: RequestContext.maybe()?.userId ?? null,
          createdAt: new Date(),
        }),
      );
      const factorSet: FactorSet =
        ledger.factorSet === 'epa' ? { set: 'epa' } : { set: 'exiobase', region: ledger.factorRegion };
      const { activities, lines } = await this.price(em, tenantId, linesOf(ledger.lines), {
        currency: ledger.currency,
        factorSet,
        period,
        meters,
      });
      await this.repo.deleteActivities(em, tenantId, ledger.activityIds);
      ledger.activityIds = await this.writeActivities(em, tenantId, ledger.id, activities);
      ledger.lines = lines;
      await this.repo.saveLedger(em, ledger);
      return { ...this.view(ledger), replaced: [] };
    }, tenantId);
  }

  async list(tenantId: string): Promise<SpendLedgerSummaryView[]> {
    const rows = await this.db.tenant((em) => this.repo.ledgers(em, tenantId), tenantId);
    return rows.map((r) => this.summary(r));
  }

  async get(tenantId: string, ledgerId: string): Promise<SpendLedgerView> {
    const row = await this.db.tenant((em) => this.repo.ledger(em, tenantId, ledgerId), tenantId);
    if (!row) throw new NotFoundError('Spend ledger', ledgerId);
    return { ...this.view(row), replaced: [] };
  }

  async remove(tenantId: string, ledgerId: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const row = await this.repo.ledger(em, tenantId, ledgerId);
      if (!row) throw new NotFoundError('Spend ledger', ledgerId);
      await this.repo.deleteLedger(em, row);
    }, tenantId);
  }

  async rules(tenantId: string): Promise<SpendRuleView[]> {
    const rows = await this.db.tenant((em) => this.repo.rules(em, tenantId), tenantId);
    return rows.map((r) => ({
      id: r.id,
      account: r.account,
      accountCode: r.accountCode,
      supplier: r.supplier,
      keyword: r.keyword,
      category: r.category,
      createdAt: new Date(r.createdAt).toISOString(),
    }));
  }

  private summary(r: SpendLedgerEntity): SpendLedgerSummaryView {
    const counted = r.lines.filter((l) => !l.excludedReason && l.kgCo2e !== null);
    return {
      id: r.id,
      fileName: r.fileName,
      format: r.format,
      currency: r.currency,
      factorSet: r.factorSet,
      factorRegion: r.factorRegion,
      periodFrom: r.periodFrom,
      periodTo: r.periodTo,
      lineCount: r.lines.length,
      countedLines: counted.length,
      kgCo2e: roundKg(sumDecimals(counted.map((l) => l.kgCo2e as string))),
      createdAt: new Date(r.createdAt).toISOString(),
    };
  }

  private view(r: SpendLedgerEntity): Omit<SpendLedgerView, 'replaced'> {
    return { ...this.summary(r), lines: r.lines };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BadInputError, Db, NotFoundError, RequestContext } from '@halve/platform';
import { CarbonRepository } from '../carbon.repository';
import { METER_USAGE, type MeterUsageSource } from '../dto/meter-usage';
import { ActivityEntity } from '../entities/carbon.entities';
import { roundKg, sumDecimals } from '../factors/decimal';
import { parseLedger } from './ledger-layouts';
import type { LedgerFormat, LedgerLine } from './ledger-parse';
import {
  linesOf,
  periodOf,
  problemsError,
  ruleView,
  sameConditions,
  tenantFactorRow,
} from './spend-ledger-rows';
import { loadPriceTables } from './price-adjust';
import { spendActivities, type SpendActivity } from './spend-activities';
import { CATEGORY_BY_KEY, SPEND_CATEGORIES, type Coverage } from './spend-categories';
import { loadSpendFactors } from './spend-factors';
import { coverageOf, defaultFactorSet, priceLedgerLines, type FactorSet } from './spend-lines';
import { orderOrgRules, ruleFromCorrection } from './spend-rules';
import { SpendLedgerEntity, SpendRuleEntity } from './spend.entities';
import { LEDGER_CURRENCIES, type SpendRuleDto, type UploadSpendLedgerDto } from './spend.dto';
import { SPEND_ACTIVITY, SpendRepository } from './spend.repository';
import type {
  SpendCategoryView,
  SpendLedgerSummaryView,
  SpendLedgerView,
  SpendRuleView,
} from './spend.responses';

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

  /**
   * A correction of one line. remember (default): the category becomes an organisation rule (supplier and
   * account, else account and description) that the line and its like follow; otherwise it is kept on this
   * line only and stays when rules are applied again. The ledger is priced again either way.
   */
  async correct(
    tenantId: string,
    ledgerId: string,
    lineNo: number,
    category: string,
    remember = true,
  ): Promise<SpendLedgerView> {
    if (!CATEGORY_BY_KEY.has(category))
      throw new BadInputError(`Unknown category '${category}'.`, [{ field: 'category', message: 'unknown' }]);
    return this.reprice(tenantId, ledgerId, async (em, ledger) => {
      const line = ledger.lines.find((l) => l.lineNo === lineNo);
      if (!line) throw new NotFoundError('Spend ledger line', String(lineNo));
      if (!remember) {
        line.manualCategory = category;
        return;
      }
      delete line.manualCategory;
      const rule = this.ruleRow(tenantId, randomUUID(), {
        ...ruleFromCorrection(linesOf([line])[0], category),
        category,
      });
      // the same conditions corrected again: the rule changes its category, no second rule
      const same = (await this.repo.rules(em, tenantId)).find((r) => sameConditions(r, rule));
      if (same) await this.repo.saveRule(em, Object.assign(same, { category }));
      else await this.repo.insertRule(em, rule);
    });
  }

  /** Applies the organisation's current rules to the ledger again; lines corrected by hand keep their category. */
  reapplyRules(tenantId: string, ledgerId: string): Promise<SpendLedgerView> {
    return this.reprice(tenantId, ledgerId);
  }

  /** Prices a ledger again (after `change`, inside the same transaction) and replaces its activities. */
  private async reprice(
    tenantId: string,
    ledgerId: string,
    change?: (em: EntityManager, ledger: SpendLedgerEntity) => Promise<void>,
  ): Promise<SpendLedgerView> {
    const found = await this.db.tenant((em) => this.repo.ledger(em, tenantId, ledgerId), tenantId);
    if (!found) throw new NotFoundError('Spend ledger', ledgerId);
    const period = { from: found.periodFrom, to: found.periodTo };
    const meters = await this.meterCoverage(tenantId, period);
    return this.db.tenant(async (em) => {
      const ledger = await this.repo.ledger(em, tenantId, ledgerId);
      if (!ledger) throw new NotFoundError('Spend ledger', ledgerId);
      if (change) await change(em, ledger);
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
    return rows.map(ruleView);
  }

  private ruleRow(tenantId: string, id: string, dto: SpendRuleDto): SpendRuleEntity {
    const text = (v: string | null | undefined) => v?.trim() || null;
    const row = Object.assign(new SpendRuleEntity(), {
      tenantId,
      id,
      account: text(dto.account),
      accountCode: text(dto.accountCode),
      supplier: text(dto.supplier),
      keyword: text(dto.keyword),
      category: dto.category,
      createdBy: RequestContext.maybe()?.userId ?? null,
      createdAt: new Date(),
    });
    if (!row.account && !row.accountCode && !row.supplier && !row.keyword)
      throw new BadInputError(
        'A rule needs at least one condition: account, account code, supplier or keyword.',
        [{ field: 'account', message: 'give an account, account code, supplier or keyword' }],
      );
    return row;
  }

  /** A new organisation rule; it applies to the next upload, or to a ledger when its rules are applied again. */
  async createRule(tenantId: string, dto: SpendRuleDto): Promise<SpendRuleView> {
    const row = this.ruleRow(tenantId, randomUUID(), dto);
    await this.db.tenant((em) => this.repo.insertRule(em, row), tenantId);
    return ruleView(row);
  }

  async updateRule(tenantId: string, ruleId: string, dto: SpendRuleDto): Promise<SpendRuleView> {
    return this.db.tenant(async (em) => {
      const old = await this.repo.rule(em, tenantId, ruleId);
      if (!old) throw new NotFoundError('Spend rule', ruleId);
      const row = {
        ...this.ruleRow(tenantId, ruleId, dto),
        createdBy: old.createdBy,
        createdAt: old.createdAt,
      };
      await this.repo.saveRule(em, Object.assign(new SpendRuleEntity(), row));
      return ruleView(row);
    }, tenantId);
  }

  async removeRule(tenantId: string, ruleId: string): Promise<void> {
    await this.db.tenant(async (em) => {
      if (!(await this.repo.rule(em, tenantId, ruleId))) throw new NotFoundError('Spend rule', ruleId);
      await this.repo.deleteRule(em, tenantId, ruleId);
    }, tenantId);
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

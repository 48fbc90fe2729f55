/**
 * Utility bills (issue 18 item 2) for electricity and gas meters, entered one by one or as a file.
 *
 * How a bill reaches the inventory, counted once:
 * - A meter **without interval data** (a bill-period meter, intervalMinutes null): the bill *is* its
 *   meter data. It writes the meter's readings — one per calendar month of the period, each the
 *   month's share split by days (bill-rules.ts), with periodEnd = local midnight after its last day —
 *   and rebuilds the meter's rollups. The inventory reads those rollups (MeterUsageService.monthlyUsage)
 *   exactly as it reads a bill-period file import; it never reads this table. A bill is refused when the
 *   meter already has readings in its period (an import, a push or another bill), so nothing is counted twice.
 * - A meter **with interval data**: the interval readings are what the inventory counts; the bill
 *   writes nothing and is reconciled against them (sum over the same local days, flagged when they
 *   differ by more than 2 % of the interval sum).
 * Deleting a bill deletes the readings it wrote (import_id = the bill's id) and rebuilds the rollups.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';
import { AuditService, BadInputError, Db, NotFoundError, type ProblemField } from '@halve/platform';
import {
  BillRuleError,
  billDays,
  billFactor,
  billInstants,
  billReadings,
  billUnit,
  reconcile,
  splitBillByDays,
} from './bill-rules';
import { billMeterFor } from './bill-meter';
import { type BillFile, billColumns, billFromRow, readBillFile } from './bill-file';
import { type BillEntry, greenButtonBills } from './bill-green-button';
import { BillsRepository, IntervalSum } from './bills.repository';
import type { BillFileResult, CreateBillDto, UtilityBillView } from './dto/bills.dto';
import type { MeterEntity, SiteEntity } from './entities/metering.entities';
import type { BillSource, UtilityBillEntity } from './entities/utility-bill.entity';
import { FileRejectedError } from './import/file-rejected-error';
import { ReadingsRepository } from './readings.repository';
import { SitesRepository } from './sites.repository';

/** A bill rule or a whole-file refusal as a 400 naming the field; any other error as it is. */
function toBadInput(err: unknown): unknown {
  if (err instanceof BillRuleError) return new BadInputError(err.message, [ruleProblem(err)]);
  if (err instanceof FileRejectedError)
    return new BadInputError(err.message, [{ field: 'file', message: err.message }], { code: err.code });
  return err;
}

function asBadInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toBadInput(err);
  }
}

function ruleProblem(err: BillRuleError, line?: number): ProblemField {
  return { field: err.field, message: err.message, ...(line !== undefined ? { line } : {}) };
}

/** Pure: a bill's view, with its month split and, on an interval meter, its reconciliation. */
export function billView(bill: UtilityBillEntity, meter: MeterEntity, sum?: IntervalSum): UtilityBillView {
  const reconciliation =
    bill.countedAsReadings || !sum || sum.readings === 0
      ? null
      : { ...reconcile(bill.meterQuantity, sum.quantity), readings: sum.readings };
  return {
    id: bill.id,
    meterId: bill.meterId,
    meterName: meter.name,
    siteId: meter.siteId,
    meterKind: meter.kind,
    supplier: bill.supplier,
    account: bill.account,
    periodFrom: bill.periodFrom,
    periodTo: bill.periodTo,
    days: billDays(bill.periodFrom, bill.periodTo),
    quantity: bill.quantity,
    unit: bill.unit,
    meterQuantity: bill.meterQuantity,
    meterUnit: meter.unit,
    kwh: bill.quantity * billFactor(bill.unit, 'kWh', meter),
    cost: bill.cost,
    currency: bill.currency,
    tariffName: bill.tariffName,
    renewableCertificate: bill.renewableCertificate,
    source: bill.source,
    countedAsReadings: bill.countedAsReadings,
    months: splitBillByDays(bill.periodFrom, bill.periodTo, bill.meterQuantity),
    reconciliation,
    createdAt: bill.createdAt,
  };
}

/** Pure: the row of a new bill (throws BillRuleError on a bad unit, period or meter kind). */
export function newBillFields(
  ids: { tenantId: string; id: string; createdBy: string | null },
  dto: CreateBillDto,
  meter: MeterEntity,
  site: SiteEntity,
  source: BillSource,
): Partial<UtilityBillEntity> {
  const unit = billUnit(dto.unit, meter);
  const { start, end } = billInstants(dto.periodFrom, dto.periodTo, site.timezone);
  return {
    ...ids,
    meterId: meter.id,
    supplier: dto.supplier ?? null,
    account: dto.account ?? null,
    periodFrom: dto.periodFrom,
    periodTo: dto.periodTo,
    startsAt: start,
    endsAt: end,
    quantity: dto.quantity,
    unit,
    meterQuantity: dto.quantity * billFactor(unit, meter.unit, meter),
    cost: dto.cost ?? null,
    currency: dto.currency?.toUpperCase() ?? null,
    tariffName: dto.tariffName ?? null,
    renewableCertificate: dto.renewableCertificate ?? null,
    source,
    countedAsReadings: meter.intervalMinutes === null,
    createdAt: new Date(),
  };
}

@Injectable()
export class BillsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly repo: BillsRepository,
    private readonly sites: SitesRepository,
    private readonly readings: ReadingsRepository,
  ) {}

  async create(tenantId: string, dto: CreateBillDto, createdBy: string | null): Promise<UtilityBillView> {
    return this.db.tenant(async (em) => {
      try {
        const found = dto.meterId
          ? await this.sites.meterWithSite(em, tenantId, dto.meterId)
          : await billMeterFor(em, tenantId, dto, { sites: this.sites, audit: this.audit });
        if (!found) throw new NotFoundError('Meter', dto.meterId as string);
        const bill = await this.store(em, tenantId, dto, found, { source: 'manual', createdBy });
        return billView(bill, found.meter, (await this.repo.intervalSums(em, tenantId, [bill.id]))[0]);
      } catch (err) {
        throw toBadInput(err);
      }
    }, tenantId);
  }

  /**
   * A file of bills, all or nothing: every row is checked (and stored in one transaction, so later
   * rows see earlier ones' periods); any bad row refuses the whole file with each bad line named.
   */
  async importFile(
    tenantId: string,
    path: string,
    createdBy: string | null,
    meterId?: string,
  ): Promise<BillFileResult> {
    // the upload is read whole before the transaction; it is removed whatever the outcome
    const file = await readBillFile(path)
      .catch((err: unknown) => {
        throw toBadInput(err);
      })
      .finally(() => rm(path, { force: true }));
    return this.db.tenant(async (em) => {
      const entries = await this.fileEntries(em, tenantId, file, meterId);
      if (!entries.length)
        throw new BadInputError('The file holds no bills.', [{ field: 'file', message: 'no rows' }]);
      const source = file.kind === 'green_button' ? 'green_button' : 'file';
      const problems: ProblemField[] = [];
      const stored: { bill: UtilityBillEntity; meter: MeterEntity }[] = [];
      for (const entry of entries) {
        const result = await this.storeRow(em, tenantId, entry.bill, { source, createdBy });
        if ('problem' in result) problems.push({ ...result.problem, line: entry.line });
        else stored.push(result);
      }
      if (problems.length) {
        const first = problems[0];
        throw new BadInputError(
          `${problems.length} of ${entries.length} bills refused, nothing stored: line ${first.line}: ${first.message}`,
          problems,
        );
      }
      const sums = await this.repo.intervalSums(
        em,
        tenantId,
        stored.map((s) => s.bill.id),
      );
      const bills = stored.map((s) =>
        billView(
          s.bill,
          s.meter,
          sums.find((x) => x.billId === s.bill.id),
        ),
      );
      return { created: bills.length, bills };
    }, tenantId);
  }

  /** The file's bills with their lines: a table's rows, or a Green Button feed's billing periods on `meterId`. */
  private async fileEntries(
    em: EntityManager,
    tenantId: string,
    file: BillFile,
    meterId: string | undefined,
  ): Promise<BillEntry[]> {
    if (file.kind === 'table') {
      const columns = asBadInput(() => billColumns(file.header));
      return file.rows.map((row) => ({ line: row.line, bill: billFromRowSafe(columns, row.cells) }));
    }
    if (!meterId)
      throw new BadInputError(
        'A Green Button feed names no meter of this organisation: send the field meterId.',
        [{ field: 'meterId', message: 'required with a Green Button feed' }],
      );
    const found = await this.sites.meterWithSite(em, tenantId, meterId);
    if (!found) throw new NotFoundError('Meter', meterId);
    return asBadInput(() => greenButtonBills(file.feed, found.meter, found.site.timezone));
  }

  private async storeRow(
    em: EntityManager,
    tenantId: string,
    parsed: CreateBillDto | BillRuleError,
    how: { source: BillSource; createdBy: string | null },
  ): Promise<{ bill: UtilityBillEntity; meter: MeterEntity } | { problem: ProblemField }> {
    if (parsed instanceof BillRuleError) return { problem: ruleProblem(parsed) };
    try {
      const found = parsed.meterId
        ? /^[0-9a-f-]{36}$/i.test(parsed.meterId)
          ? await this.sites.meterWithSite(em, tenantId, parsed.meterId)
          : null
        : await billMeterFor(em, tenantId, parsed, { sites: this.sites, audit: this.audit });
      if (!found)
        return { problem: { field: 'meterId', message: `meter ${parsed.meterId ?? ''} was not found` } };
      const bill = await this.store(em, tenantId, parsed, found, how);
      return { bill, meter: found.meter };
    } catch (err) {
      if (err instanceof BillRuleError) return { problem: ruleProblem(err) };
      throw err;
    }
  }

  async list(tenantId: string, meterId?: string): Promise<UtilityBillView[]> {
    return this.db.tenant(async (em) => {
      const bills = await this.repo.list(em, tenantId, meterId);
      const meters = new Map((await this.sites.listMeters(em, tenantId)).map((m) => [m.id, m]));
      const sums = await this.repo.intervalSums(
        em,
        tenantId,
        bills.map((b) => b.id),
      );
      return bills.flatMap((b) => {
        const meter = meters.get(b.meterId);
        return meter
          ? [
              billView(
                b,
                meter,
                sums.find((s) => s.billId === b.id),
              ),
            ]
          : [];
      });
    }, tenantId);
  }

  async get(tenantId: string, id: string): Promise<UtilityBillView> {
    return this.db.tenant(async (em) => {
      const bill = await this.repo.find(em, tenantId, id);
      const meter = bill && (await this.sites.findMeter(em, tenantId, bill.meterId));
      if (!bill || !meter) throw new NotFoundError('Bill', id);
      return billView(bill, meter, (await this.repo.intervalSums(em, tenantId, [id]))[0]);
    }, tenantId);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const bill = await this.repo.find(em, tenantId, id);
      const found = bill && (await this.sites.meterWithSite(em, tenantId, bill.meterId));
      if (!bill || !found) throw new NotFoundError('Bill', id);
      await this.repo.delete(em, tenantId, id);
      if (bill.countedAsReadings) {
        await this.readings.lockMeters(em, tenantId, [bill.meterId]);
        await this.repo.deleteReadings(em, tenantId, bill.meterId, id);
        await this.readings.refreshRollups(
          em,
          tenantId,
          found.meter,
          found.site.timezone,
          bill.startsAt,
          bill.endsAt,
        );
      }
      await this.audit.record(em, tenantId, {
        action: 'bill.deleted',
        entityType: 'utility_bill',
        entityId: id,
        summary: {
          before: {
            meterId: bill.meterId,
            periodFrom: bill.periodFrom,
            periodTo: bill.periodTo,
            quantity: bill.quantity,
            unit: bill.unit,
          },
        },
      });
    }, tenantId);
  }

  /** Checks the bill against the meter's other bills and readings, stores it and, on a bill-period meter, its readings. */
  private async store(
    em: EntityManager,
    tenantId: string,
    dto: CreateBillDto,
    { meter, site }: { meter: MeterEntity; site: SiteEntity },
    how: { source: BillSource; createdBy: string | null },
  ): Promise<UtilityBillEntity> {
    const fields = newBillFields(
      { tenantId, id: randomUUID(), createdBy: how.createdBy },
      dto,
      meter,
      site,
      how.source,
    );
    const other = await this.repo.overlappingBill(em, tenantId, meter.id, {
      from: dto.periodFrom,
      to: dto.periodTo,
    });
    if (other)
      throw new BillRuleError(
        'periodFrom',
        `the period overlaps bill ${other.id} (${other.period_from} – ${other.period_to}) of this meter`,
      );
    const range = { start: fields.startsAt as Date, end: fields.endsAt as Date };
    if (fields.countedAsReadings) {
      await this.readings.lockMeters(em, tenantId, [meter.id]);
      if (await this.repo.hasReadings(em, tenantId, meter.id, range))
        throw new BillRuleError(
          'periodFrom',
          'the meter already has readings in this period (an import or a push): the bill would count them twice',
        );
    }
    const bill = await this.repo.insert(em, fields);
    if (bill.countedAsReadings) {
      const shares = splitBillByDays(bill.periodFrom, bill.periodTo, bill.meterQuantity);
      await this.repo.insertReadings(em, tenantId, meter.id, bill.id, billReadings(shares, site.timezone));
      await this.readings.refreshRollups(em, tenantId, meter, site.timezone, range.start, range.end);
    }
    await this.audit.record(em, tenantId, {
      action: 'bill.created',
      entityType: 'utility_bill',
      entityId: bill.id,
      summary: {
        after: {
          meterId: meter.id,
          periodFrom: bill.periodFrom,
          periodTo: bill.periodTo,
          quantity: bill.quantity,
          unit: bill.unit,
          source: bill.source,
        },
      },
    });
    return bill;
  }
}

function billFromRowSafe(
  columns: ReturnType<typeof billColumns>,
  cells: Parameters<typeof billFromRow>[1],
): CreateBillDto | BillRuleError {
  try {
    const dto = billFromRow(columns, cells);
    billDays(dto.periodFrom, dto.periodTo);
    return dto;
  } catch (err) {
    if (err instanceof BillRuleError) return err;
    throw err;
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UtilityBillEntity } from './entities/utility-bill.entity';

/** Interval data of a meter over a bill's period. */
export interface IntervalSum {
  billId: string;
  quantity: number;
  readings: number;
}

/**
 * Utility bills and the readings a bill writes, in the caller's transaction (`Db.tenant`, under RLS):
 * the service decides the transaction, this only queries.
 */
@Injectable()
export class BillsRepository {
  async insert(em: EntityManager, fields: Partial<UtilityBillEntity>): Promise<UtilityBillEntity> {
    const bill = em.create(UtilityBillEntity, fields);
    await em.insert(UtilityBillEntity, bill);
    return bill;
  }

  find(em: EntityManager, tenantId: string, id: string): Promise<UtilityBillEntity | null> {
    return em.findOneBy(UtilityBillEntity, { tenantId, id });
  }

  list(em: EntityManager, tenantId: string, meterId?: string): Promise<UtilityBillEntity[]> {
    return em.find(UtilityBillEntity, {
      where: meterId ? { tenantId, meterId } : { tenantId },
      order: { periodFrom: 'ASC', createdAt: 'ASC' },
    });
  }

  async delete(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.delete(UtilityBillEntity, { tenantId, id });
  }

  /** Another bill of the meter whose period shares a day with [from, to] (dates, both included). */
  async overlappingBill(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    period: { from: string; to: string },
  ): Promise<{ id: string; period_from: string; period_to: string } | undefined> {
    const rows: { id: string; period_from: string; period_to: string }[] = await em.query(
      `SELECT id, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to
         FROM utility_bills
        WHERE tenant_id = $1 AND meter_id = $2 AND period_from <= $4::date AND period_to >= $3::date
        LIMIT 1`,
      [tenantId, meterId, period.from, period.to],
    );
    return rows[0];
  }

  /** Whether the meter holds readings (imported, pushed or of a bill) anywhere in [start, end). */
  async hasReadings(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    range: { start: Date; end: Date },
  ): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM readings
        WHERE tenant_id = $1 AND meter_id = $2 AND ts < $4 AND coalesce(period_end, ts) > $3 LIMIT 1`,
      [tenantId, meterId, range.start, range.end],
    );
    return rows.length > 0;
  }

  /** Writes a bill's readings (one per month share); import_id names the bill, so they go with it. */
  async insertReadings(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    billId: string,
    readings: readonly { ts: Date; periodEnd: Date; value: number }[],
  ): Promise<void> {
    // RETURNING: on Citus an INSERT … SELECT from outside the shards without it goes as a COPY, which row-level
    // security refuses; with it, as an intermediate result and an INSERT on the tenant's shard (ADR 0011)
    await em.query(
      `INSERT INTO readings (tenant_id, meter_id, ts, value, period_end, quality, import_id)
       SELECT $1, $2, x.ts, x.value, x.period_end, 0, $3
         FROM unnest($4::timestamptz[], $5::float8[], $6::timestamptz[]) AS x(ts, value, period_end)
       RETURNING ts`,
      [
        tenantId,
        meterId,
        billId,
        readings.map((r) => r.ts.toISOString()),
        readings.map((r) => r.value),
        readings.map((r) => r.periodEnd.toISOString()),
      ],
    );
  }

  async deleteReadings(em: EntityManager, tenantId: string, meterId: string, billId: string): Promise<void> {
    await em.query(`DELETE FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND import_id = $3`, [
      tenantId,
      meterId,
      billId,
    ]);
  }

  /** Sum of the interval readings of each bill's meter over the bill's [startsAt, endsAt). */
  async intervalSums(
    em: EntityManager,
    tenantId: string,
    billIds: readonly string[],
  ): Promise<IntervalSum[]> {
    if (!billIds.length) return [];
    const rows: { bill_id: string; quantity: number | null; n: string }[] = await em.query(
      `SELECT b.id AS bill_id, x.quantity, x.n
         FROM utility_bills b
         CROSS JOIN LATERAL (SELECT sum(r.value) AS quantity, count(*) AS n FROM readings r
                              WHERE r.tenant_id = b.tenant_id AND r.meter_id = b.meter_id
                                AND r.ts >= b.starts_at AND r.ts < b.ends_at) x
        WHERE b.tenant_id = $1 AND b.id = ANY($2::uuid[]) AND NOT b.counted_as_readings`,
      [tenantId, billIds],
    );
    return rows.map((r) => ({ billId: r.bill_id, quantity: Number(r.quantity ?? 0), readings: Number(r.n) }));
  }
}

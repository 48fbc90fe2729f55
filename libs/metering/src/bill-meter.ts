/**
 * A bill for a business without a meter (issue 18 item 1): when a bill names no meter, the site and
 * the meter it belongs to are found or made here, in the bill's own transaction.
 *
 * Which site: the one named (siteId); else the site at the bill's supply address (same address,
 * ignoring case and spaces), made when there is none; else the organisation's only site; else, when
 * it has no site, a new one ("Main site"). A bill without siteId or supply address in an organisation
 * of several sites is refused (naming siteId): guessing would put the energy on the wrong site.
 * New sites take the organisation's country and time zone (their grid region from the country).
 *
 * Which meter: the site's bill-period meter of the commodity (no interval data); else its interval
 * meter of the commodity (the bill is then reconciled against the interval data, never counted twice);
 * else a new bill-period meter ("Electricity (billed)" / "Gas (billed)", kWh).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '@halve/platform';
import { BillRuleError } from './bill-rules';
import type { MeterEntity, SiteEntity } from './entities/metering.entities';
import { newMeterFields, newSiteFields } from './site-rules';
import type { SitesRepository } from './sites.repository';
import type { MeterKind } from './units/units';

export const BILL_COMMODITIES = ['electricity', 'gas'] as const;
export type BillCommodity = (typeof BILL_COMMODITIES)[number];

const KIND: Record<BillCommodity, MeterKind> = { electricity: 'electricity_import', gas: 'natural_gas' };
const METER_NAME: Record<BillCommodity, string> = {
  electricity: 'Electricity (billed)',
  gas: 'Gas (billed)',
};

/** What a bill says about where it belongs when it names no meter. */
export interface BillPlace {
  commodity?: string;
  siteId?: string;
  supplyAddress?: string;
}

const sameAddress = (a: string | null, b: string) =>
  !!a && a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/** Pure: the meter kind of a bill's commodity (throws a BillRuleError naming `commodity`). */
export function billCommodityKind(commodity: string | undefined): MeterKind {
  if (!commodity)
    throw new BillRuleError('commodity', 'a bill without meterId needs commodity (electricity or gas)');
  if (!(BILL_COMMODITIES as readonly string[]).includes(commodity))
    throw new BillRuleError('commodity', `commodity is electricity or gas, got "${commodity}"`);
  return KIND[commodity as BillCommodity];
}

/** Pure: the site a bill goes to, or what to make: { site } found, { make: name } or a refusal. */
export function pickBillSite(
  sites: readonly SiteEntity[],
  place: BillPlace,
): { site: SiteEntity } | { make: { name: string; address: string | null } } {
  if (place.siteId) {
    const site = sites.find((s) => s.id === place.siteId);
    if (!site) throw new BillRuleError('siteId', `site ${place.siteId} was not found`);
    return { site };
  }
  const address = place.supplyAddress?.trim();
  if (address) {
    const site = sites.find((s) => sameAddress(s.address, address));
    return site ? { site } : { make: { name: address.split(/[,\n]/)[0].trim().slice(0, 200), address } };
  }
  if (sites.length === 1) return { site: sites[0] };
  if (!sites.length) return { make: { name: 'Main site', address: null } };
  throw new BillRuleError(
    'siteId',
    `the organisation has ${sites.length} sites: name the bill's site (siteId) or its supply address`,
  );
}

/** Pure: the site's meter a bill of `kind` goes to (bill-period first, then interval), or null to make one. */
export function pickBillMeter(meters: readonly MeterEntity[], kind: MeterKind): MeterEntity | null {
  const ofKind = meters.filter((m) => m.kind === kind);
  return ofKind.find((m) => m.intervalMinutes === null) ?? ofKind[0] ?? null;
}

/** Finds or makes the site and meter of a bill that names no meter (in the caller's transaction). */
export async function billMeterFor(
  em: EntityManager,
  tenantId: string,
  place: BillPlace,
  deps: { sites: SitesRepository; audit: AuditService },
): Promise<{ meter: MeterEntity; site: SiteEntity }> {
  const kind = billCommodityKind(place.commodity);
  const picked = pickBillSite(await deps.sites.listSites(em, tenantId), place);
  let site: SiteEntity;
  if ('site' in picked) site = picked.site;
  else {
    const [org] = (await em.query('SELECT country, timezone FROM organizations WHERE id = $1', [
      tenantId,
    ])) as { country: string; timezone: string }[];
    const fields = newSiteFields(tenantId, randomUUID(), {
      ...picked.make,
      address: picked.make.address ?? undefined,
      country: org.country,
      timezone: org.timezone,
    });
    site = await deps.sites.insertSite(em, fields);
    await deps.audit.record(em, tenantId, {
      action: 'site.created',
      entityType: 'site',
      entityId: site.id,
      summary: { after: { name: site.name, timezone: site.timezone, madeFor: 'bill' } },
    });
    site = await deps.sites.getSite(em, tenantId, site.id);
  }
  const found = pickBillMeter(await deps.sites.allMeters(em, tenantId, site.id), kind);
  if (found) return { meter: found, site };
  const commodity = place.commodity as BillCommodity;
  const meter = await deps.sites.insertMeter(
    em,
    newMeterFields(tenantId, randomUUID(), {
      siteId: site.id,
      name: METER_NAME[commodity],
      kind,
      unit: 'kWh',
      intervalMinutes: null,
    }),
  );
  await deps.audit.record(em, tenantId, {
    action: 'meter.created',
    entityType: 'meter',
    entityId: meter.id,
    summary: { after: { name: meter.name, kind: meter.kind, unit: meter.unit, madeFor: 'bill' } },
  });
  return { meter: await deps.sites.getMeter(em, tenantId, meter.id), site };
}

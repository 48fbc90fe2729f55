import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DemoSeeder, findRepoPath } from '@halve/platform';
import { demoGasBills } from './bill-demo';
import { BillsService } from './bills.service';
import { ImportRequestOptions, ImportsService } from './imports.service';
import { SitesService } from './sites.service';

/** `libs/metering/demo`, from the source tree or from the compiled `dist/`. */
export function findDemoDir(): string {
  const dir = findRepoPath(join('libs', 'metering', 'demo'));
  if (!dir) throw new Error('The demo data folder libs/metering/demo was not found.');
  return dir;
}

/** The demo's reporting year: the campus's second year of readings, the year every scope has data. */
export const DEMO_YEAR = 2017;

/**
 * Pure: the PVDAQ file (calendar year 2012) with its timestamps moved to `year`, 29 February dropped
 * when `year` is not a leap year. The array is the demo's only on-site generation; without the move
 * its output would sit five years before any consumption and no year would have self-consumption.
 */
export function pvFileInYear(csv: string, year: number): string {
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  return csv
    .split('\n')
    .filter((line) => leap || !line.startsWith('2012-02-29'))
    .map((line) => (line.startsWith('2012-') ? `${year}${line.slice(4)}` : line))
    .join('\n');
}

/**
 * The demo organisation's sites and meters, filled with real published data through the same import
 * pipeline a user's upload takes (see libs/metering/demo/SOURCE.md).
 */
@Injectable()
export class MeteringDemoSeeder implements DemoSeeder {
  readonly order = 10;
  readonly name = `metering: 3 sites, 3 meters, a year or two of real readings and weather (the PV's 2012 output replayed in ${DEMO_YEAR}), the campus's quarterly gas bills (2016, ${DEMO_YEAR})`;
  private readonly logger = new Logger('MeteringDemo');

  constructor(
    private readonly sites: SitesService,
    private readonly imports: ImportsService,
    private readonly bills: BillsService,
  ) {}

  private async load(
    tenantId: string,
    userId: string,
    target: { kind: 'meter'; meterId: string } | { kind: 'weather'; siteId: string },
    file: string,
    options: ImportRequestOptions,
    transform?: (csv: string) => string,
  ) {
    const dir = await this.imports.ensureUploadDir();
    const tmp = join(dir, `demo-${randomUUID()}`);
    const source = join(findDemoDir(), file);
    if (transform) await writeFile(tmp, transform(await readFile(source, 'utf8')));
    else await copyFile(source, tmp);
    const { importId } = await this.imports.create(
      tenantId,
      target,
      { path: tmp, originalname: file, size: 0 },
      options,
      userId,
    );
    return importId;
  }

  /** A university teaching building on a time-of-use tariff, hourly electricity. */
  private async seedCampus(tenantId: string) {
    const campus = await this.sites.createSite(tenantId, {
      name: 'Campus teaching building (Berkeley)',
      country: 'US',
      timezone: 'America/Los_Angeles',
      latitude: 37.8719,
      longitude: -122.2607,
      gridRegion: 'CAMX',
      floorAreaM2: 6988.9,
      tariff: {
        type: 'time_of_use',
        currency: 'USD',
        bands: [
          { days: [1, 2, 3, 4, 5], fromHour: 16, toHour: 21, pricePerKwh: 0.42 },
          { days: [1, 2, 3, 4, 5], fromHour: 21, toHour: 16, pricePerKwh: 0.24 },
          { days: [6, 7], fromHour: 0, toHour: 24, pricePerKwh: 0.22 },
        ],
        demandChargePerKw: 18,
      },
    });
    const campusMeter = await this.sites.createMeter(tenantId, {
      siteId: campus.id,
      name: 'Main electricity',
      kind: 'electricity_import',
      unit: 'kWh',
      intervalMinutes: 60,
    });
    return campusMeter;
  }

  /** An office on a flat tariff, hourly electricity (and its weather file). */
  private async seedOffice(tenantId: string) {
    const office = await this.sites.createSite(tenantId, {
      name: 'Office (Phoenix)',
      country: 'US',
      timezone: 'America/Phoenix',
      latitude: 33.4484,
      longitude: -112.074,
      gridRegion: 'AZNM',
      floorAreaM2: 865,
      tariff: { type: 'flat', currency: 'USD', pricePerKwh: 0.13, demandChargePerKw: 12 },
    });
    const officeMeter = await this.sites.createMeter(tenantId, {
      siteId: office.id,
      name: 'Office electricity',
      kind: 'electricity_import',
      unit: 'kWh',
      intervalMinutes: 60,
    });
    return { office, officeMeter };
  }

  /** A PV test array, 15-minute generation. */
  private async seedSolar(tenantId: string) {
    const solar = await this.sites.createSite(tenantId, {
      name: 'Solar test site (Golden, CO)',
      country: 'US',
      timezone: 'America/Denver',
      latitude: 39.742,
      longitude: -105.179,
      gridRegion: 'RMPA',
    });
    const pvMeter = await this.sites.createMeter(tenantId, {
      siteId: solar.id,
      name: 'PV array (PVDAQ system 50)',
      kind: 'pv_generation',
      unit: 'kWh',
      intervalMinutes: 15,
      capacityKw: 3.5, // not published with the data: 2012's peak AC output was 3.37 kW
      tiltDeg: 45,
      azimuthDeg: 158,
    });
    return pvMeter;
  }

  async seed(tenantId: string, userId: string): Promise<void> {
    const campusMeter = await this.seedCampus(tenantId);
    // the campus has no gas meter: its bills make a bill-period one (as for a business without a meter)
    for (const year of [DEMO_YEAR - 1, DEMO_YEAR])
      for (const bill of demoGasBills(year, campusMeter.siteId))
        await this.bills.create(tenantId, bill, userId);
    const { office, officeMeter } = await this.seedOffice(tenantId);
    const pvMeter = await this.seedSolar(tenantId);
    await this.load(
      tenantId,
      userId,
      { kind: 'meter', meterId: campusMeter.id },
      'bdg2-bear-education-leonel.csv',
      {},
    );
    await this.load(
      tenantId,
      userId,
      { kind: 'meter', meterId: officeMeter.id },
      'bdg1-office-abigail-2015.csv',
      {},
    );
    await this.load(
      tenantId,
      userId,
      { kind: 'weather', siteId: office.id },
      'bdg1-office-abigail-2015-weather.csv',
      {},
    );
    await this.load(
      tenantId,
      userId,
      { kind: 'meter', meterId: pvMeter.id },
      'pvdaq-system50-2012.csv',
      { unit: 'W' },
      (csv) => pvFileInYear(csv, DEMO_YEAR),
    );
    this.logger.log('demo meter data queued');
  }
}

/**
 * Response schemas of the metering routes (MeteringController): what SitesService, ImportsService,
 * ReadingsService and MeterUsageService return. The controller declares them as its handlers' return
 * types, so tsc checks the services' values against the document. Dates are Date here, ISO strings on the wire.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { MeterKind } from '../units/units';
import { METER_KINDS } from './metering.dto';
import { WEATHER_TIMESTAMPS, WeatherTimestamps } from '../weather';

const METER_KIND_SCHEMA = { enum: METER_KINDS, enumName: 'MeterKind' } as const;
const READING_QUALITY_SCHEMA = {
  enum: ['measured', 'estimated', 'filled'],
  enumName: 'ReadingQuality',
} as const;

export class SiteTariffBand {
  @ApiProperty({
    type: Number,
    isArray: true,
    example: [1, 2, 3, 4, 5],
    description: 'ISO weekdays, 1 = Monday',
  })
  days: number[];
  @ApiProperty() fromHour: number;
  @ApiProperty({ description: 'exclusive; ≤ fromHour wraps past midnight' }) toHour: number;
  @ApiProperty() pricePerKwh: number;
}

/** A site's tariff as entered. */
export class SiteTariff {
  @ApiProperty({ enum: ['flat', 'time_of_use'] }) type: 'flat' | 'time_of_use';
  @ApiProperty({ example: 'GBP' }) currency: string;
  @ApiPropertyOptional({ description: 'flat tariffs' }) pricePerKwh?: number;
  @ApiPropertyOptional({ type: () => SiteTariffBand, isArray: true, description: 'time-of-use tariffs' })
  bands?: SiteTariffBand[];
  @ApiPropertyOptional() demandChargePerKw?: number;
}

export class SiteView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'GB' }) country: string;
  @ApiProperty({ example: 'Europe/London' }) timezone: string;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: Number, nullable: true }) latitude: number | null;
  @ApiProperty({ type: Number, nullable: true }) longitude: number | null;
  @ApiProperty({ type: Number, nullable: true }) floorAreaM2: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'emission-factor region' }) gridRegion:
    string | null;
  @ApiProperty({ type: () => SiteTariff, nullable: true }) tariff: SiteTariff | null;
  @ApiProperty({
    enum: WEATHER_TIMESTAMPS,
    description:
      'what its weather rows’ timestamps mean: start (hour-beginning), end (hour-ending) or instant',
  })
  weatherTimestamps: WeatherTimestamps;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class MeterView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty() name: string;
  @ApiProperty(METER_KIND_SCHEMA) kind: MeterKind;
  @ApiProperty({ example: 'kWh' }) unit: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null for bill-period meters' })
  intervalMinutes: number | null;
  @ApiProperty({ enum: ['interval', 'cumulative'] }) register: 'interval' | 'cumulative';
  @ApiProperty({ type: Number, nullable: true, description: 'DC peak kWp for PV, rated kW for wind' })
  capacityKw: number | null;
  @ApiProperty({ type: Number, nullable: true }) tiltDeg: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '180 = south' }) azimuthDeg: number | null;
  @ApiProperty({ type: Number, nullable: true }) gasCalorificValueKwhPerM3: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the column holding this meter in wide files' })
  sourceColumn: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

/** 202 of an upload: the import and the job that parses it. */
export class MeterImportAccepted {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty() jobId: string;
}

export class ImportRowError {
  @ApiProperty({ description: 'line of the file (1 = first)' }) line: number;
  @ApiProperty() message: string;
}

export class ImportRowWarning {
  @ApiPropertyOptional() line?: number;
  @ApiProperty() message: string;
}

/** An import's report: uploads (meter, wide, weather) and JSON pushes. */
export class MeterImportReport {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'the same as id' }) importId: string;
  @ApiProperty({ enum: ['meter', 'wide', 'weather', 'push'] }) kind: 'meter' | 'wide' | 'weather' | 'push';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) meterId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) siteId: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'], enumName: 'ImportStatus' })
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  @ApiProperty({ type: String, nullable: true }) filename: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'csv' }) format: string | null;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes: number | null;
  @ApiProperty() rowsRead: number;
  @ApiProperty() rowsStored: number;
  @ApiProperty() rowsUpdated: number;
  @ApiProperty() rowsUnchanged: number;
  @ApiProperty() rowsMissing: number;
  @ApiProperty() rowsRejected: number;
  @ApiProperty() rowsDuplicate: number;
  @ApiProperty({ type: () => ImportRowError, isArray: true }) errors: ImportRowError[];
  @ApiProperty({ type: () => ImportRowWarning, isArray: true }) warnings: ImportRowWarning[];
  @ApiPropertyOptional({ description: 'failed: why' }) error?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'PARSE_FAILED',
    description: 'failed: a code',
  })
  errorCode?: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) firstTs: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastTs: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'null for a JSON push' }) jobId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: Date | null;
  @ApiPropertyOptional({ description: 'GET of a queued retry: when its next attempt runs' })
  nextAttemptAt?: Date;
}

export class SiteWeatherPoint {
  @ApiProperty() ts: Date;
  @ApiProperty({ type: Number, nullable: true }) temperatureC: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'global horizontal irradiance, W/m²' })
  ghiWM2: number | null;
  @ApiProperty({ type: Number, nullable: true }) cloudCoverPct: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'm/s' }) windSpeedMS: number | null;
}

/** GET …/sites/:siteId/weather: the imported hourly weather. */
export class SiteWeatherSeries {
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ type: () => SiteWeatherPoint, isArray: true }) points: SiteWeatherPoint[];
}

/** Rows of a site's weather that hold each value. */
export class SiteWeatherColumns {
  @ApiProperty() temperatureC: number;
  @ApiProperty() ghiWM2: number;
  @ApiProperty() cloudCoverPct: number;
  @ApiProperty() windSpeedMS: number;
}

/** GET …/sites/:siteId/weather/coverage: what the site's imported weather holds, without its rows. */
export class SiteWeatherCoverage {
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ description: 'weather rows stored (one per timestamp)' }) rows: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'earliest timestamp as imported',
  })
  first: Date | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'latest timestamp as imported',
  })
  last: Date | null;
  @ApiProperty({ type: () => SiteWeatherColumns, description: 'rows with a value, per column' })
  withValue: SiteWeatherColumns;
}

/** DELETE …/sites/:siteId/weather: the rows deleted. */
export class SiteWeatherDeleted {
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ description: 'weather rows deleted' }) deleted: number;
}

/** A reading (raw) or a rolled-up bucket (hour, day, month: with `count`). */
export class MeterReadingPoint {
  @ApiProperty({ description: 'start of the interval or bucket' }) ts: Date;
  @ApiProperty() value: number;
  @ApiPropertyOptional({ description: 'raw, bill-period meters: end of the period' }) periodEnd?: Date;
  @ApiPropertyOptional({ ...READING_QUALITY_SCHEMA, description: 'raw only' }) quality?:
    'measured' | 'estimated' | 'filled';
  @ApiPropertyOptional({ description: 'rolled up only: readings in the bucket' }) count?: number;
}

export class MeterReadingSeries {
  @ApiProperty({ format: 'uuid' }) meterId: string;
  @ApiProperty() unit: string;
  @ApiProperty({ enum: ['raw', 'hour', 'day', 'month'] }) resolution: 'raw' | 'hour' | 'day' | 'month';
  @ApiProperty({ description: "the site's zone (buckets are local calendar periods)" }) timezone: string;
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ type: () => MeterReadingPoint, isArray: true }) points: MeterReadingPoint[];
}

export class ReadingGap {
  @ApiProperty() start: Date;
  @ApiProperty() end: Date;
  @ApiProperty() intervals: number;
}

export class ReadingFlatLine {
  @ApiProperty() start: Date;
  @ApiProperty() end: Date;
  @ApiProperty() value: number;
  @ApiProperty() intervals: number;
}

export class ReadingSpike {
  @ApiProperty() ts: Date;
  @ApiProperty() value: number;
  @ApiProperty({ description: "the period's median it is compared with" }) median: number;
}

export class NegativeReading {
  @ApiProperty() ts: Date;
  @ApiProperty() value: number;
}

export class NegativeReadings {
  @ApiProperty() count: number;
  @ApiProperty({ type: () => NegativeReading, isArray: true, description: 'the first 20' })
  first: NegativeReading[];
}

export class ReadingQualityCounts {
  @ApiProperty() measured: number;
  @ApiProperty() estimated: number;
  @ApiProperty() filled: number;
}

/** GET …/meters/:meterId/quality. Lists are capped (gaps 200, flat lines and spikes 100); gapCount counts all. */
export class MeterQualityReport {
  @ApiProperty({ format: 'uuid' }) meterId: string;
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ type: Number, nullable: true }) intervalMinutes: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null for bill-period meters' }) expected:
    number | null;
  @ApiProperty() present: number;
  @ApiProperty({ type: Number, nullable: true, description: 'present ÷ expected, 0–1' }) coverage:
    number | null;
  @ApiProperty({ type: () => ReadingGap, isArray: true }) gaps: ReadingGap[];
  @ApiProperty() gapCount: number;
  @ApiProperty({ type: () => ReadingFlatLine, isArray: true }) flatLines: ReadingFlatLine[];
  @ApiProperty({ type: () => ReadingSpike, isArray: true }) spikes: ReadingSpike[];
  @ApiProperty({ type: () => NegativeReadings }) negatives: NegativeReadings;
  @ApiProperty({ type: () => ReadingQualityCounts }) qualityCounts: ReadingQualityCounts;
}

import { BadInputError, countryDefaults } from '@halve/platform';
import type { CreateMeterDto, CreateSiteDto } from './dto/metering.dto';
import type { MeterEntity, SiteEntity } from './entities/metering.entities';
import type { Tariff } from './entities/tariff';
import { UnitConversionError, resolveConversion } from './units/units';

/** Pure: a tariff must carry what its type prices by. */
export function validateTariff(tariff: Tariff | undefined): void {
  if (!tariff) return;
  if (tariff.type === 'flat' && tariff.pricePerKwh === undefined) {
    throw new BadInputError('A flat tariff needs pricePerKwh.', [
      { field: 'tariff.pricePerKwh', message: 'is required for a flat tariff' },
    ]);
  }
  if (tariff.type === 'time_of_use' && !tariff.bands?.length) {
    throw new BadInputError('A time-of-use tariff needs at least one band.', [
      { field: 'tariff.bands', message: 'is required for a time-of-use tariff' },
    ]);
  }
}

/** Pure: a new meter needs its interval, a unit of its kind, and PV/wind fields only on a generation meter. */
export function validateNewMeter(dto: CreateMeterDto): void {
  if (dto.intervalMinutes === undefined) {
    throw new BadInputError(
      'intervalMinutes is required: 5, 15, 30, 60, 1440, or null for bill-period meters.',
      [{ field: 'intervalMinutes', message: 'is required' }],
    );
  }
  try {
    resolveConversion({ meterKind: dto.kind, meterUnit: dto.unit, intervalMinutes: dto.intervalMinutes });
  } catch (err) {
    if (err instanceof UnitConversionError)
      throw new BadInputError(`unit: ${err.message}`, [{ field: 'unit', message: err.message }]);
    throw err;
  }
  const generation = dto.kind === 'pv_generation' || dto.kind === 'wind_generation';
  if (
    !generation &&
    (dto.capacityKw !== undefined || dto.tiltDeg !== undefined || dto.azimuthDeg !== undefined)
  ) {
    throw new BadInputError('capacityKw, tiltDeg and azimuthDeg are for PV and wind generation meters.', [
      { field: 'capacityKw', message: 'only for generation meters' },
    ]);
  }
}

/** Pure: the row of a new site, defaults filled in (grid region from the country). */
export function newSiteFields(tenantId: string, id: string, dto: CreateSiteDto): Partial<SiteEntity> {
  return {
    tenantId,
    id,
    name: dto.name,
    country: dto.country.toUpperCase(),
    timezone: dto.timezone,
    address: dto.address ?? null,
    latitude: dto.latitude ?? null,
    longitude: dto.longitude ?? null,
    floorAreaM2: dto.floorAreaM2 ?? null,
    gridRegion: dto.gridRegion ?? countryDefaults(dto.country).gridRegion,
    tariff: (dto.tariff as Tariff | undefined) ?? null,
    weatherTimestamps: dto.weatherTimestamps ?? 'start',
  };
}

/** Pure: the row of a new meter (validated by validateNewMeter). */
export function newMeterFields(tenantId: string, id: string, dto: CreateMeterDto): Partial<MeterEntity> {
  return {
    tenantId,
    id,
    siteId: dto.siteId,
    name: dto.name,
    kind: dto.kind,
    unit: dto.unit,
    intervalMinutes: dto.intervalMinutes,
    register: dto.register ?? 'interval',
    capacityKw: dto.capacityKw ?? null,
    tiltDeg: dto.tiltDeg ?? null,
    azimuthDeg: dto.azimuthDeg ?? null,
    gasCalorificValueKwhPerM3: dto.gasCalorificValueKwhPerM3 ?? null,
    sourceColumn: dto.sourceColumn ?? null,
  };
}

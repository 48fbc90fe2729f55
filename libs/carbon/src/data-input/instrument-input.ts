import { BadInputError, ConflictError } from '@halve/platform';
import type { CreateInstrumentDto } from '../dto/carbon.dto';
import { InstrumentEntity } from '../entities/carbon.entities';
import { toDecimal } from '../factors/decimal';
import { normaliseRegion } from '../factors/regions';
import type { InventoryWarning } from '../inventory/inventory-view.types';

/**
 * The rules of recording a contractual instrument (pure): vintage and serials checked, the row to
 * store, the answer to serials already claimed, and the warning for an unretired certificate.
 */

export const CERTIFICATE_TYPES = new Set(['REC', 'GO', 'REGO', 'I-REC']);

/** Checks what needs nothing loaded; the certificate serials, trimmed. */
export function checkInstrumentInput(dto: CreateInstrumentDto): string[] {
  if (dto.vintageTo <= dto.vintageFrom) {
    throw new BadInputError(
      `vintageTo (${dto.vintageTo}, exclusive) must be after vintageFrom (${dto.vintageFrom}).`,
      [{ field: 'vintageTo', message: 'must be after vintageFrom' }],
    );
  }
  const serials = (dto.certificateIds ?? []).map((s) => s.trim());
  if (CERTIFICATE_TYPES.has(dto.type) && !serials.length) {
    throw new BadInputError(
      `A ${dto.type} must list its certificate ids (serials) so it can be tracked and checked for double claims.`,
      [{ field: 'certificateIds', message: 'required for certificates' }],
    );
  }
  return serials;
}

/** The row to store: exact decimals as strings, the scheme defaulting to the type. */
export function instrumentRow(
  tenantId: string,
  id: string,
  dto: CreateInstrumentDto,
  serials: string[],
  createdBy: string | null,
): InstrumentEntity {
  return Object.assign(new InstrumentEntity(), {
    tenantId,
    id,
    type: dto.type,
    scheme: dto.scheme ?? dto.type,
    volumeMwh: toDecimal(dto.volumeMwh).toFixed(),
    kgCo2ePerKwh: toDecimal(dto.kgCo2ePerKwh ?? 0).toFixed(),
    technology: dto.technology ?? null,
    vintageFrom: dto.vintageFrom,
    vintageTo: dto.vintageTo,
    region: normaliseRegion(dto.region),
    certificateIds: serials,
    retired: dto.retired,
    siteId: dto.siteId ?? null,
    evidence: dto.evidence ?? null,
    createdBy,
  });
}

/** A certificate can be claimed once: the conflict naming the serials another instrument holds. */
export function serialsAlreadyClaimed(
  taken: { serial: string; sameTenant: boolean }[],
  scheme: string,
): ConflictError {
  const other = taken.filter((t) => !t.sameTenant).map((t) => t.serial);
  const own = taken.filter((t) => t.sameTenant).map((t) => t.serial);
  const parts = [];
  if (other.length)
    parts.push(
      `certificate serial${other.length > 1 ? 's' : ''} ${other.join(', ')} (${scheme}) ${other.length > 1 ? 'are' : 'is'} already claimed by another organisation`,
    );
  if (own.length)
    parts.push(
      `certificate serial${own.length > 1 ? 's' : ''} ${own.join(', ')} (${scheme}) ${own.length > 1 ? 'are' : 'is'} already claimed by another instrument of this organisation`,
    );
  return new ConflictError(
    `Not recorded: ${parts.join('; ')}. A certificate can be claimed once.`,
    'certificate_already_claimed',
    { serials: taken.map((t) => t.serial), scheme },
  );
}

/** An unretired certificate is recorded but not applied market-based: said so. */
export function instrumentWarnings(dto: CreateInstrumentDto, id: string): InventoryWarning[] {
  if (dto.retired || !CERTIFICATE_TYPES.has(dto.type)) return [];
  return [
    {
      code: 'INSTRUMENT_NOT_RETIRED',
      instrumentId: id,
      message: `${dto.type} ${id} is not retired: it will not be applied to market-based Scope 2 until it is retired for this organisation`,
    },
  ];
}

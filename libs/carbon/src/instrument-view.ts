import type { InstrumentEntity } from './entities/carbon.entities';

/** What an instrument is and what it covers: the part a claim's rules read and a snapshot locks. */
export type InstrumentDetailFields =
  | 'id'
  | 'type'
  | 'scheme'
  | 'volumeMwh'
  | 'kgCo2ePerKwh'
  | 'technology'
  | 'vintageFrom'
  | 'vintageTo'
  | 'region'
  | 'certificateIds'
  | 'retired';

/** An instrument's detail (from the entity or its API view), fields in the API's order. */
export function instrumentDetail(
  i: Pick<InstrumentEntity, InstrumentDetailFields>,
): Pick<InstrumentEntity, InstrumentDetailFields> {
  return {
    id: i.id,
    type: i.type,
    scheme: i.scheme,
    volumeMwh: i.volumeMwh,
    kgCo2ePerKwh: i.kgCo2ePerKwh,
    technology: i.technology,
    vintageFrom: i.vintageFrom,
    vintageTo: i.vintageTo,
    region: i.region,
    certificateIds: i.certificateIds,
    retired: i.retired,
  };
}

/** An instrument as the API answers it: its detail, then where it applies, its evidence and when it was entered. */
export function instrumentView(i: InstrumentEntity) {
  return { ...instrumentDetail(i), siteId: i.siteId, evidence: i.evidence, createdAt: i.createdAt };
}

// The evidence snapshot a submission locks (claim-submission.ts, schema 'halve.claim-snapshot/1'), as
// the certification body reads it. It is stored as jsonb and typed Record<string, unknown> in the
// entity, so tsc cannot check it against these classes: they follow submissionSnapshot() and
// inventorySummary() (claim-evaluator.service.ts), and the rule-specific parts stay open objects.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CarbonWarningView,
  FactorRefView,
  GHG_SCOPES,
  InstrumentAllocationView,
  IntensityDenominatorsView,
  InventoryPeriodView,
  InventorySiteRef,
  OnSiteGenerationView,
} from '@halve/carbon';
import { CLAIM_TYPES, EVIDENCE_KINDS } from '../entities/certification.entities';

const date = { type: String, format: 'date' } as const;
const openObject = { type: 'object', additionalProperties: true } as const;
const openList = { type: 'array', items: openObject, nullable: true } as const;

export class SnapshotClaimView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: [...CLAIM_TYPES], enumName: 'ClaimType' }) type: string;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ format: 'uuid' }) certificationBodyId: string;
  @ApiProperty({ description: 'the body’s name' }) certificationBody: string;
  @ApiProperty(openObject) inputs: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) statement: string | null;
}

export class SnapshotOrganizationRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class SnapshotInventoryLine {
  @ApiProperty({ type: String, nullable: true }) lineId: string | null;
  @ApiProperty({ enum: GHG_SCOPES, enumName: 'GhgScope', nullable: true }) scope: number | null;
  @ApiProperty({ enum: ['location', 'market'], nullable: true }) method: string | null;
  @ApiProperty() category: string;
  @ApiProperty() source: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty({ type: String, nullable: true }) meterId: string | null;
  @ApiProperty({ type: String, nullable: true }) month: string | null;
  @ApiProperty() quantity: number;
  @ApiProperty() unit: string;
  @ApiProperty({ type: String, nullable: true }) factorId: string | null;
  @ApiProperty({ type: Number, nullable: true }) kgCo2e: number | null;
  @ApiProperty({ type: Number, nullable: true }) dataQuality: number | null;
  @ApiProperty({ type: String, nullable: true }) flag: string | null;
}

/** The inventory of the claim's period (or base year) as the snapshot keeps it. */
export class SnapshotInventorySummary {
  @ApiProperty({ type: () => InventoryPeriodView }) period: InventoryPeriodView;
  @ApiProperty() factorLibraryVersion: string;
  @ApiProperty() dataHash: string;
  @ApiProperty() scope1KgCo2e: number;
  @ApiProperty() scope2LocationKgCo2e: number;
  @ApiProperty() scope2MarketKgCo2e: number;
  @ApiProperty() scope3KgCo2e: number;
  @ApiProperty() totalLocationKgCo2e: number;
  @ApiProperty() totalMarketKgCo2e: number;
  @ApiProperty() purchasedElectricityKwh: number;
  @ApiProperty() exportedElectricityKwh: number;
  @ApiProperty({ type: () => OnSiteGenerationView, isArray: true }) onSiteGeneration: OnSiteGenerationView[];
  @ApiProperty({ type: () => InstrumentAllocationView, isArray: true })
  instruments: InstrumentAllocationView[];
  @ApiProperty({ type: () => IntensityDenominatorsView }) denominators: IntensityDenominatorsView;
  @ApiProperty({ type: () => InventorySiteRef, isArray: true }) sites: InventorySiteRef[];
  @ApiProperty({ type: () => FactorRefView, isArray: true }) factorsUsed: FactorRefView[];
  @ApiProperty({ type: () => SnapshotInventoryLine, isArray: true }) lines: SnapshotInventoryLine[];
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
}

export class SnapshotBasePeriod {
  @ApiProperty(date) from: string;
  @ApiProperty(date) to: string;
  @ApiProperty() year: number;
}

/** An instrument's detail as the claim's rules read it (decimals are exact strings). */
export class SnapshotInstrument {
  @ApiProperty() id: string;
  @ApiProperty() type: string;
  @ApiProperty() scheme: string;
  @ApiProperty() volumeMwh: string;
  @ApiProperty() kgCo2ePerKwh: string;
  @ApiPropertyOptional({ type: String, nullable: true }) technology?: string | null;
  @ApiProperty(date) vintageFrom: string;
  @ApiProperty(date) vintageTo: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: String, isArray: true }) certificateIds: string[];
  @ApiProperty() retired: boolean;
}

/** A meter's data fingerprint: SHA-256 over its hourly rollups in the period, with their count and sum. */
export class SnapshotMeterData {
  @ApiProperty({ format: 'uuid' }) meterId: string;
  @ApiProperty() kind: string;
  @ApiProperty() unit: string;
  @ApiProperty() hours: number;
  @ApiProperty() totalValue: number;
  @ApiProperty() sha256: string;
}

export class SnapshotDocument {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: [...EVIDENCE_KINDS], enumName: 'EvidenceKind' }) kind: string;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
}

/** The evidence snapshot locked at submission; its canonical JSON's SHA-256 is the claim's evidenceSha256. */
export class ClaimSnapshotView {
  @ApiProperty({ example: 'halve.claim-snapshot/1' }) schema: string;
  @ApiProperty({ type: () => SnapshotClaimView }) claim: SnapshotClaimView;
  @ApiProperty({ type: () => SnapshotOrganizationRef }) organization: SnapshotOrganizationRef;
  @ApiProperty({ description: 'which submission (1, 2…)' }) submission: number;
  @ApiProperty({ type: String, format: 'date-time' }) submittedAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) submittedBy: string | null;
  @ApiProperty({ type: () => SnapshotInventorySummary }) inventory: SnapshotInventorySummary;
  @ApiPropertyOptional({ type: () => SnapshotBasePeriod, nullable: true })
  basePeriod?: SnapshotBasePeriod | null;
  @ApiPropertyOptional({ type: () => SnapshotInventorySummary, nullable: true })
  baseInventory?: SnapshotInventorySummary | null;
  @ApiProperty({ type: () => SnapshotInstrument, isArray: true }) instruments: SnapshotInstrument[];
  @ApiProperty({ type: () => SnapshotMeterData, isArray: true }) meterData: SnapshotMeterData[];
  @ApiPropertyOptional({ ...openList, description: 'verified_savings: the M&V reports of Halve’s measures' })
  mvReports?: Record<string, unknown>[] | null;
  @ApiPropertyOptional({ ...openList, description: 'verified_savings: the savings entered' })
  verifiedSavings?: Record<string, unknown>[] | null;
  @ApiPropertyOptional({ ...openList, description: 'carbon_neutral: the offset credits' })
  offsets?: Record<string, unknown>[] | null;
  @ApiProperty({ type: () => SnapshotDocument, isArray: true }) documents: SnapshotDocument[];
  @ApiProperty(openObject) figures: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: openObject, description: 'the automatic checklist at submission' })
  checklist: Record<string, unknown>[];
}

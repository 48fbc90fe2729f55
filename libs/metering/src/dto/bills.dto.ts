/**
 * Utility bills (issue 18): the request body of one bill, and the response schemas of the bill routes
 * (BillsController). Period dates are local calendar dates of the meter's site, both included.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { BILL_COMMODITIES, type BillCommodity } from '../bill-meter';
import type { BillSource } from '../entities/utility-bill.entity';
import type { MeterKind } from '../units/units';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = { message: '$property must be a date such as 2025-01-15' };

export class CreateBillDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'an electricity import or natural gas meter; without it, commodity says which, and the site’s bill-period meter of that commodity is used (made when there is none)',
  })
  @IsOptional()
  @IsUUID()
  meterId?: string;
  @ApiPropertyOptional({
    enum: BILL_COMMODITIES,
    description: 'required without meterId: electricity or gas',
  })
  @ValidateIf((o: CreateBillDto) => !o.meterId)
  @IsIn(BILL_COMMODITIES, { message: 'commodity must be electricity or gas when the bill names no meterId' })
  commodity?: BillCommodity;
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'without meterId: the site of the bill; else the site at supplyAddress (made when none has it), else the only site (a "Main site" is made when there is none)',
  })
  @IsOptional()
  @IsUUID()
  siteId?: string;
  @ApiPropertyOptional({
    example: '12 High Street, Leeds LS1 4AB',
    description: 'without meterId: the supply address',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  supplyAddress?: string;
  @ApiPropertyOptional({ example: 'Octopus Energy' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  supplier?: string;
  @ApiPropertyOptional({ example: 'A-1234567' }) @IsOptional() @IsString() @MaxLength(100) account?: string;
  @ApiProperty({ example: '2025-01-15', description: 'first day of the billing period' })
  @Matches(ISO_DATE, DATE_MESSAGE)
  periodFrom: string;
  @ApiProperty({ example: '2025-02-14', description: 'last day of the billing period, inclusive' })
  @Matches(ISO_DATE, DATE_MESSAGE)
  periodTo: string;
  @ApiProperty({ example: 3100 }) @IsNumber() @Min(0) quantity: number;
  @ApiProperty({ example: 'kWh', description: 'kWh or MWh (electricity); kWh, MWh, therm or m3 (gas)' })
  @IsString()
  @MaxLength(20)
  unit: string;
  @ApiPropertyOptional({ example: 812.4 }) @IsOptional() @IsNumber() @Min(0) cost?: number;
  @ApiPropertyOptional({ example: 'GBP' }) @IsOptional() @IsString() @Length(3, 3) currency?: string;
  @ApiPropertyOptional({ example: 'Green Fixed 12M' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  tariffName?: string;
  @ApiPropertyOptional({ description: 'renewable-tariff certificate (REGO, GO or REC reference)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  renewableCertificate?: string;
}

export class BillMonthShareView {
  @ApiProperty({ example: '2025-01' }) month: string;
  @ApiProperty({ example: '2025-01-15' }) from: string;
  @ApiProperty({ example: '2025-01-31', description: 'inclusive' }) to: string;
  @ApiProperty() days: number;
  @ApiProperty({ description: "the month's share in the meter's unit: quantity × days ÷ period days" })
  quantity: number;
}

export class BillReconciliationView {
  @ApiProperty({ description: "sum of the meter's interval readings over the period, meter unit" })
  intervalQuantity: number;
  @ApiProperty({ description: 'number of interval readings in the period' }) readings: number;
  @ApiProperty({ type: Number, nullable: true, description: '(bill − interval) ÷ interval × 100' })
  differencePercent: number | null;
  @ApiProperty({ description: 'true when |difference| > 2 %' }) flagged: boolean;
}

export class UtilityBillView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) meterId: string;
  @ApiProperty({
    description: 'the meter’s name (a bill without meter: "Electricity (billed)" or "Gas (billed)")',
  })
  meterName: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ enum: ['electricity_import', 'natural_gas'] }) meterKind: MeterKind;
  @ApiProperty({ type: String, nullable: true }) supplier: string | null;
  @ApiProperty({ type: String, nullable: true }) account: string | null;
  @ApiProperty({ example: '2025-01-15' }) periodFrom: string;
  @ApiProperty({ example: '2025-02-14', description: 'inclusive' }) periodTo: string;
  @ApiProperty() days: number;
  @ApiProperty({ description: 'as billed' }) quantity: number;
  @ApiProperty({ example: 'kWh' }) unit: string;
  @ApiProperty({ description: "the quantity in the meter's unit" }) meterQuantity: number;
  @ApiProperty({ example: 'kWh' }) meterUnit: string;
  @ApiProperty({ description: 'the quantity in kWh (gas: at the meter calorific value)' }) kwh: number;
  @ApiProperty({ type: Number, nullable: true }) cost: number | null;
  @ApiProperty({ type: String, nullable: true }) currency: string | null;
  @ApiProperty({ type: String, nullable: true }) tariffName: string | null;
  @ApiProperty({ type: String, nullable: true }) renewableCertificate: string | null;
  @ApiProperty({ enum: ['manual', 'file', 'green_button'], enumName: 'BillSource' }) source: BillSource;
  @ApiProperty({
    description:
      'true: the meter has no interval data and the bill is its readings (counted in the inventory); false: the meter has interval data, which the inventory counts, and the bill is reconciled against it',
  })
  countedAsReadings: boolean;
  @ApiProperty({ type: () => BillMonthShareView, isArray: true, description: 'the period split by days' })
  months: BillMonthShareView[];
  @ApiProperty({ type: () => BillReconciliationView, nullable: true, description: 'interval meters only' })
  reconciliation: BillReconciliationView | null;
  @ApiProperty() createdAt: Date;
}

export class BillFileResult {
  @ApiProperty() created: number;
  @ApiProperty({ type: () => UtilityBillView, isArray: true }) bills: UtilityBillView[];
}

/** Response schema of GET /orgs/:orgId/sites/:siteId/forecast (SiteForecastService). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SiteNetLoadPoint {
  @ApiProperty({ description: 'start of the hour (UTC)' }) ts: Date;
  @ApiProperty({ description: 'net load P10, kWh in the hour' }) p10: number;
  @ApiProperty({ description: 'net load P50, kWh in the hour (negative: generation above the load)' })
  p50: number;
  @ApiProperty({ description: 'net load P90, kWh in the hour' }) p90: number;
  @ApiProperty({ description: 'P50 of the electricity import meters, kWh' }) loadKwh: number;
  @ApiProperty({ description: 'P50 of the PV meters, kWh' }) pvKwh: number;
  @ApiProperty({ description: 'P50 of the wind meters, kWh' }) windKwh: number;
}

/** A meter of the site: in the net load (its forecast's method and why), or left out (why). */
export class SiteForecastComponent {
  @ApiProperty({ format: 'uuid' }) meterId: string;
  @ApiProperty() meterName: string;
  @ApiProperty() kind: string;
  @ApiProperty({ enum: ['load', 'pv', 'wind'], nullable: true, description: 'null: left out' }) role:
    'load' | 'pv' | 'wind' | null;
  @ApiProperty() included: boolean;
  @ApiPropertyOptional({ enum: ['model', 'generic', 'baseline'] }) method?: 'model' | 'generic' | 'baseline';
  @ApiPropertyOptional() modelVersion?: number;
  @ApiPropertyOptional({ description: 'method baseline: which one' }) baseline?: string;
  @ApiProperty({ description: 'why this method answered, or why the meter is left out' }) reason: string;
  @ApiPropertyOptional({ description: 'P50 over the window, kWh (included meters)' }) totalKwh?: number;
}

/** GET …/sites/:siteId/forecast: the site's hourly net load with P10–P90 bands and its parts. */
export class SiteForecast {
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ example: 'kWh' }) unit: string;
  @ApiProperty({ type: String, format: 'date-time' }) from: Date;
  @ApiProperty({ type: String, format: 'date-time' }) to: Date;
  @ApiProperty({
    description:
      'how the parts were added: P50 = Σ P50; bands by adding variances of independent meters (see README)',
  })
  method: string;
  @ApiProperty({ description: 'hours of [from, to) left out because a meter’s forecast does not cover them' })
  incompleteHours: number;
  @ApiProperty({ type: () => SiteForecastComponent, isArray: true }) components: SiteForecastComponent[];
  @ApiProperty({ type: () => SiteNetLoadPoint, isArray: true }) points: SiteNetLoadPoint[];
}

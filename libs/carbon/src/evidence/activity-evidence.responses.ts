import { ApiProperty } from '@nestjs/swagger';

/** An invoice or receipt of an activity (its content is downloaded separately). */
export class ActivityEvidenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) activityId: string;
  @ApiProperty() filename: string;
  @ApiProperty({ enum: ['application/pdf', 'image/png', 'image/jpeg'] }) contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ description: 'SHA-256 of the content, hex' }) sha256: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) uploadedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access } from '@halve/platform';
import { AVOIDANCE_ONLY, OFFSET_REGISTRIES, PROJECT_TYPES, type ProjectType } from './iso14068-offsets';

export class OffsetRegistryOption {
  @ApiProperty({ example: 'verra' }) id: string;
  @ApiProperty({ example: 'Verra (Verified Carbon Standard registry)' }) label: string;
}

export class OffsetProjectTypeOption {
  @ApiProperty({ example: 'afforestation_reforestation' }) id: string;
  @ApiProperty({ description: 'the type cannot issue removal credits (ISO 14068-1 removal/avoidance split)' })
  avoidanceOnly: boolean;
}

export class Iso14068Vocabulary {
  @ApiProperty({ type: () => OffsetRegistryOption, isArray: true }) registries: OffsetRegistryOption[];
  @ApiProperty({ type: () => OffsetProjectTypeOption, isArray: true })
  projectTypes: OffsetProjectTypeOption[];
}

/** The lists a carbon-neutral claim's offsets are chosen from, so the portal keeps no copy of them. */
export function iso14068Vocabulary(): Iso14068Vocabulary {
  return {
    registries: Object.entries(OFFSET_REGISTRIES).map(([id, label]) => ({ id, label })),
    projectTypes: PROJECT_TYPES.map((id: ProjectType) => ({
      id,
      avoidanceOnly: AVOIDANCE_ONLY.includes(id),
    })),
  };
}

@ApiTags('certification')
@Controller('iso14068')
export class Iso14068VocabularyController {
  @Get('vocabulary')
  @Access.user()
  @ApiOperation({ summary: 'Registries and project types an ISO 14068-1 offset batch may name' })
  @ApiOkResponse({ type: Iso14068Vocabulary })
  vocabulary(): Iso14068Vocabulary {
    return iso14068Vocabulary();
  }
}

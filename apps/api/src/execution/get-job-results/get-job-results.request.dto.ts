import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export const RESULT_FORMATS = ['summary', 'detailed', 'download'] as const;
export const OUTPUT_TYPES = ['reports', 'data', 'models', 'visualizations'] as const;

export class GetJobResultsRequestDto {
  @ApiPropertyOptional({ enum: RESULT_FORMATS, default: 'summary', description: 'detailed adds every computed figure inline; download streams the primary output' })
  @IsOptional() @IsIn(RESULT_FORMATS as unknown as string[], { message: `format must be one of: ${RESULT_FORMATS.join(', ')}` })
  format?: (typeof RESULT_FORMATS)[number];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeArtifacts must be true or false' })
  includeArtifacts?: boolean;

  @ApiPropertyOptional({ enum: OUTPUT_TYPES })
  @IsOptional() @IsIn(OUTPUT_TYPES as unknown as string[], { message: `outputType must be one of: ${OUTPUT_TYPES.join(', ')}` })
  outputType?: (typeof OUTPUT_TYPES)[number];
}

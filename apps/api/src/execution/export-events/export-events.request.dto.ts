import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsApiDate } from '../../http/api-dates.js';

export const EXPORT_FORMATS = ['ocel', 'xes'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportEventsRequestDto {
  @ApiProperty({ enum: EXPORT_FORMATS, description: 'ocel: OCEL 2.0 JSON (object-centric); xes: XES, one trace per job' })
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format!: ExportFormat;

  @ApiPropertyOptional({ description: 'Only events recorded at or after this time (ISO 8601; a date alone = its start)' })
  @IsOptional() @IsApiDate('from')
  from?: string;

  @ApiPropertyOptional({ description: 'Only events recorded at or before this time (ISO 8601; a date alone = its end)' })
  @IsOptional() @IsApiDate('to')
  to?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CountedIssueDto } from '../execution/shared/job-views.dto.js';

/** Column names and a display name; as query parameters or multipart fields. */
export class UploadDatasetRequestDto {
  @ApiPropertyOptional({ description: 'Display name (default: the file name)' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Case id column (default: auto-detected, e.g. case:concept:name, case_id)' })
  @IsOptional() @IsString() @MaxLength(200)
  caseColumn?: string;

  @ApiPropertyOptional({ description: 'Activity column (default: auto-detected, e.g. concept:name, activity)' })
  @IsOptional() @IsString() @MaxLength(200)
  activityColumn?: string;

  @ApiPropertyOptional({ description: 'Timestamp column (default: auto-detected, e.g. time:timestamp, timestamp)' })
  @IsOptional() @IsString() @MaxLength(200)
  timestampColumn?: string;

  @ApiPropertyOptional({ description: 'Resource column (default: auto-detected, e.g. org:resource)' })
  @IsOptional() @IsString() @MaxLength(200)
  resourceColumn?: string;

  @ApiPropertyOptional({ description: 'Start timestamp column (default: auto-detected, e.g. start_timestamp)' })
  @IsOptional() @IsString() @MaxLength(200)
  startTimestampColumn?: string;

  @ApiPropertyOptional({ description: 'Lifecycle transition column (start, complete, ...; default: auto-detected, e.g. lifecycle:transition, lifecycle)' })
  @IsOptional() @IsString() @MaxLength(200)
  lifecycleColumn?: string;
}

export class DatasetDto {
  @ApiProperty({ format: 'uuid' }) datasetId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['csv', 'csv.gz', 'xes', 'xes.gz'] }) format!: string;
  @ApiProperty({ example: '1.2 MB' }) size!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'Source records (CSV rows or XES events)' }) rowCount!: number;
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) columnMapping!: Record<string, string>;
  @ApiProperty() cases!: number;
  @ApiProperty() events!: number;
  @ApiProperty() activities!: number;
  @ApiProperty() dataQualityScore!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) dataValidation!: Record<string, number>;
  @ApiProperty({ type: [CountedIssueDto] }) warnings!: CountedIssueDto[];
  @ApiProperty({ type: String, nullable: true }) sourceJobId!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PROCESS_MODEL_FORMATS } from '../../../../libs/mining/src/models/import-process-model.js';

/** A display name and the format; as query parameters or multipart fields. */
export class UploadProcessModelRequestDto {
  @ApiPropertyOptional({ description: 'Display name (default: the file name)' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: PROCESS_MODEL_FORMATS, description: 'Default: from the file name (.pnml, .bpmn), else from the root element (<pnml>, <definitions>)' })
  @IsOptional() @IsIn(PROCESS_MODEL_FORMATS)
  format?: (typeof PROCESS_MODEL_FORMATS)[number];
}

export class ProcessModelDto {
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PROCESS_MODEL_FORMATS }) format!: string;
  @ApiProperty({ description: 'Places of the Petri net (for BPMN: of the net it was translated into)' }) places!: number;
  @ApiProperty() transitions!: number;
  @ApiProperty({ type: [String], description: 'Labels of the visible transitions, sorted' }) activities!: string[];
  @ApiProperty() silentTransitions!: number;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
}

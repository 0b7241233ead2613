import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  CATCH_UP_POLICIES, MAX_INTERVAL_SECONDS, OVERLAP_POLICIES, type CatchUpPolicy, type OverlapPolicy,
} from '../../../../../libs/schedules/src/index.js';
import { SubmitJobRequestDto } from '../../execution/submit-job/submit-job.request.dto.js';

/** The fields of a schedule; POST requires name and jobTemplate, PATCH takes any of them. */
export class ScheduleFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: '0 6 * * 1-5', description: 'Cron expression, 5 fields (minute first) or 6 (seconds first); exclusive with intervalSeconds' })
  @IsOptional() @IsString() @MaxLength(200)
  cron?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_INTERVAL_SECONDS, description: 'Fires every this many seconds; exclusive with cron' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INTERVAL_SECONDS)
  intervalSeconds?: number | null;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Berlin', description: 'IANA zone the cron expression is read in' })
  @IsOptional() @IsString() @MaxLength(100)
  timeZone?: string;

  @ApiPropertyOptional({ enum: OVERLAP_POLICIES, default: 'skip', description: 'When the previous firing\'s job is still Queued or Running' })
  @IsOptional() @IsIn(OVERLAP_POLICIES as unknown as string[], { message: `overlapPolicy must be one of: ${OVERLAP_POLICIES.join(', ')}` })
  overlapPolicy?: OverlapPolicy;

  @ApiPropertyOptional({ enum: CATCH_UP_POLICIES, default: 'none', description: 'What fire times missed while no firer ran become' })
  @IsOptional() @IsIn(CATCH_UP_POLICIES as unknown as string[], { message: `catchUp must be one of: ${CATCH_UP_POLICIES.join(', ')}` })
  catchUp?: CatchUpPolicy;
}

export class CreateScheduleRequestDto extends ScheduleFieldsDto {
  @ApiProperty({ example: 'Nightly analysis' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @ApiProperty({ type: SubmitJobRequestDto, description: 'Submitted at each firing, as POST /job takes it' })
  @IsObject() @ValidateNested() @Type(() => SubmitJobRequestDto)
  jobTemplate!: SubmitJobRequestDto;
}

export class ChangeScheduleRequestDto extends ScheduleFieldsDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: SubmitJobRequestDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SubmitJobRequestDto)
  jobTemplate?: SubmitJobRequestDto;

  @ApiPropertyOptional({ description: 'true pauses the schedule, false resumes it (missed fire times of the pause are not owed)' })
  @IsOptional() @IsBoolean()
  paused?: boolean;
}

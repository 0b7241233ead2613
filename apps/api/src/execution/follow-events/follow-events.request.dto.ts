import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { FEED_EVENT_TYPES } from '../../../../../libs/event-feed/src/index.js';
import { JOB_TYPES, type JobType } from '../../../../../libs/job-domain/src/index.js';

/** The text form of a global position the API shows (`commit/prepare`, as the job history's `position`). */
export const POSITION_PATTERN = /^(0|[1-9]\d{0,18})\/(0|[1-9]\d{0,18})$/;
export const DEFAULT_EXPORT_LIMIT = 1000;
export const MAX_EXPORT_LIMIT = 10_000;

const EVENT_TYPE_LIST = new RegExp(`^(${FEED_EVENT_TYPES.join('|')})(,(${FEED_EVENT_TYPES.join('|')}))*$`);

export class FollowJobEventsRequestDto {
  @ApiPropertyOptional({ example: '7431/12', description: 'Start after this position (exclusive); `Last-Event-ID` wins over it. Default: the beginning' })
  @IsOptional() @Matches(POSITION_PATTERN, { message: 'from must be a position as the API shows it: <commit>/<prepare>, e.g. 7431/12' })
  from?: string;

  @ApiPropertyOptional({ description: `NDJSON only: events in the page (default ${DEFAULT_EXPORT_LIMIT}, at most ${MAX_EXPORT_LIMIT})` })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' }) @Max(MAX_EXPORT_LIMIT, { message: `limit must be at most ${MAX_EXPORT_LIMIT}` })
  limit?: number;

  @ApiPropertyOptional({ example: 'JobStarted,JobCompleted', description: 'Only these event types (comma-separated)' })
  @IsOptional() @Matches(EVENT_TYPE_LIST, { message: `eventType must be a comma-separated list of: ${FEED_EVENT_TYPES.join(', ')}` })
  eventType?: string;
}

export class FollowProjectEventsRequestDto extends FollowJobEventsRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this job\'s events' })
  @IsOptional() @IsUUID('all', { message: 'jobId must be a UUID' })
  jobId?: string;

  @ApiPropertyOptional({ enum: JOB_TYPES, description: 'Only events of jobs of this type' })
  @IsOptional() @IsIn(JOB_TYPES, { message: `jobType must be one of ${JOB_TYPES.join(', ')}` })
  jobType?: JobType;
}

import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { JobPointInTime } from '../../../../../libs/job-domain/src/index.js';
import { IsApiDate, parseApiDate } from '../../http/api-dates.js';

/** `asOfRevision` or `asOf`: the point of a job's stream to show it at (time travel). */
export class PointInTimeRequestDto {
  @ApiPropertyOptional({ description: 'The job as it was after this revision of its stream (0 = just submitted)' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'asOfRevision must be an integer' }) @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  asOfRevision?: number;

  @ApiPropertyOptional({
    description: 'The job as it was at this time: after the last event recorded at or before it (ISO 8601; no zone = UTC; a date alone = the end of that day)',
    example: '2026-03-01T12:00:00Z',
  })
  @IsOptional() @IsApiDate('asOf')
  asOf?: string;
}

/** The point asked for, null for none; both at once is a 400 (they could name different points). */
export function pointInTimeOf(query: PointInTimeRequestDto): JobPointInTime | null {
  if (query.asOf !== undefined && query.asOfRevision !== undefined) {
    throw new BadRequestException({
      message: 'Validation failed',
      errors: [{ field: 'asOf', message: 'asOf and asOfRevision cannot be combined: give one point in time (a time or a revision)' }],
    });
  }
  if (query.asOfRevision !== undefined) return { revision: query.asOfRevision };
  if (query.asOf !== undefined) return { time: parseApiDate(query.asOf, 'end of day') };
  return null;
}

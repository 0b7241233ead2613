import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { QUEUE_STATUSES, type QueueStatus } from '../../../../../libs/job-domain/src/index.js';

export class ChangeQueueStatusRequestDto {
  @ApiProperty({ enum: QUEUE_STATUSES, example: 'Paused', description: 'Paused: no job of the project starts until Active again' })
  @IsIn(QUEUE_STATUSES as unknown as string[], { message: `queueStatus must be one of: ${QUEUE_STATUSES.join(', ')}` })
  queueStatus!: QueueStatus;

  @ApiPropertyOptional({ example: 'Source system maintenance' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class GetJobHistoryRequestDto {
  @ApiPropertyOptional({ description: 'Also return the job as it was after this revision (0 = just submitted)' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'asOfRevision must be an integer' }) @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  asOfRevision?: number;
}

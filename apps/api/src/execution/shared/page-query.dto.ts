/** The paging query of every listing endpoint (job list, queue view): one definition of its bounds. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Keeps the row offset far inside the store's 64-bit range. */
export const MAX_PAGE = 1_000_000;

export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'page must be an integer' }) @Min(1) @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'pageSize must be an integer' }) @Min(1) @Max(100)
  pageSize?: number;
}

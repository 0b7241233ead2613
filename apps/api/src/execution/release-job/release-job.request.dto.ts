import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ReleaseJobRequestDto {
  @ApiPropertyOptional({ example: 'Export corrected' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

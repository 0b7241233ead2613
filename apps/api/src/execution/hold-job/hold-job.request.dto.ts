import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class HoldJobRequestDto {
  @ApiPropertyOptional({ example: 'Waiting for the corrected export' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

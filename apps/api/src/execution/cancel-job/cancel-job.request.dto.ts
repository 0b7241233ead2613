import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class CancelJobRequestDto {
  @ApiPropertyOptional({ example: 'User requested cancellation' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ default: false, description: 'Kill the running process at once instead of asking it to stop' })
  @IsOptional() @IsBoolean()
  forceTermination?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Keep artifacts written before the stop' })
  @IsOptional() @IsBoolean()
  preservePartialResults?: boolean;
}

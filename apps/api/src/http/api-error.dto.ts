import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'priority' }) field!: string;
  @ApiProperty({ example: 'priority must be one of: Low, Normal, High, Critical' }) message!: string;
}

export class ApiErrorDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'Validation failed' }) message!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each bad field',
  401: 'Missing, invalid or expired Bearer token',
  403: 'The token lacks the role for this action',
  404: 'Not found (or not visible to this token)',
  409: 'The job is in a state that does not allow this',
  413: 'Upload too large',
};

export function ApiErrorResponses(...codes: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...codes.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ApiErrorDto })));
}

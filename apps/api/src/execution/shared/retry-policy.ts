/**
 * A submitter's own retry policy (`retryPolicy` of a job or an async operation): how often a
 * retryable failure is retried automatically and after which delays. Resolved once at submit
 * and stored in the job's submission, so every due time is computed from it.
 */
import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { RetryConfig } from '../../../../../libs/config/src/retry-config.js';
import type { JobRetryPolicy } from '../../../../../libs/job-domain/src/index.js';

export const DEFAULT_BACKOFF_MULTIPLIER = 2;

export class RetryPolicyDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 9, description: 'Automatic retries after the first attempt (default MAX_ATTEMPTS − 1, or scheduling.maxAttempts − 1)' })
  @IsOptional() @IsInt() @Min(0) @Max(9)
  maxRetries?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 86400, description: 'Seconds from a failure to the first retry (default RETRY_BASE_SECONDS)' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(86400)
  retryDelay?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: DEFAULT_BACKOFF_MULTIPLIER, description: 'Each further retry waits this many times longer (capped at a day)' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(10)
  backoffMultiplier?: number;
}

/**
 * The policy to store (null without `retryPolicy`) and the attempts it allows. A
 * `scheduling.maxAttempts` beside `retryPolicy.maxRetries` must say the same.
 */
export function resolvedRetryPolicy(
  requested: RetryPolicyDto | undefined, maxAttempts: number | undefined, defaults: RetryConfig,
): { retryPolicy: JobRetryPolicy | null; maxAttempts: number } {
  if (!requested) return { retryPolicy: null, maxAttempts: maxAttempts ?? defaults.defaultMaxAttempts };
  if (requested.maxRetries !== undefined && maxAttempts !== undefined && maxAttempts !== requested.maxRetries + 1) {
    throw new BadRequestException({
      message: 'Validation failed',
      errors: [{ field: 'retryPolicy.maxRetries', message: `must be scheduling.maxAttempts − 1 (${maxAttempts - 1}) when both are given` }],
    });
  }
  const maxRetries = requested.maxRetries ?? (maxAttempts ?? defaults.defaultMaxAttempts) - 1;
  return {
    retryPolicy: {
      maxRetries,
      retryDelay: requested.retryDelay ?? defaults.baseSeconds,
      backoffMultiplier: requested.backoffMultiplier ?? DEFAULT_BACKOFF_MULTIPLIER,
    },
    maxAttempts: maxRetries + 1,
  };
}

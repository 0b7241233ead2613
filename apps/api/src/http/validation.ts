/** The global ValidationPipe: a 400 whose `errors` name every bad field by its dotted path. */
import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from './api-error.filter.js';

export function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    // A query string may carry a parameter with an empty name (`?=x`).
    const property = error.property === '' ? '(empty name)' : error.property;
    const field = prefix ? `${prefix}.${property}` : property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field, message });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ message: 'Validation failed', errors: flattenValidationErrors(errors) }),
  });
}

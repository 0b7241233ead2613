/**
 * Dates the API reads are UTC whatever the server's zone: a date alone is that day (its
 * start, or its end when it closes a range); a date-time without a zone (Python's naive
 * `isoformat()`) is read as UTC, not as the server's local time.
 */
import { ValidateBy, isISO8601 } from 'class-validator';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

export function parseApiDate(value: string, dateOnlyMeans: 'start of day' | 'end of day' = 'start of day'): Date {
  if (DATE_ONLY.test(value)) return new Date(`${value}T${dateOnlyMeans === 'end of day' ? '23:59:59.999' : '00:00:00.000'}Z`);
  return new Date(HAS_ZONE.test(value) ? value : `${value}Z`);
}

/** A date the API can read: ISO 8601 that also names a real instant (`2024-W01` is ISO 8601 but not read here). */
export function IsApiDate(field: string): PropertyDecorator {
  return ValidateBy({
    name: 'isApiDate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isISO8601(value) && Number.isFinite(parseApiDate(value).getTime()),
      defaultMessage: () => `${field} must be an ISO 8601 date or date-time`,
    },
  });
}

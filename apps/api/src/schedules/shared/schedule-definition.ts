/** A schedule's definition from a request, checked as the firer will read it: a 400 naming each bad field. */
import { BadRequestException } from '@nestjs/common';
import {
  cronProblem, isIanaTimeZone, type ScheduleDefinition,
} from '../../../../../libs/schedules/src/index.js';
import type { FieldError } from '../../http/api-error.filter.js';

export function checkedDefinition(definition: ScheduleDefinition): ScheduleDefinition {
  const problems: FieldError[] = [];
  const hasCron = definition.cron !== null;
  const hasInterval = definition.intervalSeconds !== null;
  if (hasCron === hasInterval) {
    const message = 'exactly one of cron and intervalSeconds is required';
    problems.push({ field: hasCron ? 'intervalSeconds' : 'cron', message });
  }
  const zoneValid = isIanaTimeZone(definition.timeZone);
  if (!zoneValid) problems.push({ field: 'timeZone', message: `timeZone must be an IANA time zone such as Europe/Berlin or UTC (got "${definition.timeZone}")` });
  if (hasCron && zoneValid) {
    const problem = cronProblem(definition.cron!, definition.timeZone);
    if (problem) problems.push({ field: 'cron', message: problem });
  }
  if (problems.length > 0) throw new BadRequestException({ message: 'Validation failed', errors: problems });
  return definition;
}

/**
 * Who may queue at which priority: Critical (or whatever lies above MAX_OPERATOR_PRIORITY)
 * jumps every other tenant's work, so only admins may use it.
 */
import { ForbiddenException } from '@nestjs/common';
import { highestPriorityFor, type Principal } from '../../../../../libs/auth/src/token.js';
import { priorityRank, type JobPriority } from '../../../../../libs/job-domain/src/index.js';

/** 403 naming `priority` when the caller may not use `priority`. */
export function assertPriorityAllowed(principal: Principal, priority: JobPriority, operatorCap: JobPriority): void {
  const highest = highestPriorityFor(principal, operatorCap);
  if (priorityRank(priority) <= priorityRank(highest)) return;
  const message = `priority ${priority} requires the admin role; the highest allowed for this token is ${highest}`;
  throw new ForbiddenException({ message, errors: [{ field: 'priority', message }] });
}

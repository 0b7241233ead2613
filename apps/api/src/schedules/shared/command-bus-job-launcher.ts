/**
 * A firing's jobs go through the API's own command path: the submit handler (validation,
 * quotas, estimates, views, wake-ups) and the cancel handler, as a request would.
 */
import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { JobRuleViolation } from '../../../../../libs/job-domain/src/index.js';
import type { ScheduledJobLauncher, ScheduleState } from '../../../../../libs/schedules/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { CancelJobCommand } from '../../execution/cancel-job/cancel-job.command.js';
import { TenantQuotaExceededError } from '../../execution/shared/tenant-queue-quota.js';
import { SubmitJobCommand } from '../../execution/submit-job/submit-job.command.js';
import type { SubmitJobRequestDto } from '../../execution/submit-job/submit-job.request.dto.js';

/**
 * Firings act in the name of the schedule's creator. The template's priority was checked
 * against the creator's roles when it was set, so the firing itself is not limited again.
 */
function firingPrincipal(schedule: ScheduleState): Principal {
  return { subject: schedule.createdBy, tenantId: schedule.tenantId, projects: [schedule.projectId], roles: ['admin'], expiresAtMs: Number.MAX_SAFE_INTEGER };
}

export class CommandBusJobLauncher implements ScheduledJobLauncher {
  constructor(private readonly commands: CommandBus, private readonly stores: Stores) {}

  async submit(schedule: ScheduleState, fireTime: string, jobId: string) {
    const metadata = { actor: `schedule:${schedule.scheduleId}`, correlationId: schedule.scheduleId, causationId: randomUUID() };
    try {
      await this.commands.execute(new SubmitJobCommand(
        schedule.tenantId, schedule.projectId, schedule.definition.jobTemplate as unknown as SubmitJobRequestDto,
        firingPrincipal(schedule), metadata, null, { scheduleId: schedule.scheduleId, fireTime, jobId },
      ));
      return { jobId };
    } catch (error) {
      if (error instanceof TenantQuotaExceededError) return { refused: `refused by the tenant's quota: ${error.message}` };
      // The template no longer submits (its dataset was deleted, ...): recorded as the reason, the schedule goes on.
      if (error instanceof HttpException && error.getStatus() < 500) return { refused: `refused: ${describe(error)}` };
      throw error;
    }
  }

  async statusOf(schedule: ScheduleState, jobId: string): Promise<string | null> {
    return (await this.stores.jobs.getJob(schedule.tenantId, schedule.projectId, jobId))?.status ?? null;
  }

  async cancel(schedule: ScheduleState, jobId: string, reason: string): Promise<void> {
    const metadata = { actor: `schedule:${schedule.scheduleId}`, correlationId: schedule.scheduleId, causationId: randomUUID() };
    try {
      await this.commands.execute(new CancelJobCommand(
        schedule.tenantId, schedule.projectId, jobId, { reason, forceTermination: false, preservePartialResults: true },
        firingPrincipal(schedule), metadata,
      ));
    } catch (error) {
      // Finished meanwhile: nothing left to cancel.
      if (!(error instanceof JobRuleViolation)) throw error;
    }
  }
}

function describe(error: HttpException): string {
  const response = error.getResponse() as { message?: unknown; errors?: Array<{ field: string; message: string }> } | string;
  if (typeof response === 'string') return response;
  const details = response.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  return details ? `${String(response.message)} (${details})` : String(response.message ?? error.message);
}

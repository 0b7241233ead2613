import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata, JobScheduleOrigin } from '../../../../../libs/job-domain/src/index.js';
import type { SubmitJobRequestDto } from './submit-job.request.dto.js';

export class SubmitJobCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly request: SubmitJobRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
    /** Client-chosen key: the same key submits the same job once. */
    readonly idempotencyKey: string | null,
    /** A schedule's firing: the job gets the firing's own id and carries its origin. */
    readonly firing: (JobScheduleOrigin & { readonly jobId: string }) | null = null,
  ) {}
}

import type { Principal } from '../../../../../libs/auth/src/token.js';
import type {
  CommandMetadata, JobOperationOrigin, JobScheduleOrigin, OperationCallbacks, SlackNotification,
} from '../../../../../libs/job-domain/src/index.js';
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
    /** An async operation started this job: what the job carries for it beyond a plain submit. */
    readonly operation: OperationSubmission | null = null,
  ) {}
}

export interface OperationSubmission {
  readonly operationType: string;
  readonly outputOptions?: JobOperationOrigin['outputOptions'];
  /** Secrets already stored (by reference). */
  readonly callbacks: OperationCallbacks | null;
  readonly slack: SlackNotification | null;
}

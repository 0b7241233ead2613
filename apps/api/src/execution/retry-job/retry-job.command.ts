import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import type { RetryJobRequestDto } from './retry-job.request.dto.js';

export class RetryJobCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly jobId: string,
    readonly request: RetryJobRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import type { CancelJobRequestDto } from './cancel-job.request.dto.js';

export class CancelJobCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly jobId: string,
    readonly request: CancelJobRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

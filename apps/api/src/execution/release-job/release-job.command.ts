import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import type { ReleaseJobRequestDto } from './release-job.request.dto.js';

export class ReleaseJobCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly jobId: string,
    readonly request: ReleaseJobRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

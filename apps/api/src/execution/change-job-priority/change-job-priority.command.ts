import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import type { ChangeJobPriorityRequestDto } from './change-job-priority.request.dto.js';

export class ChangeJobPriorityCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly jobId: string,
    readonly request: ChangeJobPriorityRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

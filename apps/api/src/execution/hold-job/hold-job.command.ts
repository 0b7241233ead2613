import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import type { HoldJobRequestDto } from './hold-job.request.dto.js';

export class HoldJobCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly jobId: string,
    readonly request: HoldJobRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

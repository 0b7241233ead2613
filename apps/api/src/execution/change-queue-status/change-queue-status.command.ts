import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import type { ChangeQueueStatusRequestDto } from './change-queue-status.request.dto.js';

export class ChangeQueueStatusCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly request: ChangeQueueStatusRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import type { StartOperationRequestDto } from './start-operation.request.dto.js';

export class StartOperationCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly request: StartOperationRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
    /** The same key starts the same operation once. */
    readonly idempotencyKey: string | null,
  ) {}
}

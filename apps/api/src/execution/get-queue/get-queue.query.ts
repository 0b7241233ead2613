import type { GetQueueRequestDto } from './get-queue.request.dto.js';

export class GetQueueQuery {
  constructor(readonly tenantId: string, readonly projectId: string, readonly request: GetQueueRequestDto) {}
}

import type { ListJobsRequestDto } from './list-jobs.request.dto.js';

export class ListJobsQuery {
  constructor(readonly tenantId: string, readonly projectId: string, readonly request: ListJobsRequestDto) {}
}

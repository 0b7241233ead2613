import type { GetJobResultsRequestDto } from './get-job-results.request.dto.js';

export class GetJobResultsQuery {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly jobId: string,
    readonly request: GetJobResultsRequestDto,
    /** Absolute base for download links. */
    readonly baseUrl: string,
  ) {}
}

import type { GetJobLogsRequestDto } from './get-job-logs.request.dto.js';

export class GetJobLogsQuery {
  constructor(readonly tenantId: string, readonly projectId: string, readonly jobId: string, readonly request: GetJobLogsRequestDto) {}
}

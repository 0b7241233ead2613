import type { JobPointInTime } from '../../../../../libs/job-domain/src/index.js';

export class GetJobHistoryQuery {
  constructor(readonly tenantId: string, readonly projectId: string, readonly jobId: string, readonly asOf: JobPointInTime | null) {}
}

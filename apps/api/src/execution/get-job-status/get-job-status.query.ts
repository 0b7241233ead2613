import type { JobPointInTime } from '../../../../../libs/job-domain/src/index.js';

export class GetJobStatusQuery {
  /** `asOf`: show the job as it stood at that point of its stream instead of now. */
  constructor(readonly tenantId: string, readonly projectId: string, readonly jobId: string, readonly asOf: JobPointInTime | null = null) {}
}

export class GetJobStatusQuery {
  constructor(readonly tenantId: string, readonly projectId: string, readonly jobId: string) {}
}

export class GetJobHistoryQuery {
  constructor(readonly tenantId: string, readonly projectId: string, readonly jobId: string, readonly asOfRevision: number | null) {}
}

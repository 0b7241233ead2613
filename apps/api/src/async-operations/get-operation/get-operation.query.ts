export class GetOperationQuery {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly operationId: string,
    /** Prefix of the artifacts' download links. */
    readonly baseUrl: string,
  ) {}
}

export class GetSystemStatusQuery {
  constructor(readonly tenantId: string) {}
}

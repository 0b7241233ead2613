/**
 * Per-tenant job quotas: TENANT_MAX_QUEUED_JOBS caps the Queued jobs of every tenant,
 * TENANT_QUOTAS overrides it per tenant as JSON `{"<tenantId>": {"maxQueuedJobs": n}}`.
 * Read and checked at startup: a bad value stops the start with a message naming it.
 */
export interface TenantQuota {
  readonly maxQueuedJobs: number | null;
}

export interface TenantQuotas {
  readonly defaults: TenantQuota;
  readonly byTenant: Readonly<Record<string, TenantQuota>>;
}

export const NO_TENANT_QUOTAS: TenantQuotas = { defaults: { maxQueuedJobs: null }, byTenant: {} };

export function tenantQuotasFromEnv(env: NodeJS.ProcessEnv): TenantQuotas {
  const maxQueuedJobs = capOf(env.TENANT_MAX_QUEUED_JOBS, 'TENANT_MAX_QUEUED_JOBS');
  const raw = env.TENANT_QUOTAS;
  const byTenant: Record<string, TenantQuota> = {};
  if (raw !== undefined && raw.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new Error(`TENANT_QUOTAS must be JSON like {"<tenantId>": {"maxQueuedJobs": 10}}: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('TENANT_QUOTAS must be a JSON object keyed by tenant id, like {"<tenantId>": {"maxQueuedJobs": 10}}');
    }
    for (const [tenantId, quota] of Object.entries(parsed)) {
      const where = `TENANT_QUOTAS["${tenantId}"]`;
      if (typeof quota !== 'object' || quota === null || Array.isArray(quota)) throw new Error(`${where} must be an object like {"maxQueuedJobs": 10}`);
      for (const key of Object.keys(quota)) {
        if (key === 'maxRunningJobs') throw new Error(`${where}.maxRunningJobs: a per-tenant running cap is not supported; TENANT_MAX_RUNNING_JOBS caps every tenant`);
        if (key !== 'maxQueuedJobs') throw new Error(`${where}.${key} is not a quota (known: maxQueuedJobs)`);
      }
      const value = (quota as { maxQueuedJobs?: unknown }).maxQueuedJobs;
      if (value !== null && value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
        throw new Error(`${where}.maxQueuedJobs must be a whole number of at least 1, or null for no limit (got ${JSON.stringify(value)})`);
      }
      // Tenant ids are compared lower-cased, as the API lower-cases them.
      byTenant[tenantId.toLowerCase()] = { maxQueuedJobs: value === undefined ? maxQueuedJobs : (value as number | null) };
    }
  }
  return { defaults: { maxQueuedJobs }, byTenant };
}

export function quotaOf(quotas: TenantQuotas, tenantId: string): TenantQuota {
  return quotas.byTenant[tenantId] ?? quotas.defaults;
}

function capOf(raw: string | undefined, name: string): number | null {
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1 (unset: no limit), got "${raw}"`);
  return value;
}

/** Whether any tenant has a queued-jobs cap. */
export function hasQueuedCap(quotas: TenantQuotas): boolean {
  return quotas.defaults.maxQueuedJobs !== null || Object.values(quotas.byTenant).some((q) => q.maxQueuedJobs !== null);
}

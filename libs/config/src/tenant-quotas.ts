/**
 * Per-tenant job quotas: TENANT_MAX_QUEUED_JOBS caps the Queued jobs of every tenant,
 * TENANT_MAX_RUNNING_JOBS its Running jobs; TENANT_QUOTAS overrides either per tenant as JSON
 * `{"<tenantId>": {"maxQueuedJobs": n, "maxRunningJobs": m}}` (null: no limit for that tenant,
 * a key left out: the default). Read and checked at startup: a bad value stops the start with
 * a message naming it. The API and the workers must be given the same values.
 */
export interface TenantQuota {
  readonly maxQueuedJobs: number | null;
  readonly maxRunningJobs: number | null;
}

export interface TenantQuotas {
  readonly defaults: TenantQuota;
  readonly byTenant: Readonly<Record<string, TenantQuota>>;
}

export const NO_TENANT_QUOTAS: TenantQuotas = { defaults: { maxQueuedJobs: null, maxRunningJobs: null }, byTenant: {} };

const QUOTA_KEYS = ['maxQueuedJobs', 'maxRunningJobs'] as const;
const EXAMPLE = '{"<tenantId>": {"maxQueuedJobs": 10, "maxRunningJobs": 2}}';

export function tenantQuotasFromEnv(env: NodeJS.ProcessEnv): TenantQuotas {
  const defaults: TenantQuota = {
    maxQueuedJobs: capOf(env.TENANT_MAX_QUEUED_JOBS, 'TENANT_MAX_QUEUED_JOBS'),
    maxRunningJobs: capOf(env.TENANT_MAX_RUNNING_JOBS, 'TENANT_MAX_RUNNING_JOBS'),
  };
  const raw = env.TENANT_QUOTAS;
  const byTenant: Record<string, TenantQuota> = {};
  if (raw !== undefined && raw.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new Error(`TENANT_QUOTAS must be JSON like ${EXAMPLE}: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`TENANT_QUOTAS must be a JSON object keyed by tenant id, like ${EXAMPLE}`);
    }
    for (const [tenantId, quota] of Object.entries(parsed)) {
      const where = `TENANT_QUOTAS["${tenantId}"]`;
      if (typeof quota !== 'object' || quota === null || Array.isArray(quota)) throw new Error(`${where} must be an object like {"maxQueuedJobs": 10, "maxRunningJobs": 2}`);
      for (const key of Object.keys(quota)) {
        if (!(QUOTA_KEYS as readonly string[]).includes(key)) throw new Error(`${where}.${key} is not a quota (known: ${QUOTA_KEYS.join(', ')})`);
      }
      const entry = quota as Partial<Record<(typeof QUOTA_KEYS)[number], unknown>>;
      const overridden = (key: (typeof QUOTA_KEYS)[number]): number | null => {
        const value = entry[key];
        if (value === undefined) return defaults[key];
        if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
          throw new Error(`${where}.${key} must be a whole number of at least 1, or null for no limit (got ${JSON.stringify(value)})`);
        }
        return value as number | null;
      };
      // Tenant ids are compared lower-cased, as the API lower-cases them.
      byTenant[tenantId.toLowerCase()] = { maxQueuedJobs: overridden('maxQueuedJobs'), maxRunningJobs: overridden('maxRunningJobs') };
    }
  }
  return { defaults, byTenant };
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

/** Whether any tenant has a running-jobs cap. */
export function hasRunningCap(quotas: TenantQuotas): boolean {
  return quotas.defaults.maxRunningJobs !== null || Object.values(quotas.byTenant).some((q) => q.maxRunningJobs !== null);
}

/** The tenants whose running cap differs from TENANT_MAX_RUNNING_JOBS, with their cap (null: none): what the claim order must know beyond the default. */
export function runningCapOverrides(quotas: TenantQuotas): Record<string, number | null> {
  const overrides: Record<string, number | null> = {};
  for (const [tenantId, quota] of Object.entries(quotas.byTenant)) {
    if (quota.maxRunningJobs !== quotas.defaults.maxRunningJobs) overrides[tenantId] = quota.maxRunningJobs;
  }
  return overrides;
}

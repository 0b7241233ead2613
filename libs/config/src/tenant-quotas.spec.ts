import { describe, expect, it } from '@jest/globals';
import { quotaOf, runningCapOverrides, tenantQuotasFromEnv } from './tenant-quotas.js';

describe('tenant quotas from the environment', () => {
  it('has no quota when nothing is set', () => {
    expect(quotaOf(tenantQuotasFromEnv({}), 't1')).toEqual({ maxQueuedJobs: null, maxRunningJobs: null });
  });

  it('applies TENANT_MAX_QUEUED_JOBS to every tenant and TENANT_QUOTAS per tenant (lower-cased, null lifting the cap)', () => {
    const quotas = tenantQuotasFromEnv({
      TENANT_MAX_QUEUED_JOBS: '50',
      TENANT_QUOTAS: JSON.stringify({ 'AB-1': { maxQueuedJobs: 5 }, free: { maxQueuedJobs: null }, same: {} }),
    });
    expect(quotaOf(quotas, 'other').maxQueuedJobs).toBe(50);
    expect(quotaOf(quotas, 'ab-1').maxQueuedJobs).toBe(5);
    expect(quotaOf(quotas, 'free').maxQueuedJobs).toBeNull();
    expect(quotaOf(quotas, 'same').maxQueuedJobs).toBe(50);
  });

  it('overrides TENANT_MAX_RUNNING_JOBS per tenant with maxRunningJobs (null lifting it, a key left out keeping it)', () => {
    const quotas = tenantQuotasFromEnv({
      TENANT_MAX_RUNNING_JOBS: '4',
      TENANT_QUOTAS: JSON.stringify({ Acme: { maxQueuedJobs: 10, maxRunningJobs: 2 }, free: { maxRunningJobs: null }, queuedOnly: { maxQueuedJobs: 3 } }),
    });
    expect(quotaOf(quotas, 'acme')).toEqual({ maxQueuedJobs: 10, maxRunningJobs: 2 });
    expect(quotaOf(quotas, 'free').maxRunningJobs).toBeNull();
    expect(quotaOf(quotas, 'queuedonly').maxRunningJobs).toBe(4);
    expect(quotaOf(quotas, 'other').maxRunningJobs).toBe(4);
    // Only the tenants whose cap differs from the default reach the claim order.
    expect(runningCapOverrides(quotas)).toEqual({ acme: 2, free: null });
  });

  it.each([
    [{ TENANT_MAX_QUEUED_JOBS: '0' }, /TENANT_MAX_QUEUED_JOBS must be a whole number/],
    [{ TENANT_MAX_QUEUED_JOBS: 'many' }, /TENANT_MAX_QUEUED_JOBS must be a whole number/],
    [{ TENANT_QUOTAS: '{not json' }, /TENANT_QUOTAS must be JSON/],
    [{ TENANT_QUOTAS: '[1]' }, /TENANT_QUOTAS must be a JSON object/],
    [{ TENANT_QUOTAS: '{"t": 3}' }, /TENANT_QUOTAS\["t"\] must be an object/],
    [{ TENANT_QUOTAS: '{"t": {"maxQueuedJobs": 1.5}}' }, /TENANT_QUOTAS\["t"\]\.maxQueuedJobs must be a whole number/],
    [{ TENANT_QUOTAS: '{"t": {"maxQueued": 3}}' }, /TENANT_QUOTAS\["t"\]\.maxQueued is not a quota/],
    [{ TENANT_QUOTAS: '{"t": {"maxRunningJobs": 0}}' }, /TENANT_QUOTAS\["t"\]\.maxRunningJobs must be a whole number of at least 1, or null/],
    [{ TENANT_QUOTAS: '{"t": {"maxRunningJobs": "2"}}' }, /TENANT_QUOTAS\["t"\]\.maxRunningJobs must be a whole number/],
    [{ TENANT_MAX_RUNNING_JOBS: '-1' }, /TENANT_MAX_RUNNING_JOBS must be a whole number/],
  ])('refuses %j at startup with a message naming it', (env, message) => {
    expect(() => tenantQuotasFromEnv(env)).toThrow(message);
  });
});

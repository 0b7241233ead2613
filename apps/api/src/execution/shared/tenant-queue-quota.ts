/**
 * The queued-jobs quota of a tenant, checked before a submit, a retry or a schedule's firing
 * appends its job; exact, also across processes (TenantQueueGate, ADR 0018). No quota set:
 * nothing is read or locked, the submit path is unchanged.
 */
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { quotaOf } from '../../../../../libs/config/src/tenant-quotas.js';
import type { TenantQueueGate } from '../../../../../libs/read-store/src/postgres/tenant-queue-gate.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from './execution.tokens.js';

/** The completion rate behind Retry-After is measured over this window. */
export const COMPLETION_RATE_WINDOW_MS = 10 * 60_000;
/** Retry-After when the tenant finished no job in the window: nothing was measured to estimate from. */
export const UNMEASURED_RETRY_AFTER_SECONDS = 30;
const MAX_RETRY_AFTER_SECONDS = 3600;

export class TenantQuotaExceededError extends Error {
  constructor(
    readonly tenantId: string,
    readonly quota: 'maxQueuedJobs',
    readonly limit: number,
    readonly current: number,
    readonly retryAfterSeconds: number,
    /** 'measured': from the tenant's recent completion rate; 'fallback': nothing finished recently. */
    readonly retryAfterBasis: 'measured' | 'fallback',
  ) {
    super(`Tenant ${tenantId} has ${current} queued jobs; its quota maxQueuedJobs is ${limit}`);
    this.name = 'TenantQuotaExceededError';
  }
}

@Injectable()
export class TenantQueueQuota {
  /** The process's gate (the stores close it), shared with the automatic retries. */
  private readonly gate: TenantQueueGate;

  constructor(@Inject(STORES) stores: Stores, @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    this.gate = stores.tenantQueueGate;
  }

  /** Runs `submit` if the tenant is below its queued cap; else throws TenantQuotaExceededError. */
  async admit<T>(tenantId: string, submit: () => Promise<T>): Promise<T> {
    const limit = quotaOf(this.config.tenantQuotas, tenantId).maxQueuedJobs;
    if (limit === null) return submit();
    const outcome = await this.gate.admit(tenantId, limit, submit);
    if (!outcome.admitted) throw await this.refusal(tenantId, limit, outcome.current);
    return outcome.value;
  }

  private async refusal(tenantId: string, limit: number, current: number): Promise<TenantQuotaExceededError> {
    const ended = await this.gate.queueLoad.jobsEndedSince(tenantId, new Date(Date.now() - COMPLETION_RATE_WINDOW_MS));
    if (ended === 0) return new TenantQuotaExceededError(tenantId, 'maxQueuedJobs', limit, current, UNMEASURED_RETRY_AFTER_SECONDS, 'fallback');
    // Jobs leave the queue's end at about this rate; a place opens when (current - limit + 1) have.
    const perSecond = ended / (COMPLETION_RATE_WINDOW_MS / 1000);
    const seconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil((current - limit + 1) / perSecond)));
    return new TenantQuotaExceededError(tenantId, 'maxQueuedJobs', limit, current, seconds, 'measured');
  }
}

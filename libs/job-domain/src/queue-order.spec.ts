import { describe, expect, it } from '@jest/globals';
import { orderQueue, queueScore, type QueueOrderJob, type TenantQueueState } from './queue-order.js';
import type { JobPriority } from './job.types.js';

const T0 = Date.parse('2024-05-06T08:00:00.000Z');
const job = (jobId: string, tenantId: string, priority: JobPriority, seconds: number, due = true): QueueOrderJob =>
  ({ jobId, tenantId, queueScore: queueScore(T0 + seconds * 1000, priority, 600), due });

describe('orderQueue (the rule the MongoDB adapter applies in memory, PostgreSQL in SQL)', () => {
  it('orders by aged level, then round, then the tenant with the oldest last start, then score and id', () => {
    const jobs = [
      job('a1', 'a', 'High', 0), job('a2', 'a', 'High', 1), job('a3', 'a', 'High', 2),
      job('b1', 'b', 'High', 10), job('c-old', 'c', 'Low', -1800), job('c1', 'c', 'High', 20),
      job('b-later', 'b', 'Critical', 5, false),
    ];
    const tenants = new Map<string, TenantQueueState>([
      ['a', { runningJobs: 1, lastStartedMs: T0 }], ['c', { runningJobs: 0, lastStartedMs: T0 - 5000 }],
    ]);
    const ordered = orderQueue(jobs, tenants, { nowMs: T0 + 60_000, agingSecondsPerLevel: 600, tenantMaxRunningJobs: null });
    // c-old waited three levels' worth (level 3); level 2: round 1 is b1 (c's round 1 is c-old), round 2: c1
    // (last start older than a's) then a1; b-later is not due.
    expect(ordered.map((j) => j.jobId)).toEqual(['c-old', 'b1', 'c1', 'a1', 'a2', 'a3', 'b-later']);
    expect(ordered.map((j) => j.claimable)).toEqual([true, true, true, true, true, true, false]);

    const capped = orderQueue(jobs, tenants, { nowMs: T0 + 60_000, agingSecondsPerLevel: 600, tenantMaxRunningJobs: 2 });
    expect(capped.filter((j) => j.claimable).map((j) => j.jobId)).toEqual(['c-old', 'b1', 'c1', 'a1']);
    // Held back in the same order, then the job not due yet.
    expect(capped.map((j) => j.jobId)).toEqual(['c-old', 'b1', 'c1', 'a1', 'a2', 'a3', 'b-later']);

    // A tenant's own cap replaces the default: a with 3 (one running) may start a1 and a2, c none beyond its first (cap 1), b unlimited.
    const perTenant = orderQueue(jobs, tenants, {
      nowMs: T0 + 60_000, agingSecondsPerLevel: 600, tenantMaxRunningJobs: 2, runningCapsByTenant: { a: 3, c: 1, b: null },
    });
    expect(perTenant.filter((j) => j.claimable).map((j) => j.jobId)).toEqual(['c-old', 'b1', 'a1', 'a2']);
  });
});

/**
 * Queue position and start/duration estimates: the job's place in claim order (read
 * live; it reads only the jobs ahead), the capacity and load of live nodes from their
 * heartbeats, and durations of jobs that really ran in the last 7 days (both cached a
 * few seconds, see CachedStatistics), so a submit runs one query for its estimates.
 * With no history there is no estimate (null), never a made-up one.
 */
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import type { JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { formatDurationRange } from '../../../../../libs/human-format/src/human-format.js';
import { CachedStatistics } from './cached-statistics.js';
import { STORES } from './execution.tokens.js';

const HISTORY_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface JobEstimates {
  readonly queuePosition: number | null;
  readonly estimatedStartTime: string | null;
  readonly estimatedDuration: string | null;
  readonly estimatedDurationSeconds: { readonly low: number; readonly high: number } | null;
}

@Injectable()
export class JobEstimator {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly statistics: CachedStatistics,
  ) {}

  async estimate(job: JobState, now = new Date()): Promise<JobEstimates> {
    const since = new Date(now.getTime() - HISTORY_WINDOW_MS);
    const [position, durations, nodes] = await Promise.all([
      this.stores.jobs.queuePosition(job.jobId, now),
      this.statistics.completionStatistics({ tenantId: job.tenantId, jobType: job.jobType }, since, 'last 7 days'),
      this.statistics.liveCapacity(now, this.config.leaseSeconds),
    ]);
    const quartiles = durations.durationQuartilesSeconds;
    const estimatedDurationSeconds = quartiles ? { low: quartiles.p25, high: quartiles.p75 } : null;
    const scheduled = job.scheduling.scheduledTime ? new Date(job.scheduling.scheduledTime) : null;
    let estimatedStartTime: string | null = null;
    if (scheduled && scheduled > now) {
      estimatedStartTime = scheduled.toISOString();
    } else if (position !== null) {
      const { capacity } = nodes;
      const free = Math.max(0, capacity - nodes.busy);
      if (capacity > 0 && position <= free) {
        estimatedStartTime = now.toISOString();
      } else if (capacity > 0 && durations.averageDurationSeconds !== null) {
        // Jobs ahead drain at `capacity` at a time, each taking the average duration.
        const waves = Math.ceil((position - free) / capacity);
        estimatedStartTime = new Date(now.getTime() + waves * durations.averageDurationSeconds * 1000).toISOString();
      }
    }
    return {
      queuePosition: position,
      estimatedStartTime,
      estimatedDuration: estimatedDurationSeconds ? formatDurationRange(estimatedDurationSeconds.low, estimatedDurationSeconds.high) : null,
      estimatedDurationSeconds,
    };
  }
}

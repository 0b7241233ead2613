/**
 * Queue position and start/duration estimates: the job's place in claim order (read
 * live; it reads only the jobs ahead), the capacity and load of live nodes from their
 * heartbeats, and durations of jobs that really ran in the last 7 days (both cached a
 * few seconds, see CachedStatistics), so a submit runs one query for its estimates.
 * The duration scales with the job's dataset (see run-duration-model.ts). With no history
 * there is no estimate (null), never a made-up one.
 */
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { datasetIdOf, waitsForDependencies, type JobState, type JobType } from '../../../../../libs/job-domain/src/index.js';
import type { CompletionStatistics, DurationSample } from '../../../../../libs/read-store/src/read-store.port.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { formatDurationRange } from '../../../../../libs/human-format/src/human-format.js';
import { CachedStatistics } from './cached-statistics.js';
import { STORES } from './execution.tokens.js';
import { estimateRunSeconds } from './run-duration-model.js';

const HISTORY_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface JobEstimates {
  readonly queuePosition: number | null;
  readonly estimatedStartTime: string | null;
  readonly estimatedDuration: string | null;
  readonly estimatedDurationSeconds: { readonly low: number; readonly high: number } | null;
}

/** What every estimate of one tenant's jobs at one moment rests on, read once however many jobs are estimated. */
interface EstimateBasis {
  readonly now: Date;
  /** Job slots of the live nodes that take new jobs. */
  readonly capacity: number;
  readonly running: number;
  readonly durations: ReadonlyMap<JobType, CompletionStatistics>;
  readonly samples: ReadonlyMap<JobType, readonly DurationSample[]>;
  /** Source records of the jobs' datasets, by dataset id; null where the dataset is unknown. */
  readonly datasetRecords: ReadonlyMap<string, number | null>;
}

@Injectable()
export class JobEstimator {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly statistics: CachedStatistics,
  ) {}

  async estimate(job: JobState, now = new Date()): Promise<JobEstimates> {
    const [position, basis] = await Promise.all([
      this.stores.jobs.queuePosition(job.jobId, now),
      this.basis(job.tenantId, [job], now),
    ]);
    return estimateFrom(basis, job, position);
  }

  /** Estimates for many of one tenant's queued jobs whose positions are known (the queue view). */
  async estimateQueued(
    tenantId: string, jobs: readonly { job: JobState; queuePosition: number | null }[], now = new Date(),
  ): Promise<JobEstimates[]> {
    if (jobs.length === 0) return [];
    const basis = await this.basis(tenantId, jobs.map((j) => j.job), now);
    return jobs.map((j) => estimateFrom(basis, j.job, j.queuePosition));
  }

  private async basis(tenantId: string, jobs: readonly JobState[], now: Date): Promise<EstimateBasis> {
    const since = new Date(now.getTime() - HISTORY_WINDOW_MS);
    const jobTypes = [...new Set(jobs.map((j) => j.jobType))];
    const datasets = new Map(jobs.flatMap((j) => {
      const id = datasetIdOf(j);
      return id === null ? [] : [[id, j.projectId] as const];
    }));
    const [durations, samples, records, capacity] = await Promise.all([
      Promise.all(jobTypes.map(async (jobType) =>
        [jobType, await this.statistics.completionStatistics({ tenantId, jobType }, since, 'last 7 days')] as const)),
      Promise.all(jobTypes.map(async (jobType) =>
        [jobType, await this.statistics.durationSamples({ tenantId, jobType }, since, 'last 7 days')] as const)),
      Promise.all([...datasets].map(async ([datasetId, projectId]) =>
        [datasetId, (await this.stores.datasets.get(tenantId, projectId, datasetId))?.rowCount ?? null] as const)),
      this.statistics.liveCapacity(now, this.config.leaseSeconds),
    ]);
    return {
      now, capacity: capacity.jobSlots, running: capacity.runningOnActiveNodes, durations: new Map(durations),
      samples: new Map(samples), datasetRecords: new Map(records),
    };
  }
}

function estimateFrom(basis: EstimateBasis, job: JobState, position: number | null): JobEstimates {
  const { now, capacity } = basis;
  const durations = basis.durations.get(job.jobType)!;
  const datasetId = datasetIdOf(job);
  const records = datasetId === null ? null : basis.datasetRecords.get(datasetId) ?? null;
  const run = records === null ? null : estimateRunSeconds(basis.samples.get(job.jobType)!, records);
  const estimatedDurationSeconds = run ? { low: run.low, high: run.high } : null;
  const scheduled = job.scheduling.scheduledTime ? new Date(job.scheduling.scheduledTime) : null;
  let estimatedStartTime: string | null = null;
  if (waitsForDependencies(job)) {
    // It starts after jobs that have not ended: nothing measured says when.
  } else if (scheduled && scheduled > now) {
    estimatedStartTime = scheduled.toISOString();
  } else if (position !== null) {
    const free = Math.max(0, capacity - basis.running);
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

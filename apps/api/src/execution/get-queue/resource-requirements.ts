/**
 * What a queued job will likely need, from what its process measured when the tenant's jobs
 * of the same type ran in the last 7 days (their outcome's `execution`):
 * - cpuUnits: mean CPU time / wall time, the cores such a job keeps busy;
 * - memoryGB: mean peak memory (not scaled: for the logs seen so far it is dominated by the
 *   job process itself, not by the log's size);
 * - estimatedDiskUsage: mean bytes written per record read, times the records of this job's
 *   dataset (outputs grow with the log).
 * Each is null when nothing of the kind was measured (or the job names no dataset), never invented.
 */
import { Inject, Injectable } from '@nestjs/common';
import { datasetIdOf, type JobState, type JobType } from '../../../../../libs/job-domain/src/index.js';
import type { UsageStatistics } from '../../../../../libs/read-store/src/read-store.port.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { formatBytes } from '../../../../../libs/human-format/src/human-format.js';
import { STORES } from '../shared/execution.tokens.js';

const HISTORY_WINDOW_MS = 7 * 24 * 3600 * 1000;
const GIB = 1024 ** 3;

export interface ResourceRequirements {
  readonly cpuUnits: number | null;
  readonly memoryGB: number | null;
  readonly memoryBytes: number | null;
  readonly estimatedDiskUsage: string | null;
  readonly estimatedDiskBytes: number | null;
  /** Completed jobs of the type the figures come from (0: no history, every figure null). */
  readonly basedOnJobs: number;
}

@Injectable()
export class ResourceRequirementsEstimator {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  /** One estimate per job, in order; each job type's history and each dataset read once. */
  async estimate(tenantId: string, jobs: readonly JobState[], now = new Date()): Promise<ResourceRequirements[]> {
    const since = new Date(now.getTime() - HISTORY_WINDOW_MS);
    const types = [...new Set(jobs.map((j) => j.jobType))];
    const datasets = [...new Set(jobs.map(datasetIdOf).filter((id): id is string => id !== null))];
    const [usage, records] = await Promise.all([
      Promise.all(types.map(async (jobType) => [jobType, await this.stores.jobs.usageStatistics({ tenantId, jobType }, since)] as const)),
      Promise.all(datasets.map(async (datasetId) => {
        const job = jobs.find((j) => datasetIdOf(j) === datasetId)!;
        const dataset = await this.stores.datasets.get(tenantId, job.projectId, datasetId);
        return [datasetId, dataset ? dataset.rowCount : null] as const;
      })),
    ]);
    const usageByType = new Map<JobType, UsageStatistics>(usage);
    const recordsByDataset = new Map(records);
    return jobs.map((job) => {
      const u = usageByType.get(job.jobType)!;
      const datasetId = datasetIdOf(job);
      const datasetRecords = datasetId === null ? null : recordsByDataset.get(datasetId) ?? null;
      const diskBytes = u.diskBytesPerRecord !== null && datasetRecords !== null ? Math.round(u.diskBytesPerRecord * datasetRecords) : null;
      return {
        cpuUnits: u.cpuUnits === null ? null : Math.round(u.cpuUnits * 100) / 100,
        memoryGB: u.peakMemoryBytes === null ? null : Math.round((u.peakMemoryBytes / GIB) * 100) / 100,
        memoryBytes: u.peakMemoryBytes === null ? null : Math.round(u.peakMemoryBytes),
        estimatedDiskUsage: diskBytes === null ? null : formatBytes(diskBytes),
        estimatedDiskBytes: diskBytes,
        basedOnJobs: u.jobs,
      };
    });
  }
}

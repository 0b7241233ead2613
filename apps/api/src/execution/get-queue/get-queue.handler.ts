/**
 * The project's queue as it stands: status (Active/Paused), counts, measured waits, the
 * nodes' capacity, and one page of its queued jobs in claim order with their estimates.
 * Paged in the store; estimates come from the shared estimators (start and duration as
 * for a submit, resources from measured usage), or are null with includeEstimates=false.
 */
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { formatDuration } from '../../../../../libs/human-format/src/human-format.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../shared/execution.tokens.js';
import { JobEstimator } from '../shared/job-estimates.js';
import { waitingForView } from '../shared/job-views.js';
import { nodeCapacity } from '../shared/node-capacity.js';
import { GetQueueQuery } from './get-queue.query.js';
import { projectQueueView } from './project-queue-view.js';
import { ResourceRequirementsEstimator } from './resource-requirements.js';

const HOUR_MS = 3600_000;
/** Waits are averaged over jobs that started this recently. */
const WAIT_WINDOW_MS = 24 * HOUR_MS;
/** Durations behind the drain estimate, as for the start estimates. */
const DURATION_WINDOW_MS = 7 * 24 * HOUR_MS;

@QueryHandler(GetQueueQuery)
export class GetQueueHandler implements IQueryHandler<GetQueueQuery> {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly estimator: JobEstimator,
    private readonly resources: ResourceRequirementsEstimator,
  ) {}

  async execute(query: GetQueueQuery) {
    const r = query.request;
    const page = r.page ?? 1;
    const pageSize = r.pageSize ?? 20;
    const includeEstimates = r.includeEstimates ?? true;
    const now = new Date();
    const [view, queue, nodes, durations] = await Promise.all([
      this.stores.jobs.queueView(
        {
          tenantId: query.tenantId, projectId: query.projectId, priority: r.priority, jobType: r.jobType,
          waitsSince: new Date(now.getTime() - WAIT_WINDOW_MS),
        },
        now, { offset: (page - 1) * pageSize, limit: pageSize },
      ),
      this.stores.jobs.getProjectQueue(query.tenantId, query.projectId),
      this.stores.jobs.listNodes(),
      includeEstimates
        ? this.stores.jobs.completionStatistics({ tenantId: query.tenantId }, new Date(now.getTime() - DURATION_WINDOW_MS))
        : null,
    ]);
    const [estimates, requirements] = includeEstimates
      ? await Promise.all([
        this.estimator.estimateQueued(query.tenantId, view.jobs, now),
        this.resources.estimate(query.tenantId, view.jobs.map((j) => j.job), now),
      ])
      : [null, null];

    const capacity = nodeCapacity(nodes, now, this.config.leaseSeconds);
    const q = view.queuedByPriority;
    const totalQueued = q.Critical + q.High + q.Normal + q.Low;
    // Held jobs wait for a release (or their dependencies), not for a node: they are not part of the drain.
    const processingSeconds = durations?.averageDurationSeconds != null && capacity.jobSlots > 0
      ? ((totalQueued - view.heldJobs) * durations.averageDurationSeconds) / capacity.jobSlots
      : null;
    const total = totalQueued;
    return {
      ...projectQueueView(queue),
      timestamp: now.toISOString(),
      summary: {
        totalQueuedJobs: totalQueued,
        criticalPriorityJobs: q.Critical,
        highPriorityJobs: q.High,
        normalPriorityJobs: q.Normal,
        lowPriorityJobs: q.Low,
        heldJobs: view.heldJobs,
        waitingJobs: view.waitingJobs,
        averageWaitTime: view.averageWaitSeconds === null ? null : formatDuration(view.averageWaitSeconds),
        averageWaitSeconds: view.averageWaitSeconds,
        estimatedProcessingTime: processingSeconds === null ? null : formatDuration(processingSeconds),
        estimatedProcessingSeconds: processingSeconds,
      },
      processingCapacity: {
        activeWorkers: capacity.activeNodes.length,
        totalWorkers: nodes.length,
        currentLoad: capacity.jobSlots > 0 ? Math.round((capacity.runningOnLiveNodes / capacity.jobSlots) * 1000) / 10 : null,
        maxConcurrentJobs: capacity.jobSlots,
        currentlyRunning: capacity.runningOnLiveNodes,
      },
      queuedJobs: view.jobs.map(({ job, queuePosition }, index) => {
        const estimate = estimates?.[index] ?? null;
        return {
          jobId: job.jobId,
          jobName: job.jobName,
          jobType: job.jobType,
          priority: job.priority,
          queuePosition,
          // A job without a place (held, or its queue paused) has no start to estimate, scheduled or not.
          estimatedStartTime: queuePosition === null ? null : estimate?.estimatedStartTime ?? null,
          estimatedDuration: estimate?.estimatedDuration ?? null,
          estimatedDurationSeconds: estimate?.estimatedDurationSeconds ?? null,
          submittedBy: job.submittedBy,
          dateSubmitted: job.submittedAt,
          scheduledTime: job.scheduling.scheduledTime,
          hold: job.hold ?? null,
          waitingFor: waitingForView(job),
          resourceRequirements: requirements?.[index] ?? null,
        };
      }),
      page,
      pageSize,
      hasNextPage: page * pageSize < total,
    };
  }
}

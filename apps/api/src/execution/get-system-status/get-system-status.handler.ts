/**
 * System status from measured state: node heartbeats (CPU and memory each node
 * measured), the tenant's queue, and durations of its jobs that really ended.
 * systemStatus: Healthy = at least one live node and none unresponsive;
 * Degraded = some node unresponsive, or no live node while nothing is queued;
 * Unhealthy = jobs are queued and no live node can run them.
 * Queue and performance figures are at most a few seconds old (CachedStatistics); nodes are read live.
 */
import { statfs } from 'node:fs/promises';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { formatBytes, formatDuration } from '../../../../../libs/human-format/src/human-format.js';
import { CachedStatistics } from '../shared/cached-statistics.js';
import { STORES } from '../shared/execution.tokens.js';
import { isLiveNode, nodeCapacity } from '../shared/node-capacity.js';
import { GetSystemStatusQuery } from './get-system-status.query.js';
import { PROJECTION_REBUILDS } from '../../admin/admin.tokens.js';
import type { ProjectionRebuilds } from '../../../../../libs/read-store/src/projections/projection-rebuilds.js';

const HOUR_MS = 3600_000;

@QueryHandler(GetSystemStatusQuery)
export class GetSystemStatusHandler implements IQueryHandler<GetSystemStatusQuery> {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly statistics: CachedStatistics,
    @Inject(PROJECTION_REBUILDS) private readonly rebuilds: ProjectionRebuilds,
  ) {}

  async execute(query: GetSystemStatusQuery) {
    const now = new Date();
    const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const lastDay = new Date(now.getTime() - 24 * HOUR_MS);
    const [nodes, queue, today, disk, deadLettered, projections] = await Promise.all([
      this.stores.jobs.listNodes(),
      this.statistics.queueStatistics(query.tenantId, lastDay, 'last 24 h'),
      this.statistics.completionStatistics({ tenantId: query.tenantId }, midnight, `since ${midnight.toISOString()}`),
      statfs(this.config.filesDir).catch(() => null),
      this.stores.jobs.countDeadLettered(query.tenantId),
      this.rebuilds.status(),
    ]);
    const nodeViews = nodes.map((n) => {
      const live = isLiveNode(n, now, this.config.leaseSeconds);
      return {
        nodeId: n.nodeId,
        status: !live ? 'Unresponsive' : n.draining ? 'Draining' : 'Active',
        cpuUsage: Math.round(n.cpuPercent * 10) / 10,
        memoryUsage: n.memoryTotalBytes > 0 ? Math.round((n.memoryUsedBytes / n.memoryTotalBytes) * 1000) / 10 : null,
        activeJobs: n.activeJobs,
        jobCapacity: n.jobCapacity,
        cpuCores: n.cpuCores,
        memoryUsedBytes: n.memoryUsedBytes,
        memoryTotalBytes: n.memoryTotalBytes,
        lastHeartbeat: n.lastHeartbeat,
      };
    });
    const live = nodeViews.filter((n) => n.status !== 'Unresponsive');
    const q = queue.queuedByPriority;
    const totalQueued = q.Critical + q.High + q.Normal + q.Low;
    const capacity = nodeCapacity(nodes, now, this.config.leaseSeconds).jobSlots;
    const processingSeconds = today.averageDurationSeconds !== null && capacity > 0
      ? (totalQueued * today.averageDurationSeconds) / capacity
      : null;
    const ended = today.completed + today.failed;
    const hoursToday = Math.max((now.getTime() - midnight.getTime()) / HOUR_MS, 1 / 60);
    const totalCpu = live.reduce((s, n) => s + n.cpuCores * 100, 0);
    const usedCpu = live.reduce((s, n) => s + (n.cpuCores * n.cpuUsage), 0);
    const totalMemory = live.reduce((s, n) => s + n.memoryTotalBytes, 0);
    const usedMemory = live.reduce((s, n) => s + n.memoryUsedBytes, 0);
    const diskAvailable = disk ? disk.bavail * disk.bsize : null;
    const unresponsive = nodeViews.length - live.length;
    return {
      systemStatus: live.length === 0 ? (totalQueued > 0 ? 'Unhealthy' : 'Degraded') : unresponsive > 0 ? 'Degraded' : 'Healthy',
      timestamp: now.toISOString(),
      executionNodes: nodeViews,
      queueStatistics: {
        totalQueuedJobs: totalQueued,
        criticalPriorityJobs: q.Critical,
        highPriorityJobs: q.High,
        normalPriorityJobs: q.Normal,
        lowPriorityJobs: q.Low,
        averageWaitTime: queue.averageWaitSeconds === null ? null : formatDuration(queue.averageWaitSeconds),
        averageWaitSeconds: queue.averageWaitSeconds,
        estimatedProcessingTime: processingSeconds === null ? null : formatDuration(processingSeconds),
        estimatedProcessingSeconds: processingSeconds,
        deadLetteredJobs: deadLettered,
      },
      performanceMetrics: {
        jobsCompletedToday: today.completed,
        jobsFailedToday: today.failed,
        averageJobDuration: today.averageDurationSeconds === null ? null : formatDuration(today.averageDurationSeconds),
        averageJobDurationSeconds: today.averageDurationSeconds,
        successRate: ended > 0 ? Math.round((today.completed / ended) * 1000) / 10 : null,
        throughputPerHour: Math.round((today.completed / hoursToday) * 10) / 10,
      },
      resourceUtilization: {
        totalCpuCapacity: totalCpu,
        usedCpuCapacity: Math.round(usedCpu),
        totalMemoryCapacity: formatBytes(totalMemory),
        totalMemoryBytes: totalMemory,
        usedMemoryCapacity: formatBytes(usedMemory),
        usedMemoryBytes: usedMemory,
        diskSpaceAvailable: diskAvailable === null ? null : formatBytes(diskAvailable),
        diskSpaceAvailableBytes: diskAvailable,
      },
      projections,
    };
  }
}

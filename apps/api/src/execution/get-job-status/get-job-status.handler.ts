import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TERMINAL_STATUSES, jobAsOf, jobStreamId, type JobPointInTime } from '../../../../../libs/job-domain/src/index.js';
import type { Notifications } from '../../../../../libs/notifications/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { CachedStatistics } from '../shared/cached-statistics.js';
import { NOTIFICATIONS, STORES } from '../shared/execution.tokens.js';
import { jobStatusView, type JobStatusView } from '../shared/job-views.js';
import { notificationDeliveryView } from '../shared/notification-views.js';
import { GetJobStatusQuery } from './get-job-status.query.js';

/** Delivery of the job's email notifications, once it has ended. */
export interface NotificationDeliveryView {
  readonly kind: string;
  readonly status: string;
  readonly recipients: readonly string[];
  readonly attempts: number;
  readonly sentAt: string | null;
  readonly lastError: string | null;
}

type JobStatusResponse = Omit<JobStatusView, 'notifications'> & {
  /** The settings, and once the job has ended with recipients or webhooks, every delivery. */
  notifications: JobStatusView['notifications'] & { deliveries?: ReturnType<typeof notificationDeliveryView>[] };
  queuePosition: number | null;
  notificationDelivery?: NotificationDeliveryView[];
  /** Time travel: the point shown (the time asked for, if any, and the revision it reached). */
  asOf?: string;
  asOfRevision?: number;
};

@QueryHandler(GetJobStatusQuery)
export class GetJobStatusHandler implements IQueryHandler<GetJobStatusQuery, JobStatusResponse> {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(NOTIFICATIONS) private readonly notifications: Notifications,
    private readonly statistics: CachedStatistics,
  ) {}

  async execute(query: GetJobStatusQuery): Promise<JobStatusResponse> {
    const job = await this.stores.jobs.getJob(query.tenantId, query.projectId, query.jobId);
    if (!job) throw new NotFoundException('Job not found');
    if (query.asOf) return this.statusAsOf(query, query.asOf);
    // Only a queued job has a place in the queue: polling a running one pays nothing for it, and
    // however many poll a queued one, its place is read once per QUEUE_POSITION_REFRESH_MS.
    const queuePosition = job.status === 'Queued' ? await this.statistics.queuePosition(job, new Date()) : null;
    const view = { ...jobStatusView(job), queuePosition };
    // Only an ended job with recipients or webhooks can have notifications: the polling of running jobs pays nothing for this.
    const { onCompletion, onFailure, onCancellation, emailRecipients, webhooks, callbacks, slack } = job.notifications;
    const emails = (onCompletion || onFailure || onCancellation === true) && emailRecipients.length > 0;
    if (!TERMINAL_STATUSES.includes(job.status) || !(emails || (webhooks ?? []).length > 0 || callbacks || slack)) return view;
    const deliveries = await this.notifications.listForJob(job.tenantId, job.projectId, job.jobId);
    return {
      ...view,
      notifications: { ...view.notifications, deliveries: deliveries.map(notificationDeliveryView) },
      ...(emails ? {
        notificationDelivery: deliveries.filter((d) => d.channel === 'email').map((d) => ({
          kind: d.kind, status: d.status, recipients: d.recipients, attempts: d.attempts, sentAt: d.sentAt, lastError: d.lastError,
        })),
      } : {}),
    };
  }

  /**
   * The job folded from its stream up to the point asked for. The queue position of then was
   * never recorded (null), and notifications are not part of the job's stream.
   */
  private async statusAsOf(query: GetJobStatusQuery, point: JobPointInTime): Promise<JobStatusResponse> {
    const recorded = await this.stores.events.readStream(jobStreamId(query.jobId));
    const job = jobAsOf(recorded, point);
    if (!job) throw new NotFoundException('The job did not exist yet at asOf');
    if ('revision' in point && point.revision > job.revision) {
      throw new NotFoundException(`The job has ${recorded.length} events; revision ${point.revision} does not exist`);
    }
    const now = 'time' in point ? point.time : new Date(job.lastUpdated);
    return {
      ...jobStatusView(job, now), queuePosition: null,
      ...('time' in point ? { asOf: point.time.toISOString() } : {}), asOfRevision: job.revision,
    };
  }
}

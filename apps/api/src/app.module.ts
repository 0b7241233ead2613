/** The API's module: controllers per use case, CQRS handlers, and the opened stores. */
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SIGNING_SECRET, TenantScopeGuard } from '../../../libs/auth/src/tenant-scope.guard.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../libs/config/src/service-config.js';
import { JobRepository, ProjectQueueRepository } from '../../../libs/job-domain/src/index.js';
import type { JobProjection } from '../../../libs/read-store/src/projections/job-projection.js';
import type { Notifications } from '../../../libs/notifications/src/index.js';
import type { DatasetImporter } from '../../../libs/datasets/src/import/dataset-importer.js';
import type { Stores } from '../../../libs/storage/src/open-stores.js';
import { DATASET_IMPORTER } from './datasets/datasets.tokens.js';
import { DownloadDatasetController } from './datasets/download-dataset/download-dataset.controller.js';
import { GetDatasetController } from './datasets/get-dataset/get-dataset.controller.js';
import { UploadDatasetController } from './datasets/upload-dataset/upload-dataset.controller.js';
import { GetProcessModelController } from './models/get-model/get-model.controller.js';
import { UploadProcessModelController } from './models/upload-model/upload-model.controller.js';
import { CancelJobController } from './execution/cancel-job/cancel-job.controller.js';
import { CancelJobHandler } from './execution/cancel-job/cancel-job.handler.js';
import { ChangeJobPriorityController } from './execution/change-job-priority/change-job-priority.controller.js';
import { ChangeJobPriorityHandler } from './execution/change-job-priority/change-job-priority.handler.js';
import { ChangeQueueStatusController } from './execution/change-queue-status/change-queue-status.controller.js';
import { ChangeQueueStatusHandler } from './execution/change-queue-status/change-queue-status.handler.js';
import { GetJobResultsController } from './execution/get-job-results/get-job-results.controller.js';
import { GetJobResultsHandler } from './execution/get-job-results/get-job-results.handler.js';
import { ExportEventsController } from './execution/export-events/export-events.controller.js';
import { GetJobHistoryController } from './execution/get-job-history/get-job-history.controller.js';
import { GetJobHistoryHandler } from './execution/get-job-history/get-job-history.handler.js';
import { GetJobLogsController } from './execution/get-job-logs/get-job-logs.controller.js';
import { GetJobLogsHandler } from './execution/get-job-logs/get-job-logs.handler.js';
import { GetJobStatusController } from './execution/get-job-status/get-job-status.controller.js';
import { GetJobStatusHandler } from './execution/get-job-status/get-job-status.handler.js';
import { GetSystemStatusController } from './execution/get-system-status/get-system-status.controller.js';
import { GetQueueController } from './execution/get-queue/get-queue.controller.js';
import { GetQueueHandler } from './execution/get-queue/get-queue.handler.js';
import { ResourceRequirementsEstimator } from './execution/get-queue/resource-requirements.js';
import { GetSystemStatusHandler } from './execution/get-system-status/get-system-status.handler.js';
import { HoldJobController } from './execution/hold-job/hold-job.controller.js';
import { HoldJobHandler } from './execution/hold-job/hold-job.handler.js';
import { ListJobsController } from './execution/list-jobs/list-jobs.controller.js';
import { ListJobsHandler } from './execution/list-jobs/list-jobs.handler.js';
import { ReleaseJobController } from './execution/release-job/release-job.controller.js';
import { ReleaseJobHandler } from './execution/release-job/release-job.handler.js';
import { RetryJobController } from './execution/retry-job/retry-job.controller.js';
import { RetryJobHandler } from './execution/retry-job/retry-job.handler.js';
import { JOB_PROJECTION_RUNNER, NOTIFICATIONS, STORES } from './execution/shared/execution.tokens.js';
import { CachedStatistics } from './execution/shared/cached-statistics.js';
import { JobEstimator } from './execution/shared/job-estimates.js';
import { QueuedJobCommands } from './execution/shared/queue-management.js';
import { ReadYourWrites } from './execution/shared/read-your-writes.js';
import { SubmitJobController } from './execution/submit-job/submit-job.controller.js';
import { SubmitJobHandler } from './execution/submit-job/submit-job.handler.js';
import { TenantQueueQuota } from './execution/shared/tenant-queue-quota.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { HealthController } from './http/health.controller.js';
import { EventFeedHub, FeedReads } from '../../../libs/event-feed/src/index.js';
import { feedReadsOf } from './execution/shared/feed-reads-of-stores.js';
import { FollowEventsController } from './execution/follow-events/follow-events.controller.js';
import { MetricsController } from './http/metrics.controller.js';
import { SERVICE_METRICS, TELEMETRY_CONFIG } from './http/telemetry.tokens.js';
import type { ServiceMetrics, TelemetryConfig } from '../../../libs/telemetry/src/index.js';
import type { ProjectionRebuilds } from '../../../libs/read-store/src/projections/projection-rebuilds.js';
import { PROJECTION_REBUILDS } from './admin/admin.tokens.js';
import { ListProjectionsController } from './admin/list-projections/list-projections.controller.js';
import { LocalSignInController } from './dashboard/local-sign-in/local-sign-in.controller.js';
import { RebuildProjectionController } from './admin/rebuild-projection/rebuild-projection.controller.js';
import { StartOperationController } from './async-operations/start-operation/start-operation.controller.js';
import { StartOperationHandler } from './async-operations/start-operation/start-operation.handler.js';
import { GetOperationController } from './async-operations/get-operation/get-operation.controller.js';
import { GetOperationHandler } from './async-operations/get-operation/get-operation.handler.js';

export interface ApiRuntime {
  readonly config: ServiceConfig;
  readonly stores: Stores;
  readonly projection: JobProjection;
  readonly repository: JobRepository;
  readonly signingSecret: Uint8Array;
  readonly notifications: Notifications;
  readonly datasetImporter: DatasetImporter;
  readonly telemetry: { readonly config: TelemetryConfig; readonly metrics: ServiceMetrics };
  readonly projectionRebuilds: ProjectionRebuilds;
}

@Module({})
export class AppModule {
  static register(runtime: ApiRuntime): DynamicModule {
    const feedReads = feedReadsOf(runtime.stores);
    return {
      module: AppModule,
      // Schedules need the event store on PostgreSQL or PGlite (their views commit with their events).
      imports: [CqrsModule.forRoot(), ...(runtime.stores.schedules ? [SchedulesModule.register({ ...runtime, schedules: runtime.stores.schedules })] : [])],
      controllers: [
        SubmitJobController, GetJobStatusController, ListJobsController, CancelJobController, GetJobResultsController,
        RetryJobController, GetSystemStatusController, GetJobHistoryController, UploadDatasetController, GetDatasetController, DownloadDatasetController, HealthController,
        GetQueueController, ChangeQueueStatusController, ChangeJobPriorityController, HoldJobController, ReleaseJobController,
        UploadProcessModelController, GetProcessModelController, ExportEventsController, FollowEventsController,
        GetJobLogsController, MetricsController,
        RebuildProjectionController, ListProjectionsController, LocalSignInController,
        StartOperationController, GetOperationController,
      ],
      providers: [
        { provide: SERVICE_CONFIG, useValue: runtime.config },
        { provide: STORES, useValue: runtime.stores },
        { provide: JOB_PROJECTION_RUNNER, useValue: runtime.projection },
        { provide: JobRepository, useValue: runtime.repository },
        { provide: ProjectQueueRepository, useValue: new ProjectQueueRepository(runtime.stores.events) },
        { provide: SIGNING_SECRET, useValue: runtime.signingSecret },
        { provide: NOTIFICATIONS, useValue: runtime.notifications },
        { provide: DATASET_IMPORTER, useValue: runtime.datasetImporter },
        { provide: FeedReads, useValue: feedReads },
        { provide: EventFeedHub, useValue: new EventFeedHub(runtime.stores.events, feedReads) },
        { provide: TELEMETRY_CONFIG, useValue: runtime.telemetry.config },
        { provide: SERVICE_METRICS, useValue: runtime.telemetry.metrics },
        { provide: PROJECTION_REBUILDS, useValue: runtime.projectionRebuilds },
        TenantScopeGuard, ReadYourWrites, JobEstimator, CachedStatistics, TenantQueueQuota,
        SubmitJobHandler, GetJobStatusHandler, ListJobsHandler, CancelJobHandler, GetJobResultsHandler, RetryJobHandler,
        GetSystemStatusHandler, GetJobHistoryHandler,
        QueuedJobCommands, ResourceRequirementsEstimator,
        GetQueueHandler, ChangeQueueStatusHandler, ChangeJobPriorityHandler, HoldJobHandler, ReleaseJobHandler,
        GetJobLogsHandler,
        StartOperationHandler, GetOperationHandler,
      ],
    };
  }
}

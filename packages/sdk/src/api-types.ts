// Generated from openapi.json by scripts/generate.mjs (openapi-typescript): do not edit.

export interface paths {
    "/api/{tenantId}/{projectId}/execution/job": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit New Job
         * @description Queues a job; it runs by priority and resource availability.
         */
        post: operations["SubmitJobController_submit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Job Status
         * @description Status, progress, measured usage and metrics of one job; with asOf (a time) or asOfRevision, the job as it stood then.
         */
        get: operations["GetJobStatusController_get"];
        put?: never;
        post?: never;
        /**
         * Cancel Job
         * @description Cancels a queued job at once; asks a running job's node to stop it (gracefully unless forceTermination). Completed, failed or cancelled jobs: 409.
         */
        delete: operations["CancelJobController_cancel"];
        options?: never;
        head?: never;
        /**
         * Change Job Priority
         * @description Gives a Queued job another priority (JobPriorityChanged); its aging still counts from when it was queued. Not Queued: 409. The same priority as now changes nothing.
         */
        patch: operations["ChangeJobPriorityController_change"];
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List All Jobs
         * @description Newest first; `summary` counts the whole filtered set.
         */
        get: operations["ListJobsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Job Results
         * @description Outputs of an ended job. format=detailed adds `figures` (every computed figure); format=download streams the primary output. A job still Queued or Running: 409.
         */
        get: operations["GetJobResultsController_results"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/artifacts/{artifactId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an artifact
         * @description The file behind a `downloadUrl` of the results.
         */
        get: operations["GetJobResultsController_artifact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry Failed Job
         * @description Queues a new job (retryOf, attempt + 1) from a Failed or Cancelled one; anything else is 409.
         */
        post: operations["RetryJobController_retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/execution/system/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get System Execution Status
         * @description Nodes, the tenant's queue, performance and resource figures, all measured.
         */
        get: operations["GetSystemStatusController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Job history
         * @description Every event of the job's stream, oldest first; with asOfRevision or asOf also the job as it was then.
         */
        get: operations["GetJobHistoryController_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload an event log (CSV or XES, plain or gzipped) */
        post: operations["UploadDatasetController_upload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/datasets/{datasetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Describe a dataset */
        get: operations["GetDatasetController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/datasets/{datasetId}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a dataset: the uploaded file, or its log as read (Apache Arrow) */
        get: operations["DownloadDatasetController_download"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Store reachable and service up */
        get: operations["HealthController_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up (touches no store) */
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stores reachable and the job projection within READY_MAX_PROJECTION_LAG_SECONDS; 503 with the reasons when not */
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * View Queue
         * @description The project's queued jobs in claim order (each queuePosition is the job's place among every queued job), then those scheduled later, then held ones (no position); counts, measured waits and node capacity.
         */
        get: operations["GetQueueController_view"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Pause or Resume the Queue
         * @description Paused: claims skip every job of the project (submits still queue; running jobs keep running). Active: its jobs are claimed again, in their old places. Setting the status it has changes nothing.
         */
        patch: operations["ChangeQueueStatusController_change"];
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/hold": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hold Job
         * @description Puts a Queued job on hold (JobHeld): it stays Queued, every claim skips it and it has no queue position until released. Not Queued: 409; holding a held job changes nothing.
         */
        post: operations["HoldJobController_hold"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Release Job
         * @description Releases a held job (JobReleased) back to its old place in the queue: its queuedAt is kept. Not Queued: 409; releasing a job that is not held changes nothing.
         */
        post: operations["ReleaseJobController_release"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a process model (PNML or BPMN) to check conformance against */
        post: operations["UploadProcessModelController_upload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/models/{modelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Describe an uploaded process model */
        get: operations["GetProcessModelController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the job lifecycle as an event log
         * @description The project's job events as OCEL 2.0 JSON (objects: job, node, dataset, retry chain) or as XES (one trace per job), optionally within from/to.
         */
        get: operations["ExportEventsController_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's event feed
         * @description SSE (Accept: text/event-stream): catch-up from `from` or Last-Event-ID, then live, with heartbeats. NDJSON (Accept: application/x-ndjson): one page, the next position in X-Next-Position.
         */
        get: operations["FollowEventsController_projectEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One job's event feed
         * @description As the project's feed, for one job; the SSE stream ends after the job's Completed, Failed or Cancelled event.
         */
        get: operations["FollowEventsController_jobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/job/{jobId}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Job Execution Logs
         * @description What the job did, line by line: loading, stages, data-quality warnings, errors, measured rates, and its node's claim and outcome. `logsSummary` counts the whole log; `logs` are the lines passing the filters, oldest first. format=raw answers plain text, one line each. With Accept: text/event-stream the lines of `level` and above follow live, one SSE message each (id: the line id; resume with Last-Event-ID), until the job has ended and its last line was sent.
         */
        get: operations["GetJobLogsController_logs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/projections/{name}/rebuild": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rebuild a read model (blue/green)
         * @description Folds every event from position 0 into a fresh copy while the API keeps serving the live read model, then switches to it at once and drops the old one. Answers once the rebuild runs; follow it with GET /api/admin/projections.
         */
        post: operations["RebuildProjectionController_rebuild"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/projections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Projections and rebuilds
         * @description Each projection's checkpoint, lag and leader, and the rebuild in progress.
         */
        get: operations["ListProjectionsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dashboard/local-sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether this browser may sign in locally
         * @description Embedded store and a request from this machine only.
         */
        get: operations["LocalSignInController_availability"];
        put?: never;
        /**
         * Mint a token for a local user
         * @description Embedded store only (else 404), from this machine only (else 403).
         */
        post: operations["LocalSignInController_signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/async/operation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start an async operation
         * @description Runs a long-running operation as a job, with signed callbacks and an own retry policy; track it at trackingUrl (also the Location header).
         */
        post: operations["StartOperationController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/async/operation/{operationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Track an async operation
         * @description Its status (following retries to the current attempt), progress, attempts and result links.
         */
        get: operations["GetOperationController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Schedules
         * @description The project's schedules with their next fire times and recent firings.
         */
        get: operations["ListSchedulesController_list"];
        put?: never;
        /**
         * Create Recurring Schedule
         * @description Submits jobTemplate at each fire time of a cron expression or an interval.
         */
        post: operations["CreateScheduleController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{tenantId}/{projectId}/execution/schedules/{scheduleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Schedule
         * @description One schedule with its next fire times, last firing and recent firings.
         */
        get: operations["GetScheduleController_get"];
        put?: never;
        post?: never;
        /**
         * Delete a Schedule
         * @description Stops future firings; jobs already submitted are untouched.
         */
        delete: operations["DeleteScheduleController_remove"];
        options?: never;
        head?: never;
        /**
         * Change, Pause or Resume a Schedule
         * @description Any field of the schedule, validated as on create; paused: true|false.
         */
        patch: operations["ChangeScheduleController_change"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        JobResourceDto: {
            /** @example Pipeline */
            resourceType: string;
            /** @example 770e8400-e29b-41d4-a716-446655440000 */
            resourceId: string;
            /** @example Customer Analytics Pipeline */
            resourceName?: string;
        };
        TimeWindowDto: {
            /**
             * @description A date or an ISO 8601 time; events before it are left out
             * @example 2024-01-01
             */
            startDate?: string;
            /**
             * @description A date (the end of that day) or an ISO 8601 time
             * @example 2024-01-07
             */
            endDate?: string;
            /**
             * @description Keep the events within it, or the cases contained in it or intersecting it
             * @default events
             * @enum {string}
             */
            mode?: "events" | "contained" | "intersecting";
        };
        QualityChecksDto: {
            validateTimestamps?: boolean;
            /** @description false keeps exact repeats (duplicatesRemoved 0) */
            checkDuplicates?: boolean;
            validateActivities?: boolean;
        };
        InlineProcessModelDto: {
            /** @enum {string} */
            format: "pnml" | "bpmn";
            /** @description The PNML or BPMN XML */
            content: string;
        };
        DiscoveryOptionsDto: {
            /** @enum {string} */
            algorithm?: "inductive" | "inductive-infrequent";
            noiseThreshold?: number;
        };
        JobParametersDto: {
            /**
             * Format: uuid
             * @description The uploaded event log the job reads
             */
            datasetId?: string;
            /**
             * @description ProcessMining: comprehensive, discovery, performance, conformance; Analysis: statistics, variants, performance, bottlenecks, conformance, resources, discovery
             * @enum {string}
             */
            analysisType?: "comprehensive" | "discovery" | "performance" | "conformance" | "statistics" | "variants" | "bottlenecks" | "resources";
            timeWindow?: components["schemas"]["TimeWindowDto"];
            /** @enum {string} */
            eventClassifier?: "activity" | "activity+lifecycle" | "activity-instances";
            includeAnomalyDetection?: boolean;
            includeProcessVariants?: boolean;
            generateInsights?: boolean;
            /** @enum {string} */
            outputFormat?: "detailed_report" | "summary_report";
            performanceMetrics?: ("cycle_time" | "waiting_time" | "resource_utilization")[];
            qualityChecks?: components["schemas"]["QualityChecksDto"];
            /** @description Conformance: the activities in their expected order */
            expectedPath?: string[];
            allowedStartActivities?: string[];
            allowedEndActivities?: string[];
            /**
             * Format: uuid
             * @description Conformance: an uploaded process model
             */
            modelId?: string;
            /** @description Conformance: a process model given inline */
            model?: components["schemas"]["InlineProcessModelDto"];
            discovery?: components["schemas"]["DiscoveryOptionsDto"];
            /** @description DataEnrichment: the columns to add */
            enrichments?: ("caseDuration" | "variant" | "rework" | "anomalies" | "timeSincePrevious")[];
            /** @description Notebook: filters and calculators, in order; each cell has the options of its type */
            cells?: ({
                /** @enum {string} */
                type: "filter.timeWindow" | "filter.attribute" | "filter.variant" | "filter.activityPresent" | "filter.activityAbsent" | "calc.caseCount" | "calc.durationStatistics" | "calc.activityFrequency" | "calc.dfg" | "calc.variantTable";
            } & {
                [key: string]: unknown;
            })[];
            /** @description Retry option */
            retryFailedRecords?: boolean;
            /** @description Retry option */
            increaseMemoryLimit?: boolean;
        };
        JobSchedulingDto: {
            /** @default true */
            executeImmediately?: boolean;
            /**
             * Format: date-time
             * @description ISO 8601; the job is not started before it
             * @example null
             */
            scheduledTime?: string | null;
            /** @default 120 */
            timeoutMinutes?: number;
            /** @description Attempts in all, automatic retries of retryable failures included (default MAX_ATTEMPTS, 3); 1 = never retried automatically */
            maxAttempts?: number;
        };
        JobNotificationsDto: {
            /** @default false */
            onCompletion?: boolean;
            /** @default false */
            onFailure?: boolean;
            /**
             * @example [
             *       "analyst@company.com"
             *     ]
             */
            emailRecipients?: string[];
            /**
             * @description E-mail the recipients when the job is cancelled
             * @default false
             */
            onCancellation?: boolean;
            /**
             * @description Receivers of job.completed, job.failed and job.cancelled, signed per Standard Webhooks when a secret (whsec_<base64>) is given
             * @example [
             *       {
             *         "url": "https://hooks.company.com/jobs",
             *         "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
             *       }
             *     ]
             */
            webhooks?: {
                url: string;
                secret?: string;
            }[];
        };
        RetryPolicyDto: {
            /** @description Automatic retries after the first attempt (default MAX_ATTEMPTS − 1, or scheduling.maxAttempts − 1) */
            maxRetries?: number;
            /** @description Seconds from a failure to the first retry (default RETRY_BASE_SECONDS) */
            retryDelay?: number;
            /**
             * @description Each further retry waits this many times longer (capped at a day)
             * @default 2
             */
            backoffMultiplier?: number;
        };
        SubmitJobRequestDto: {
            /** @example Weekly Process Analysis */
            jobName: string;
            /** @example Automated weekly analysis of process performance */
            jobDescription?: string;
            /** @enum {string} */
            jobType: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            /**
             * @default Normal
             * @enum {string}
             */
            priority?: "Low" | "Normal" | "High" | "Critical";
            resource?: components["schemas"]["JobResourceDto"];
            /**
             * @description Job-type specific; `datasetId` names the uploaded event log the job reads
             * @example {
             *       "datasetId": "880e8400-e29b-41d4-a716-446655440000",
             *       "analysisType": "comprehensive"
             *     }
             */
            parameters: components["schemas"]["JobParametersDto"];
            scheduling?: components["schemas"]["JobSchedulingDto"];
            notifications?: components["schemas"]["JobNotificationsDto"];
            /** @description The job's own automatic-retry back-off (replaces RETRY_BASE_SECONDS and its doubling with jitter) */
            retryPolicy?: components["schemas"]["RetryPolicyDto"];
            /**
             * @description Jobs of this project that must complete first (a pipeline): the job stays Queued, waiting, until all are Completed, and fails if one fails for good or is cancelled
             * @example [
             *       "770e8400-e29b-41d4-a716-446655440001"
             *     ]
             */
            dependsOn?: string[];
        };
        DurationRangeDto: {
            low: number;
            high: number;
        };
        SubmitJobResponseDto: {
            /** Format: uuid */
            jobId: string;
            /** @enum {string} */
            status: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            /** @description 1-based place in claim order; null once the job left the queue */
            queuePosition: number | null;
            /**
             * Format: date-time
             * @description From live capacity and recent durations; null without history
             */
            estimatedStartTime: string | null;
            /**
             * @description Interquartile range of recent durations of this job type
             * @example 45-60 minutes
             */
            estimatedDuration: string | null;
            estimatedDurationSeconds: components["schemas"]["DurationRangeDto"] | null;
            jobName: string;
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            /** Format: date-time */
            dateSubmitted: string;
            submittedBy: string;
            /** Format: uuid */
            retryOf?: string | null;
            attempt: number;
            /** Format: date-time */
            scheduledTime: string | null;
            /** @description The dependencies a Queued job still waits for (no claim takes it until this is empty); [] once all completed; null for a job without dependencies */
            waitingFor: string[] | null;
        };
        FieldErrorDto: {
            /** @example priority */
            field: string;
            /** @example priority must be one of: Low, Normal, High, Critical */
            message: string;
        };
        ApiErrorDto: {
            /** @example 400 */
            statusCode: number;
            /** @example Bad Request */
            error: string;
            /** @example Validation failed */
            message: string;
            errors?: components["schemas"]["FieldErrorDto"][];
        };
        JobProgressDto: {
            /** @example 65 */
            percentage: number;
            /** @example Discovering */
            currentStage: string;
            /**
             * Format: date-time
             * @description Extrapolated from measured progress
             */
            estimatedCompletion: string | null;
            /** @example 8 minutes 32 seconds */
            elapsedTime: string | null;
            /** @example 512 */
            elapsedSeconds: number | null;
            estimatedRemainingSeconds: number | null;
        };
        JobResourceViewDto: {
            resourceType: string;
            resourceId: string;
            resourceName: string | null;
        };
        JobExecutionViewDto: {
            /** Format: date-time */
            startTime: string | null;
            /** Format: date-time */
            endTime: string | null;
            submittedBy: string;
            executionNode: string | null;
            /** @example 2.1 GB */
            memoryUsage: string | null;
            memoryBytes: number | null;
            peakMemoryBytes: number | null;
            /** @example 45% */
            cpuUsage: string | null;
            cpuPercent: number | null;
            /** @example 890 MB */
            diskUsage: string | null;
            diskBytes: number | null;
        };
        JobMetricsDto: {
            recordsProcessed: number;
            totalRecords: number | null;
            errorCount: number;
            warningCount: number;
            /** @example 1250 records/second */
            averageProcessingRate: string | null;
            recordsPerSecond: number | null;
        };
        JobSchedulingViewDto: {
            executeImmediately: boolean;
            /**
             * Format: date-time
             * @description The job is not started before it; null: as soon as a node is free
             */
            scheduledTime: string | null;
            timeoutMinutes: number;
            /** @description Attempts in all, automatic retries included */
            maxAttempts: number;
        };
        JobWebhookViewDto: {
            /** Format: uri */
            url: string;
            /** @description Messages to it are signed (a secret was given) */
            secretSet: boolean;
        };
        NotificationDeliveryAttemptDto: {
            /** Format: date-time */
            at: string;
            durationMs: number;
            /** @description The receiver's HTTP status; null when none came back, and for e-mails */
            responseStatus: number | null;
            error: string | null;
        };
        NotificationDeliveryViewDto: {
            /** @enum {string} */
            channel: "email" | "webhook";
            /** @description The webhook URL; null for an e-mail */
            target: string | null;
            /** @description E-mail: how many recipients */
            recipientCount: number | null;
            /** @description Webhook: signed per Standard Webhooks */
            signed: boolean | null;
            /** @enum {string} */
            event: "job.completed" | "job.failed" | "job.cancelled";
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** Format: date-time */
            deliveredAt: string | null;
            /** Format: date-time */
            lastAttemptAt: string | null;
            lastResponseStatus: number | null;
            lastError: string | null;
            /** Format: date-time */
            nextAttemptAt: string | null;
            attemptLog: components["schemas"]["NotificationDeliveryAttemptDto"][];
        };
        JobNotificationsViewDto: {
            onCompletion: boolean;
            onFailure: boolean;
            onCancellation: boolean;
            emailRecipients: string[];
            webhooks: components["schemas"]["JobWebhookViewDto"][];
            /** @description Get Job Status, once the job has ended with recipients or webhooks */
            deliveries?: components["schemas"]["NotificationDeliveryViewDto"][];
        };
        JobCancellationViewDto: {
            /** Format: date-time */
            requestedAt: string;
            reason: string | null;
            forceTermination: boolean;
            preservePartialResults: boolean;
        };
        JobErrorDto: {
            /** @example Timeout */
            type: string;
            message: string;
        };
        JobFailureDto: {
            errorType: string;
            message: string;
            /** @enum {string} */
            category: "NodeLost" | "Timeout" | "TransientIO" | "RunnerCrashed" | "InvalidParameters" | "DatasetUnreadable" | "EngineError" | "DependencyFailed";
            /** @description Running the job again may succeed (automatic retries act on it) */
            retryable: boolean;
        };
        JobHoldDto: {
            heldBy: string;
            /** Format: date-time */
            heldAt: string;
            reason: string | null;
        };
        NotificationDeliveryDto: {
            /** @enum {string} */
            kind: "completed" | "failed";
            /** @enum {string} */
            status: "pending" | "sent" | "failed";
            recipients: string[];
            attempts: number;
            /** Format: date-time */
            sentAt: string | null;
            lastError: string | null;
        };
        JobStatusDto: {
            /** Format: uuid */
            jobId: string;
            /** Format: uuid */
            projectId: string;
            /** @enum {string} */
            jobType: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            jobName: string;
            jobDescription: string | null;
            /** @enum {string} */
            status: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            progress: components["schemas"]["JobProgressDto"];
            resource: components["schemas"]["JobResourceViewDto"] | null;
            execution: components["schemas"]["JobExecutionViewDto"];
            metrics: components["schemas"]["JobMetricsDto"];
            scheduling: components["schemas"]["JobSchedulingViewDto"];
            notifications: components["schemas"]["JobNotificationsViewDto"];
            parameters: components["schemas"]["JobParametersDto"];
            /** Format: uuid */
            retryOf: string | null;
            attempt: number;
            /** Format: uuid */
            retriedBy: string | null;
            /**
             * Format: uuid
             * @description The recurring schedule that submitted the job
             */
            scheduleId: string | null;
            /**
             * Format: date-time
             * @description The schedule's fire time this job is for
             */
            scheduleFireTime: string | null;
            cancellation: components["schemas"]["JobCancellationViewDto"] | null;
            error: components["schemas"]["JobErrorDto"] | null;
            failure: components["schemas"]["JobFailureDto"] | null;
            /**
             * Format: date-time
             * @description When the automatic retry is due
             */
            nextRetryAt: string | null;
            /** @description The job that retried this one */
            retriedAs: string | null;
            /** @description The last allowed attempt failed retryably */
            deadLettered: boolean;
            deadLetterReason: string | null;
            /** @description Set while a Queued job is on hold: claims skip it */
            hold: components["schemas"]["JobHoldDto"] | null;
            /** @description The jobs this one was submitted to wait for (a pipeline); null for a job without dependencies */
            dependsOn: string[] | null;
            /** @description The dependencies a Queued job still waits for (no claim takes it until this is empty); [] once all completed; null for a job without dependencies */
            waitingFor: string[] | null;
            /** @description Get Job Status: place in claim order while Queued; null when held, its queue paused, or not queued */
            queuePosition?: number | null;
            /** Format: date-time */
            dateCreated: string;
            /** Format: date-time */
            lastUpdated: string;
            /** @description Ended jobs with email recipients: how their notifications went */
            notificationDelivery?: components["schemas"]["NotificationDeliveryDto"][];
            /**
             * Format: date-time
             * @description Get Job Status with asOf: the time the job is shown at
             */
            asOf?: string;
            /** @description Get Job Status with asOf or asOfRevision: the last revision folded in */
            asOfRevision?: number;
        };
        JobListItemDto: {
            /** Format: uuid */
            jobId: string;
            /** @enum {string} */
            jobType: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            jobName: string;
            /** @enum {string} */
            status: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            /** @example 65 */
            progress: number;
            /** Format: date-time */
            startTime: string | null;
            /** Format: date-time */
            endTime: string | null;
            /** @example 23 minutes */
            duration: string | null;
            durationSeconds: number | null;
            /** Format: date-time */
            estimatedCompletion: string | null;
            submittedBy: string;
            resourceName: string | null;
            /** Format: date-time */
            dateCreated: string;
            /** Format: uuid */
            retryOf: string | null;
            attempt: number;
            /** Format: date-time */
            nextRetryAt: string | null;
            retriedAs: string | null;
            deadLettered: boolean;
            /** @description The dependencies a Queued job still waits for (no claim takes it until this is empty); [] once all completed; null for a job without dependencies */
            waitingFor: string[] | null;
        };
        JobListSummaryDto: {
            totalJobs: number;
            runningJobs: number;
            queuedJobs: number;
            completedJobs: number;
            failedJobs: number;
            cancelledJobs: number;
        };
        JobListDto: {
            jobs: components["schemas"]["JobListItemDto"][];
            /** @description Counts over the whole filtered set, not just this page */
            summary: components["schemas"]["JobListSummaryDto"];
            /** @example 1 */
            page: number;
            /** @example 20 */
            pageSize: number;
            hasNextPage: boolean;
        };
        CancelJobRequestDto: {
            /** @example User requested cancellation */
            reason?: string;
            /**
             * @description Kill the running process at once instead of asking it to stop
             * @default false
             */
            forceTermination?: boolean;
            /**
             * @description Keep artifacts written before the stop
             * @default true
             */
            preservePartialResults?: boolean;
        };
        CancelJobResponseDto: {
            /** Format: uuid */
            jobId: string;
            /** Format: uuid */
            projectId: string;
            /** @enum {string} */
            jobType: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            jobName: string;
            jobDescription: string | null;
            /** @enum {string} */
            status: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            progress: components["schemas"]["JobProgressDto"];
            resource: components["schemas"]["JobResourceViewDto"] | null;
            execution: components["schemas"]["JobExecutionViewDto"];
            metrics: components["schemas"]["JobMetricsDto"];
            scheduling: components["schemas"]["JobSchedulingViewDto"];
            notifications: components["schemas"]["JobNotificationsViewDto"];
            parameters: components["schemas"]["JobParametersDto"];
            /** Format: uuid */
            retryOf: string | null;
            attempt: number;
            /** Format: uuid */
            retriedBy: string | null;
            /**
             * Format: uuid
             * @description The recurring schedule that submitted the job
             */
            scheduleId: string | null;
            /**
             * Format: date-time
             * @description The schedule's fire time this job is for
             */
            scheduleFireTime: string | null;
            cancellation: components["schemas"]["JobCancellationViewDto"] | null;
            error: components["schemas"]["JobErrorDto"] | null;
            failure: components["schemas"]["JobFailureDto"] | null;
            /**
             * Format: date-time
             * @description When the automatic retry is due
             */
            nextRetryAt: string | null;
            /** @description The job that retried this one */
            retriedAs: string | null;
            /** @description The last allowed attempt failed retryably */
            deadLettered: boolean;
            deadLetterReason: string | null;
            /** @description Set while a Queued job is on hold: claims skip it */
            hold: components["schemas"]["JobHoldDto"] | null;
            /** @description The jobs this one was submitted to wait for (a pipeline); null for a job without dependencies */
            dependsOn: string[] | null;
            /** @description The dependencies a Queued job still waits for (no claim takes it until this is empty); [] once all completed; null for a job without dependencies */
            waitingFor: string[] | null;
            /** @description Get Job Status: place in claim order while Queued; null when held, its queue paused, or not queued */
            queuePosition?: number | null;
            /** Format: date-time */
            dateCreated: string;
            /** Format: date-time */
            lastUpdated: string;
            /** @description Ended jobs with email recipients: how their notifications went */
            notificationDelivery?: components["schemas"]["NotificationDeliveryDto"][];
            /**
             * Format: date-time
             * @description Get Job Status with asOf: the time the job is shown at
             */
            asOf?: string;
            /** @description Get Job Status with asOf or asOfRevision: the last revision folded in */
            asOfRevision?: number;
            /** @description True while a running job has not yet confirmed it stopped */
            cancellationPending: boolean;
            message: string;
        };
        EventClassifierFiguresDto: {
            /** @enum {string} */
            classifier: "activity" | "activity+lifecycle" | "activity-instances";
            /** @enum {string} */
            basis: "requested" | "default";
            reason: string;
            eventsBefore: number;
            eventsAfter: number;
            /** @description How the lifecycle transitions pair up (see libs/mining/README.md); null when the log has none */
            lifecycle: {
                [key: string]: unknown;
            } | null;
        };
        LogSummaryDto: {
            caseCount: number;
            eventCount: number;
            activityCount: number;
            resourceCount: number;
            /** Format: date-time */
            firstTimestamp: string | null;
            /** Format: date-time */
            lastTimestamp: string | null;
            meanEventsPerCase: number | null;
            hasStartTimestamps: boolean;
        };
        TimeWindowAppliedDto: {
            /** @enum {string} */
            mode: "events" | "contained" | "intersecting";
            /**
             * Format: date-time
             * @description Effective inclusive bound; null: unbounded
             */
            from: string | null;
            /**
             * Format: date-time
             * @description Effective inclusive bound; null: unbounded
             */
            to: string | null;
            casesBefore: number;
            casesAfter: number;
            eventsBefore: number;
            eventsAfter: number;
        };
        JobResultSummaryDto: {
            recordsProcessed: number;
            outputsGenerated: number;
            dataQualityScore: number | null;
            /** @description CPU time / wall time of the job process, percent */
            processingEfficiency: number | null;
        };
        ArtifactDto: {
            /** Format: uuid */
            artifactId: string;
            /** @example ProcessMiningReport */
            type: string;
            title: string;
            /** @example html */
            format: string;
            /** @enum {string} */
            outputType: "reports" | "data" | "models" | "visualizations";
            /** @example 2.3 MB */
            size: string;
            sizeBytes: number;
            recordCount?: number;
            /** @description Measured on a time-ordered holdout */
            accuracy?: number;
            metrics?: {
                [key: string]: number;
            };
            /**
             * Format: uuid
             * @description Dataset registered from this output
             */
            datasetId?: string;
            /** Format: uri */
            downloadUrl: string;
        };
        JobResultOutputsDto: {
            primaryOutput: components["schemas"]["ArtifactDto"] | null;
            additionalOutputs: components["schemas"]["ArtifactDto"][];
        };
        ExecutionMetricsDto: {
            /** @example 38.5 minutes */
            totalCpuTime: string | null;
            totalCpuSeconds: number | null;
            /** @example 3.2 GB */
            peakMemoryUsage: string | null;
            peakMemoryBytes: number | null;
            diskIoOperations: number | null;
            diskBytesWritten: number | null;
            /** @description Not measured (jobs read local files) */
            networkDataTransfer: string | null;
        };
        DataValidationDto: {
            totalRecords: number;
            validRecords: number;
            duplicatesRemoved: number;
            invalidRecords: number;
        };
        CountedIssueDto: {
            /** @example DataQuality */
            type: string;
            /** @example Some timestamps had to be inferred */
            message: string;
            count: number;
        };
        QualityMetricsDto: {
            dataValidation: components["schemas"]["DataValidationDto"] | null;
            processingErrors: components["schemas"]["CountedIssueDto"][];
            warnings: components["schemas"]["CountedIssueDto"][];
        };
        JobResultsDto: {
            /** Format: uuid */
            jobId: string;
            /** @enum {string} */
            status: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            /** Format: date-time */
            completionTime: string | null;
            /** @example 42 minutes */
            totalDuration: string | null;
            totalDurationSeconds: number | null;
            success: boolean;
            error: components["schemas"]["JobErrorDto"] | null;
            summary: components["schemas"]["JobResultSummaryDto"];
            /** @description null when includeArtifacts=false */
            results: components["schemas"]["JobResultOutputsDto"] | null;
            executionMetrics: components["schemas"]["ExecutionMetricsDto"] | null;
            qualityMetrics: components["schemas"]["QualityMetricsDto"];
            /** @description format=detailed: every computed figure (null when the job wrote none); each job type writes the sections it computed */
            figures?: ({
                /** @description ProcessMining and Analysis: the analysis run */
                analysisType?: string;
                eventClassifier?: components["schemas"]["EventClassifierFiguresDto"];
                /** @description The time window the job was limited to, and what it kept */
                timeWindow?: components["schemas"]["TimeWindowAppliedDto"];
                summary?: components["schemas"]["LogSummaryDto"] | null;
                /** @description Every job type: what the ingest found */
                quality?: {
                    dataQualityScore: number;
                    dataValidation: components["schemas"]["DataValidationDto"];
                    warnings: components["schemas"]["CountedIssueDto"][];
                    processingErrors: components["schemas"]["CountedIssueDto"][];
                    /** @description Which source column became case, activity, timestamp, … */
                    columnMapping?: {
                        [key: string]: unknown;
                    };
                    sourceColumns?: string[];
                    duplicates?: {
                        checkDuplicates: boolean;
                        exactRepeats: number;
                        removed: number;
                    };
                };
                /** @description ProcessMining: which analyses were switched on */
                analyses?: {
                    includeAnomalyDetection: boolean;
                    includeProcessVariants: boolean;
                    generateInsights: boolean;
                    performanceMetrics: string[];
                };
                activityStatistics?: {
                    activities: {
                        activity: string;
                        eventFrequency: number;
                        caseFrequency: number;
                        startCount: number;
                        endCount: number;
                    }[];
                    startActivities: {
                        activity: string;
                        count: number;
                    }[];
                    endActivities: {
                        activity: string;
                        count: number;
                    }[];
                };
                dfg?: {
                    nodes: {
                        activity: string;
                        count: number;
                    }[];
                    edges: {
                        source: string;
                        target: string;
                        count: number;
                        performance: {
                            count: number;
                            meanSeconds: number;
                            medianSeconds: number;
                            minSeconds: number;
                            maxSeconds: number;
                            stdevSeconds: number | null;
                        };
                    }[];
                    startEdges: {
                        activity: string;
                        count: number;
                    }[];
                    endEdges: {
                        activity: string;
                        count: number;
                    }[];
                };
                /** @description DataEnrichment: the count alone */
                variants?: {
                    variantCount: number;
                    variants?: {
                        id: string;
                        activities: string[];
                        caseCount: number;
                        coveragePercent: number;
                        cumulativeCoveragePercent: number;
                        meanDurationSeconds: number;
                    }[];
                };
                /** @description Only the requested metrics */
                performance?: {
                    cycleTime?: {
                        /** @enum {string} */
                        basis: "start" | "completion";
                        caseCount: number;
                        meanSeconds: number | null;
                        medianSeconds: number | null;
                        p90Seconds: number | null;
                        minSeconds: number | null;
                        maxSeconds: number | null;
                    };
                    waitingTime?: {
                        approximation: boolean;
                        definition: string;
                        perActivity: {
                            activity: string;
                            count: number;
                            meanSeconds: number;
                            medianSeconds: number;
                            maxSeconds: number;
                        }[];
                    };
                    serviceTime?: {
                        definition: string;
                        perActivity: {
                            activity: string;
                            count: number;
                            meanSeconds: number;
                            medianSeconds: number;
                            p90Seconds: number;
                            maxSeconds: number;
                        }[];
                    } | null;
                    resourceUtilization?: {
                        resources: {
                            resource: string;
                            eventCount: number;
                            caseCount: number;
                            eventSharePercent: number;
                            /** Format: date-time */
                            firstTimestamp: string;
                            /** Format: date-time */
                            lastTimestamp: string;
                            activeSpanSeconds: number;
                        }[];
                        eventsWithoutResource: number;
                        handovers: {
                            from: string;
                            to: string;
                            count: number;
                        }[];
                    };
                };
                /** @description DataEnrichment: the counts alone */
                rework?: {
                    reworkCaseCount: number;
                    reworkCasePercent: number | null;
                    perActivity?: {
                        activity: string;
                        caseCount: number;
                        extraOccurrences: number;
                    }[];
                };
                /** @description null unless anomaly detection ran; DataEnrichment: the counts alone */
                anomalies?: {
                    anomalousCaseCount: number;
                    countsByKind: {
                        case_duration_outlier: number;
                        rare_variant: number;
                        rework: number;
                        unexpected_start_activity: number;
                        unexpected_end_activity: number;
                    };
                    anomalies?: {
                        caseId: string;
                        /** @enum {string} */
                        kind: "case_duration_outlier" | "rare_variant" | "rework" | "unexpected_start_activity" | "unexpected_end_activity";
                        reason: string;
                    }[];
                    caseDurationFences?: {
                        quantileMethod: string;
                        q1Seconds: number;
                        q3Seconds: number;
                        iqrSeconds: number;
                        lowerFenceSeconds: number;
                        upperFenceSeconds: number;
                    } | null;
                    rareVariants?: {
                        applied: boolean;
                        thresholdPercent: number;
                        note: string;
                    };
                    expectedStartActivities?: string[];
                    expectedEndActivities?: string[];
                    /** @enum {string} */
                    startEndBasis?: "explicit" | "inferred";
                } | null;
                /** @description null unless insights were generated */
                insights?: {
                    /** @enum {string} */
                    kind: "bottleneck" | "top_variants" | "rework_hotspot" | "slow_activity";
                    message: string;
                    figures: {
                        [key: string]: number | string;
                    };
                }[] | null;
                /** @description ProcessMining: the map as drawn */
                processMap?: {
                    nodes: {
                        activity: string;
                        frequency: number;
                        caseFrequency: number;
                        startCount: number;
                        endCount: number;
                        serviceTime: {
                            count: number;
                            meanSeconds: number;
                            medianSeconds: number;
                        } | null;
                    }[];
                    edges: {
                        source: string;
                        target: string;
                        count: number;
                        meanSeconds: number;
                        medianSeconds: number;
                    }[];
                    startEdges: {
                        activity: string;
                        count: number;
                    }[];
                    endEdges: {
                        activity: string;
                        count: number;
                    }[];
                    totalActivities: number;
                    totalEdges: number;
                    droppedActivities: number;
                    droppedEdges: number;
                };
                /** @description The discovered model (see libs/mining/README.md, Process discovery) */
                processModel?: {
                    algorithm: string;
                    noiseThreshold: number;
                    /** @description The process tree: {kind: activity, label} | {kind: tau} | {kind: operator, operator, children} */
                    tree: {
                        [key: string]: unknown;
                    };
                    treeText: string;
                    treeNodes: number;
                    places: number;
                    transitions: number;
                    silentTransitions: number;
                    arcs: number;
                    sound: boolean;
                    /** @description Sound by construction: a process tree's net is not explored */
                    soundness: {
                        /** @enum {string} */
                        basis: "construction";
                        workflowNet: boolean;
                        reachableMarkings: number | null;
                        stateCapReached: boolean;
                        maxStates: number | null;
                        deadTransitions: string[];
                        problems: string[];
                    };
                    variantsMined: number;
                    casesMined: number;
                };
                /** @description mode model: against a Petri net or BPMN model; expectedPath: against a path (see libs/mining/README.md) */
                conformance?: {
                    /** @enum {string} */
                    mode: "model";
                    model: {
                        /** @enum {string} */
                        source: "inline" | "upload" | "discovered";
                        /** @enum {string|null} */
                        format: "pnml" | "bpmn" | null;
                        places: number;
                        transitions: number;
                        modelId?: string;
                        name?: string;
                    };
                    caseCount: number;
                    tokenReplay: {
                        logFitness: number | null;
                        averageTraceFitness: number | null;
                        fittingTraces: number;
                        fittingTracePercent: number | null;
                        missing: number;
                        remaining: number;
                        consumed: number;
                        produced: number;
                    };
                    alignments: {
                        fitness: number | null;
                        averageTraceFitness: number | null;
                        computedTraces: number;
                        skippedTraces: number;
                        reason: string | null;
                    };
                    precision: number | null;
                    deviations: {
                        perActivity: {
                            activity: string;
                            inModel: boolean;
                            logMoves: number | null;
                            modelMoves: number | null;
                            forcedFirings: number;
                            eventsNotInModel: number;
                        }[];
                        cases: {
                            variantId: string;
                            caseCount: number;
                            exampleCaseIds: string[];
                            activities: string[];
                            tokenReplay: {
                                fitness: number;
                                missing: number;
                                remaining: number;
                                consumed: number;
                                produced: number;
                            };
                            alignmentFitness: number | null;
                            logMoves: string[] | null;
                            modelMoves: string[] | null;
                        }[];
                        deviatingVariants: number;
                        deviatingCases: number;
                    };
                } | {
                    /** @enum {string} */
                    mode: "expectedPath";
                    basis: string;
                    model: {
                        expectedPath?: string[];
                        allowedStartActivities?: string[];
                        allowedEndActivities?: string[];
                    };
                    caseCount: number;
                    conformingCaseCount: number;
                    conformingCasePercent: number;
                    meanFitness: number | null;
                    meanViolationsPerCase: number;
                    casesWithInvalidStart: number;
                    casesWithInvalidEnd: number;
                    skippedActivities: {
                        activity: string;
                        count: number;
                    }[];
                    unexpectedActivities: {
                        activity: string;
                        count: number;
                    }[];
                    violationsPerCaseDistribution: {
                        violations: number;
                        caseCount: number;
                    }[];
                    variants: {
                        variantId: string;
                        caseCount: number;
                        activities: string[];
                        conforming: boolean;
                        fitness: number | null;
                        violationCount: number;
                        skippedActivities: string[];
                        unexpectedActivities: string[];
                        invalidStart: boolean;
                        invalidEnd: boolean;
                    }[];
                };
                /** @description ProcessMining: the prediction model; null when none was trained */
                model?: {
                    accuracy: number | null;
                    metrics: {
                        [key: string]: unknown;
                    };
                    trainingCases: number;
                    holdoutCases: number;
                    note?: string | null;
                } | null;
                enrichedDataset?: {
                    addedColumns: string[];
                };
                /** @description Bytes per artifact file */
                artifactSizes?: {
                    [key: string]: number;
                };
                /** @description Analysis statistics */
                timeSpan?: {
                    /** Format: date-time */
                    firstTimestamp: string | null;
                    /** Format: date-time */
                    lastTimestamp: string | null;
                    spanSeconds: number | null;
                };
                /** @description Analysis statistics */
                eventsPerActivity?: {
                    activity: string;
                    count: number;
                }[];
                /** @description Analysis bottlenecks */
                bottlenecks?: {
                    slowestTransitions: {
                        source: string;
                        target: string;
                        count: number;
                        performance: {
                            count: number;
                            meanSeconds: number;
                            medianSeconds: number;
                            minSeconds: number;
                            maxSeconds: number;
                            stdevSeconds: number | null;
                        };
                    }[];
                    waitingTime: {
                        approximation: boolean;
                        definition: string;
                        perActivity: {
                            activity: string;
                            count: number;
                            meanSeconds: number;
                            medianSeconds: number;
                            maxSeconds: number;
                        }[];
                    } | null;
                    serviceTime: {
                        definition: string;
                        perActivity: {
                            activity: string;
                            count: number;
                            meanSeconds: number;
                            medianSeconds: number;
                            p90Seconds: number;
                            maxSeconds: number;
                        }[];
                    } | null;
                    insights: {
                        /** @enum {string} */
                        kind: "bottleneck" | "top_variants" | "rework_hotspot" | "slow_activity";
                        message: string;
                        figures: {
                            [key: string]: number | string;
                        };
                    }[];
                };
                /** @description Analysis resources */
                resources?: {
                    resources: {
                        resource: string;
                        eventCount: number;
                        caseCount: number;
                        eventSharePercent: number;
                        /** Format: date-time */
                        firstTimestamp: string;
                        /** Format: date-time */
                        lastTimestamp: string;
                        activeSpanSeconds: number;
                    }[];
                    eventsWithoutResource: number;
                    handovers: {
                        from: string;
                        to: string;
                        count: number;
                    }[];
                };
                /** @description DataEnrichment: the columns written */
                enrichment?: {
                    enrichments: string[];
                    columns: string[];
                    addedColumns: string[];
                    rowCount: number;
                };
                /** @description Notebook */
                notebook?: {
                    cellCount: number;
                    finalCases: number;
                    finalEvents: number;
                };
                /** @description Notebook: each cell in order */
                cells?: {
                    index: number;
                    type: string;
                    title: string;
                    /** @enum {string} */
                    kind: "filter" | "calculator";
                    input: {
                        cases: number;
                        events: number;
                    };
                    output: {
                        cases: number;
                        events: number;
                    };
                    /** @description Calculator value or filter effect */
                    result: {
                        [key: string]: unknown;
                    };
                    table: {
                        columns: string[];
                        rows: ((string | number) | null)[][];
                    };
                    durationMs: number;
                }[];
            } & {
                [key: string]: unknown;
            }) | null;
        };
        RetryJobRequestDto: {
            /** @example Infrastructure issue resolved */
            retryReason?: string;
            /**
             * @description Apply updatedParameters to the retried job
             * @default false
             */
            modifyParameters?: boolean;
            /**
             * @description Merged into the job parameters; `timeoutMinutes` sets the new timeout
             * @example {
             *       "timeoutMinutes": 180,
             *       "retryFailedRecords": true,
             *       "increaseMemoryLimit": true
             *     }
             */
            updatedParameters?: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            priority?: "Low" | "Normal" | "High" | "Critical";
            /**
             * @description Start as soon as a node is free, ignoring the original scheduled time
             * @default false
             */
            immediateExecution?: boolean;
        };
        ExecutionNodeDto: {
            nodeId: string;
            /** @enum {string} */
            status: "Active" | "Draining" | "Unresponsive";
            /** @description percent of the node machine, measured */
            cpuUsage: number;
            /** @description percent of the node machine, measured */
            memoryUsage: number | null;
            activeJobs: number;
            jobCapacity: number;
            cpuCores: number;
            memoryUsedBytes: number;
            memoryTotalBytes: number;
            /** Format: date-time */
            lastHeartbeat: string;
        };
        QueueStatisticsDto: {
            totalQueuedJobs: number;
            criticalPriorityJobs: number;
            highPriorityJobs: number;
            normalPriorityJobs: number;
            lowPriorityJobs: number;
            /** @example 4.2 minutes */
            averageWaitTime: string | null;
            averageWaitSeconds: number | null;
            /** @example 23 minutes */
            estimatedProcessingTime: string | null;
            estimatedProcessingSeconds: number | null;
            /** @description The tenant's dead-lettered jobs (last allowed attempt failed retryably) */
            deadLetteredJobs: number;
        };
        PerformanceMetricsDto: {
            jobsCompletedToday: number;
            jobsFailedToday: number;
            /** @example 18.5 minutes */
            averageJobDuration: string | null;
            averageJobDurationSeconds: number | null;
            /** @example 97.8 */
            successRate: number | null;
            /** @example 35.2 */
            throughputPerHour: number;
        };
        ResourceUtilizationDto: {
            /** @description cores × 100 over live nodes */
            totalCpuCapacity: number;
            usedCpuCapacity: number;
            /** @example 64 GB */
            totalMemoryCapacity: string;
            totalMemoryBytes: number;
            /** @example 38.4 GB */
            usedMemoryCapacity: string;
            usedMemoryBytes: number;
            /** @example 2.3 TB */
            diskSpaceAvailable: string | null;
            diskSpaceAvailableBytes: number | null;
        };
        RebuildStateDto: {
            /** @example job_views */
            projection: string;
            /**
             * @description copying: folding events into the fresh copy while the API serves the live read model; switching: writers held off for the last events and the swap; switched: the copy is the live read model; running elsewhere: another process rebuilds (only its name is known here)
             * @enum {string}
             */
            phase: "copying" | "switching" | "switched" | "failed" | "running elsewhere";
            /** Format: date-time */
            startedAt?: string;
            /** Format: date-time */
            finishedAt?: string | null;
            /** @description Events read into the copy so far */
            eventsFolded?: number;
            /** @description Job events that changed a document of the copy */
            jobEventsFolded?: number;
            error?: string | null;
            /** @description The process running it (phase "running elsewhere") */
            runningIn?: string;
        };
        ProjectionStatusDto: {
            /** @example job_views */
            name: string;
            /**
             * @description Every event before this global position (transaction/sequence) is in the read model
             * @example 7431/12
             */
            checkpoint: string;
            /** @description Events after the checkpoint, counted up to 10000 (a larger lag shows as 10000); null when unknown */
            lagEvents: number | null;
            /** @description Age in seconds of the oldest event after the checkpoint; 0 when caught up; null when unknown */
            lagSeconds: number | null;
            /** @description The process (NODE_ID) leading the projection; null when none does right now */
            leader: string | null;
            rebuilding: components["schemas"]["RebuildStateDto"] | null;
        };
        SystemStatusDto: {
            /** @enum {string} */
            systemStatus: "Healthy" | "Degraded" | "Unhealthy";
            /** Format: date-time */
            timestamp: string;
            executionNodes: components["schemas"]["ExecutionNodeDto"][];
            queueStatistics: components["schemas"]["QueueStatisticsDto"];
            performanceMetrics: components["schemas"]["PerformanceMetricsDto"];
            resourceUtilization: components["schemas"]["ResourceUtilizationDto"];
            /** @description Each read model's projection: checkpoint, lag, leader and a rebuild in progress */
            projections: components["schemas"]["ProjectionStatusDto"][];
        };
        EventMetadataDto: {
            /** Format: uuid */
            tenantId: string;
            /** Format: uuid */
            projectId: string;
            /** @description Who caused it: the token subject, or the service role (e.g. supervisor) */
            actor: string;
            correlationId: string;
            causationId: string;
            /** Format: date-time */
            occurredAt: string;
        };
        JobHistoryDto: {
            /** Format: uuid */
            jobId: string;
            /** @example job-cc0e8400-e29b-41d4-a716-446655440000 */
            streamId: string;
            eventCount: number;
            /** @description Every event of the stream, oldest first; `type` tells which `data` it carries */
            events: (components["schemas"]["JobSubmittedEventDto"] | components["schemas"]["JobStartedEventDto"] | components["schemas"]["JobProgressedEventDto"] | components["schemas"]["JobCompletedEventDto"] | components["schemas"]["JobFailedEventDto"] | components["schemas"]["JobCancellationRequestedEventDto"] | components["schemas"]["JobCancelledEventDto"] | components["schemas"]["JobRetriedEventDto"] | components["schemas"]["JobRequeuedEventDto"] | components["schemas"]["JobPriorityChangedEventDto"] | components["schemas"]["JobHeldEventDto"] | components["schemas"]["JobReleasedEventDto"] | components["schemas"]["JobRetryScheduledEventDto"] | components["schemas"]["JobDeadLetteredEventDto"] | components["schemas"]["JobDependencyMetEventDto"] | components["schemas"]["JobDependencyRetriedEventDto"])[];
            asOfRevision?: number;
            jobAsOfRevision?: components["schemas"]["JobStatusDto"];
        };
        DatasetDto: {
            /** Format: uuid */
            datasetId: string;
            name: string;
            /** @enum {string} */
            format: "csv" | "csv.gz" | "xes" | "xes.gz";
            /** @example 1.2 MB */
            size: string;
            sizeBytes: number;
            /** @description Source records (CSV rows or XES events) */
            rowCount: number;
            columns: string[];
            columnMapping: {
                [key: string]: string;
            };
            cases: number;
            events: number;
            activities: number;
            dataQualityScore: number;
            dataValidation: {
                [key: string]: number;
            };
            warnings: components["schemas"]["CountedIssueDto"][];
            sourceJobId: string | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        QueuePauseDto: {
            pausedBy: string;
            /** Format: date-time */
            pausedAt: string;
            reason: string | null;
        };
        QueueSummaryDto: {
            totalQueuedJobs: number;
            criticalPriorityJobs: number;
            highPriorityJobs: number;
            normalPriorityJobs: number;
            lowPriorityJobs: number;
            /** @description Queued jobs no claim takes: on hold or waiting for dependencies (counted in the totals above) */
            heldJobs: number;
            /** @description Of the held jobs, those waiting for dependencies (a pipeline) */
            waitingJobs: number;
            /**
             * @description Mean measured wait of the project's jobs started in the last 24 h
             * @example 8.5 minutes
             */
            averageWaitTime: string | null;
            averageWaitSeconds: number | null;
            /**
             * @description Jobs not on hold × mean duration (7 days) / live job slots
             * @example 47 minutes
             */
            estimatedProcessingTime: string | null;
            estimatedProcessingSeconds: number | null;
        };
        ProcessingCapacityDto: {
            /** @description Live nodes taking new jobs */
            activeWorkers: number;
            /** @description Every node with a heartbeat on record */
            totalWorkers: number;
            /**
             * @description currentlyRunning / maxConcurrentJobs, percent
             * @example 75
             */
            currentLoad: number | null;
            /** @description Job slots of the active workers */
            maxConcurrentJobs: number;
            /** @description Jobs the live nodes reported running */
            currentlyRunning: number;
        };
        ResourceRequirementsDto: {
            /**
             * @description Mean CPU time / wall time of past jobs of the type
             * @example 0.95
             */
            cpuUnits: number | null;
            /**
             * @description Mean peak memory of past jobs of the type
             * @example 0.12
             */
            memoryGB: number | null;
            memoryBytes: number | null;
            /**
             * @description Bytes written per record by past jobs × this dataset's records
             * @example 1.2 GB
             */
            estimatedDiskUsage: string | null;
            estimatedDiskBytes: number | null;
            /** @description Completed jobs of the type (7 days) behind the figures */
            basedOnJobs: number;
        };
        QueuedJobDto: {
            /** Format: uuid */
            jobId: string;
            jobName: string;
            /** @enum {string} */
            jobType: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            /** @description Place in claim order among all queued jobs; null when held or the queue is paused */
            queuePosition: number | null;
            /** Format: date-time */
            estimatedStartTime: string | null;
            /** @example 12-15 minutes */
            estimatedDuration: string | null;
            estimatedDurationSeconds: components["schemas"]["DurationRangeDto"] | null;
            submittedBy: string;
            /** Format: date-time */
            dateSubmitted: string;
            /** Format: date-time */
            scheduledTime: string | null;
            hold: components["schemas"]["JobHoldDto"] | null;
            /** @description The dependencies a Queued job still waits for (no claim takes it until this is empty); [] once all completed; null for a job without dependencies */
            waitingFor: string[] | null;
            /** @description null with includeEstimates=false */
            resourceRequirements: components["schemas"]["ResourceRequirementsDto"] | null;
        };
        QueueViewDto: {
            /** @enum {string} */
            queueStatus: "Active" | "Paused";
            pause: components["schemas"]["QueuePauseDto"] | null;
            /** Format: date-time */
            timestamp: string;
            summary: components["schemas"]["QueueSummaryDto"];
            processingCapacity: components["schemas"]["ProcessingCapacityDto"];
            queuedJobs: components["schemas"]["QueuedJobDto"][];
            page: number;
            pageSize: number;
            hasNextPage: boolean;
        };
        ChangeQueueStatusRequestDto: {
            /**
             * @description Paused: no job of the project starts until Active again
             * @example Paused
             * @enum {string}
             */
            queueStatus: "Active" | "Paused";
            /** @example Source system maintenance */
            reason?: string;
        };
        ProjectQueueStatusDto: {
            /** @enum {string} */
            queueStatus: "Active" | "Paused";
            pause: components["schemas"]["QueuePauseDto"] | null;
        };
        ChangeJobPriorityRequestDto: {
            /**
             * @example High
             * @enum {string}
             */
            priority: "Low" | "Normal" | "High" | "Critical";
            /** @example Month-end close needs it first */
            reason?: string;
        };
        QueuedJobCommandResponseDto: {
            /** Format: uuid */
            jobId: string;
            /** Format: uuid */
            projectId: string;
            /** @enum {string} */
            jobType: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            jobName: string;
            jobDescription: string | null;
            /** @enum {string} */
            status: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            progress: components["schemas"]["JobProgressDto"];
            resource: components["schemas"]["JobResourceViewDto"] | null;
            execution: components["schemas"]["JobExecutionViewDto"];
            metrics: components["schemas"]["JobMetricsDto"];
            scheduling: components["schemas"]["JobSchedulingViewDto"];
            notifications: components["schemas"]["JobNotificationsViewDto"];
            parameters: components["schemas"]["JobParametersDto"];
            /** Format: uuid */
            retryOf: string | null;
            attempt: number;
            /** Format: uuid */
            retriedBy: string | null;
            /**
             * Format: uuid
             * @description The recurring schedule that submitted the job
             */
            scheduleId: string | null;
            /**
             * Format: date-time
             * @description The schedule's fire time this job is for
             */
            scheduleFireTime: string | null;
            cancellation: components["schemas"]["JobCancellationViewDto"] | null;
            error: components["schemas"]["JobErrorDto"] | null;
            failure: components["schemas"]["JobFailureDto"] | null;
            /**
             * Format: date-time
             * @description When the automatic retry is due
             */
            nextRetryAt: string | null;
            /** @description The job that retried this one */
            retriedAs: string | null;
            /** @description The last allowed attempt failed retryably */
            deadLettered: boolean;
            deadLetterReason: string | null;
            /** @description Set while a Queued job is on hold: claims skip it */
            hold: components["schemas"]["JobHoldDto"] | null;
            /** @description The jobs this one was submitted to wait for (a pipeline); null for a job without dependencies */
            dependsOn: string[] | null;
            /** @description The dependencies a Queued job still waits for (no claim takes it until this is empty); [] once all completed; null for a job without dependencies */
            waitingFor: string[] | null;
            /** @description Get Job Status: place in claim order while Queued; null when held, its queue paused, or not queued */
            queuePosition?: number | null;
            /** Format: date-time */
            dateCreated: string;
            /** Format: date-time */
            lastUpdated: string;
            /** @description Ended jobs with email recipients: how their notifications went */
            notificationDelivery?: components["schemas"]["NotificationDeliveryDto"][];
            /**
             * Format: date-time
             * @description Get Job Status with asOf: the time the job is shown at
             */
            asOf?: string;
            /** @description Get Job Status with asOf or asOfRevision: the last revision folded in */
            asOfRevision?: number;
            /** Format: date-time */
            estimatedStartTime: string | null;
            /** @example 45-60 minutes */
            estimatedDuration: string | null;
            estimatedDurationSeconds: {
                low?: number;
                high?: number;
            } | null;
        };
        HoldJobRequestDto: {
            /** @example Waiting for the corrected export */
            reason?: string;
        };
        ReleaseJobRequestDto: {
            /** @example Export corrected */
            reason?: string;
        };
        ProcessModelDto: {
            /** Format: uuid */
            modelId: string;
            name: string;
            /** @enum {string} */
            format: "pnml" | "bpmn";
            /** @description Places of the Petri net (for BPMN: of the net it was translated into) */
            places: number;
            transitions: number;
            /** @description Labels of the visible transitions, sorted */
            activities: string[];
            silentTransitions: number;
            sizeBytes: number;
            /** Format: date-time */
            uploadedAt: string;
        };
        ProjectionListDto: {
            projections: components["schemas"]["ProjectionStatusDto"][];
            /** @description The rebuild this process runs, or the last one it ran */
            lastRebuild: components["schemas"]["RebuildStateDto"] | null;
        };
        LocalSignInRequestDto: {
            /** @example 11111111-1111-4111-8111-111111111111 */
            tenantId: string;
            /**
             * @description A project GUID, or * for every project of the tenant
             * @example 22222222-2222-4222-8222-222222222222
             */
            projectId: string;
            /**
             * @description Shown as submittedBy
             * @example analyst@company.com
             */
            subject: string;
            /**
             * @example operator
             * @enum {string}
             */
            role: "viewer" | "operator" | "admin";
        };
        OperationCallbacksDto: {
            /**
             * @description operation.progress, at most once per OPERATION_PROGRESS_CALLBACK_SECONDS window, and a final one
             * @example https://hooks.company.com/operations/progress
             */
            onProgress?: string;
            /**
             * @description operation.completed
             * @example https://hooks.company.com/operations/done
             */
            onCompletion?: string;
            /**
             * @description operation.failed (once no retry follows) and operation.cancelled
             * @example https://hooks.company.com/operations/error
             */
            onError?: string;
            /**
             * @description Signs every callback (Standard Webhooks); without it they are sent unsigned
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret?: string;
        };
        OperationSlackDto: {
            /** @example #process-mining */
            channel?: string;
            /**
             * @description Slack user ids (mentioned as <@id>) or names (@name)
             * @example [
             *       "U024BE7LH"
             *     ]
             */
            mentionUsers?: string[];
        };
        OperationNotificationsDto: {
            /**
             * @description E-mailed when an attempt completes or fails
             * @example [
             *       "analyst@company.com"
             *     ]
             */
            email?: string[];
            /** @description A message to SLACK_WEBHOOK_URL when the operation ends (a 400 when it is not configured) */
            slack?: components["schemas"]["OperationSlackDto"];
        };
        StartOperationRequestDto: {
            /**
             * @example ProcessMiningAnalysis
             * @enum {string}
             */
            operationType: "ProcessMiningAnalysis" | "ProcessDiscovery" | "ConformanceChecking" | "PerformanceAnalysis" | "BottleneckAnalysis" | "StatisticalAnalysis" | "DataEnrichment" | "NotebookExecution";
            /** @example Quarterly process analysis */
            operationName: string;
            /** @example Discovery and performance of Q1 */
            operationDescription?: string;
            /**
             * @default Normal
             * @enum {string}
             */
            priority?: "Low" | "Normal" | "High" | "Critical";
            /**
             * @description The job's parameters (datasetId, analysisType, timeWindow, …) plus algorithmSettings {algorithm, noiseThreshold} and outputOptions {generateReports, createVisualizations, exportFormats}
             * @example {
             *       "datasetId": "880e8400-e29b-41d4-a716-446655440000",
             *       "analysisType": "comprehensive",
             *       "timeWindow": {
             *         "startDate": "2024-01-01",
             *         "endDate": "2024-03-31"
             *       },
             *       "algorithmSettings": {
             *         "algorithm": "inductive-infrequent",
             *         "noiseThreshold": 0.2
             *       },
             *       "outputOptions": {
             *         "generateReports": true,
             *         "createVisualizations": true,
             *         "exportFormats": [
             *           "html",
             *           "svg",
             *           "csv"
             *         ]
             *       }
             *     }
             */
            parameters: {
                [key: string]: unknown;
            };
            callbacks?: components["schemas"]["OperationCallbacksDto"];
            notifications?: components["schemas"]["OperationNotificationsDto"];
            /**
             * @description Seconds; each attempt's timeout, rounded up to whole minutes
             * @default 7200
             */
            timeout?: number;
            retryPolicy?: components["schemas"]["RetryPolicyDto"];
        };
        StartOperationResponseDto: {
            /**
             * @description op-<jobId of the first attempt>
             * @example op-ee0e8400-e29b-41d4-a716-446655440000
             */
            operationId: string;
            /** @example ProcessMiningAnalysis */
            operationType: string;
            operationName: string;
            /**
             * @example Initiated
             * @enum {string}
             */
            status: "Initiated" | "Running" | "Retrying" | "Completed" | "Failed" | "Cancelled";
            /**
             * @description From measured run times of the tenant's recent jobs of this type on logs of this size; null without such history
             * @example 45-60 minutes
             */
            estimatedDuration: string | null;
            estimatedDurationSeconds: components["schemas"]["DurationRangeDto"] | null;
            /**
             * Format: date-time
             * @description Estimated start plus the longer estimated duration; null when either is unknown
             */
            estimatedCompletion: string | null;
            /** @example /api/{tenantId}/{projectId}/async/operation/op-ee0e8400-e29b-41d4-a716-446655440000 */
            trackingUrl: string;
            /**
             * @description How many callbacks (onProgress, onCompletion, onError) were registered
             * @example 2
             */
            webhooksRegistered: number;
            /**
             * Format: uuid
             * @description The job that runs the first attempt
             */
            jobId: string;
            queuePosition: number | null;
            /** Format: date-time */
            estimatedStartTime: string | null;
            /** Format: date-time */
            dateSubmitted: string;
            submittedBy: string;
        };
        OperationProgressDto: {
            percentage: number;
            /** @example Discovering */
            currentStage: string;
            /**
             * Format: date-time
             * @description Extrapolated from measured progress; null when unknown
             */
            estimatedCompletion: string | null;
            /** @example 8 minutes 32 seconds */
            elapsedTime: string | null;
            elapsedSeconds: number | null;
            recordsProcessed: number;
            totalRecords: number | null;
        };
        OperationErrorDto: {
            /** @example ExecutionError */
            type: string;
            message: string;
            /** @example RunnerCrashed */
            category: string | null;
            retryable: boolean | null;
        };
        OperationAttemptDto: {
            /** Format: uuid */
            jobId: string;
            attempt: number;
            /** @enum {string} */
            status: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            /** Format: date-time */
            submittedAt: string;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            endedAt: string | null;
            error: components["schemas"]["OperationErrorDto"] | null;
            /** @example /api/{tenantId}/{projectId}/execution/job/{jobId} */
            statusUrl: string;
        };
        OperationAttemptsDto: {
            /** @description The current attempt (1 for the first) */
            current: number;
            maxAttempts: number;
            /**
             * Format: date-time
             * @description When the next automatic retry is due
             */
            nextRetryAt: string | null;
            /** @description Every attempt, first to current */
            history: components["schemas"]["OperationAttemptDto"][];
        };
        OperationArtifactDto: {
            artifactId: string;
            /** @example ProcessMiningReport */
            type: string;
            title: string;
            /** @example html */
            format: string;
            /** @enum {string} */
            outputType: "reports" | "data" | "models" | "visualizations";
            sizeBytes: number;
            downloadUrl: string;
        };
        OperationResultsDto: {
            /** @example /api/{tenantId}/{projectId}/execution/job/{jobId}/results */
            resultsUrl: string;
            /** @description The artifacts outputOptions ask for (all without outputOptions) */
            artifacts: components["schemas"]["OperationArtifactDto"][];
        };
        OperationCallbacksViewDto: {
            onProgress: string | null;
            onCompletion: string | null;
            onError: string | null;
            /** @description Whether callbacks are signed (the secret is never shown) */
            secretSet: boolean;
        };
        OperationStatusDto: {
            /** @example op-ee0e8400-e29b-41d4-a716-446655440000 */
            operationId: string;
            /** @example ProcessMiningAnalysis */
            operationType: string;
            operationName: string;
            operationDescription: string | null;
            /**
             * @description Initiated (first attempt queued), Running, Retrying (an attempt failed and another follows), Completed, Failed, Cancelled
             * @enum {string}
             */
            status: "Initiated" | "Running" | "Retrying" | "Completed" | "Failed" | "Cancelled";
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            /**
             * Format: uuid
             * @description The current attempt's job
             */
            jobId: string;
            /** @enum {string} */
            jobStatus: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
            progress: components["schemas"]["OperationProgressDto"];
            attempts: components["schemas"]["OperationAttemptsDto"];
            retryPolicy: components["schemas"]["RetryPolicyDto"] | null;
            /** @description Each attempt's timeout, seconds */
            timeout: number;
            /** @description Once Completed */
            results: components["schemas"]["OperationResultsDto"] | null;
            /** @description Once Failed */
            error: components["schemas"]["OperationErrorDto"] | null;
            callbacks: components["schemas"]["OperationCallbacksViewDto"] | null;
            webhooksRegistered: number;
            trackingUrl: string;
            submittedBy: string;
            /** Format: date-time */
            dateCreated: string;
            /**
             * Format: date-time
             * @description The first attempt's start
             */
            startTime: string | null;
            /**
             * Format: date-time
             * @description When the operation ended
             */
            endTime: string | null;
            /** Format: date-time */
            lastUpdated: string;
        };
        CreateScheduleRequestDto: {
            /**
             * @description Cron expression, 5 fields (minute first) or 6 (seconds first); exclusive with intervalSeconds
             * @example 0 6 * * 1-5
             */
            cron?: string | null;
            /** @description Fires every this many seconds; exclusive with cron */
            intervalSeconds?: number | null;
            /**
             * @description IANA zone the cron expression is read in
             * @default UTC
             * @example Europe/Berlin
             */
            timeZone?: string;
            /**
             * @description When the previous firing's job is still Queued or Running
             * @default skip
             * @enum {string}
             */
            overlapPolicy?: "skip" | "queue" | "cancelPrevious";
            /**
             * @description What fire times missed while no firer ran become
             * @default none
             * @enum {string}
             */
            catchUp?: "none" | "one" | "all";
            /** @example Nightly analysis */
            name: string;
            /** @description Submitted at each firing, as POST /job takes it */
            jobTemplate: components["schemas"]["SubmitJobRequestDto"];
        };
        ChangeScheduleRequestDto: {
            /**
             * @description Cron expression, 5 fields (minute first) or 6 (seconds first); exclusive with intervalSeconds
             * @example 0 6 * * 1-5
             */
            cron?: string | null;
            /** @description Fires every this many seconds; exclusive with cron */
            intervalSeconds?: number | null;
            /**
             * @description IANA zone the cron expression is read in
             * @default UTC
             * @example Europe/Berlin
             */
            timeZone?: string;
            /**
             * @description When the previous firing's job is still Queued or Running
             * @default skip
             * @enum {string}
             */
            overlapPolicy?: "skip" | "queue" | "cancelPrevious";
            /**
             * @description What fire times missed while no firer ran become
             * @default none
             * @enum {string}
             */
            catchUp?: "none" | "one" | "all";
            name?: string;
            jobTemplate?: components["schemas"]["SubmitJobRequestDto"];
            /** @description true pauses the schedule, false resumes it (missed fire times of the pause are not owed) */
            paused?: boolean;
        };
        JobEventResource: {
            resourceType: string;
            resourceId: string;
            resourceName?: string | null;
        };
        JobEventRetryPolicy: {
            maxRetries: number;
            retryDelay: number;
            backoffMultiplier: number;
        };
        JobEventScheduling: {
            executeImmediately: boolean;
            /** Format: date-time */
            scheduledTime: string | null;
            timeoutMinutes: number;
            maxAttempts?: number;
            retryPolicy?: components["schemas"]["JobEventRetryPolicy"];
        };
        JobEventNotifications: {
            onCompletion: boolean;
            onFailure: boolean;
            emailRecipients: string[];
            onCancellation?: boolean;
            webhooks?: {
                url: string;
                secretRef: string | null;
            }[];
            callbacks?: {
                onProgress: string | null;
                onCompletion: string | null;
                onError: string | null;
                secretRef: string | null;
            };
            slack?: {
                channel: string | null;
                mentionUsers: string[];
            };
        };
        JobEventArtifact: {
            /** Format: uuid */
            artifactId: string;
            fileName: string;
            type: string;
            title: string;
            format: string;
            /** @enum {string} */
            outputType: "reports" | "data" | "models" | "visualizations";
            sizeBytes: number;
            primary: boolean;
            recordCount?: number;
            accuracy?: number;
            metrics?: {
                [key: string]: number;
            };
            /** Format: uuid */
            datasetId?: string;
        };
        JobEventOutcome: {
            recordsProcessed: number;
            totalRecords: number;
            dataQualityScore: number | null;
            dataValidation: components["schemas"]["DataValidationDto"] | null;
            warnings: components["schemas"]["CountedIssueDto"][];
            processingErrors: components["schemas"]["CountedIssueDto"][];
            artifacts: components["schemas"]["JobEventArtifact"][];
            /** @description Measured on the job process; null where it could not be measured */
            execution: {
                cpuTimeSeconds: number | null;
                wallTimeSeconds: number;
                peakMemoryBytes: number | null;
                diskIoOperations: number | null;
                diskBytesWritten: number | null;
            };
            outputFolder?: string;
            attemptFolder?: string;
        };
        JobSubmittedDataDto: {
            /** Format: uuid */
            jobId: string;
            /** Format: uuid */
            tenantId: string;
            /** Format: uuid */
            projectId: string;
            jobName: string;
            jobDescription: string | null;
            /** @enum {string} */
            jobType: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            /** @enum {string} */
            priority: "Low" | "Normal" | "High" | "Critical";
            resource: components["schemas"]["JobEventResource"] | null;
            /** @description As submitted (see JobParametersDto) */
            parameters: {
                [key: string]: unknown;
            };
            scheduling: components["schemas"]["JobEventScheduling"];
            notifications: components["schemas"]["JobEventNotifications"];
            submittedBy: string;
            /** Format: date-time */
            submittedAt: string;
            /** Format: uuid */
            retryOf: string | null;
            attempt: number;
            retryReason?: string | null;
            schedule?: {
                /** Format: uuid */
                scheduleId: string;
                /** Format: date-time */
                fireTime: string;
            } | null;
            operation?: {
                operationId: string;
                operationType: string;
                outputOptions?: {
                    generateReports: boolean;
                    createVisualizations: boolean;
                    exportFormats: string[] | null;
                };
            } | null;
            dependsOn?: string[];
        };
        JobSubmittedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobSubmitted";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobSubmittedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobStartedDataDto: {
            nodeId: string;
            /** Format: date-time */
            startedAt: string;
        };
        JobStartedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobStarted";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobStartedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobProgressedDataDto: {
            percentage: number;
            currentStage: string;
            recordsProcessed: number;
            totalRecords: number | null;
            errorCount: number;
            warningCount: number;
            usage: {
                memoryBytes: number | null;
                cpuPercent: number | null;
                diskBytes: number;
            };
            /** Format: date-time */
            reportedAt: string;
        };
        JobProgressedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobProgressed";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobProgressedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobCompletedDataDto: {
            /** Format: date-time */
            completedAt: string;
            outcome: components["schemas"]["JobEventOutcome"];
        };
        JobCompletedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobCompleted";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobCompletedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobFailedDataDto: {
            /** Format: date-time */
            failedAt: string;
            errorType: string;
            message: string;
            outcome?: components["schemas"]["JobEventOutcome"] | null;
            failure?: {
                /** @enum {string} */
                category: "NodeLost" | "Timeout" | "TransientIO" | "RunnerCrashed" | "InvalidParameters" | "DatasetUnreadable" | "EngineError" | "DependencyFailed";
                retryable: boolean;
            };
        };
        JobFailedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobFailed";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobFailedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobCancellationRequestedDataDto: {
            /** Format: date-time */
            requestedAt: string;
            reason: string | null;
            forceTermination: boolean;
            preservePartialResults: boolean;
            requestedBy: string;
        };
        JobCancellationRequestedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobCancellationRequested";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobCancellationRequestedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobCancelledDataDto: {
            /** Format: date-time */
            cancelledAt: string;
            reason: string | null;
            partialOutcome?: components["schemas"]["JobEventOutcome"] | null;
        };
        JobCancelledEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobCancelled";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobCancelledDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobRetriedDataDto: {
            /** Format: date-time */
            retriedAt: string;
            /** Format: uuid */
            newJobId: string;
            reason: string | null;
            retriedBy: string;
            automatic?: boolean;
        };
        JobRetriedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobRetried";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobRetriedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobRequeuedDataDto: {
            /** Format: date-time */
            requeuedAt: string;
            previousNodeId: string;
            reason: string;
            nodeLost: boolean;
        };
        JobRequeuedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobRequeued";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobRequeuedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobPriorityChangedDataDto: {
            /** @enum {string} */
            from: "Low" | "Normal" | "High" | "Critical";
            /** @enum {string} */
            to: "Low" | "Normal" | "High" | "Critical";
            changedBy: string;
            /** Format: date-time */
            changedAt: string;
            reason: string | null;
        };
        JobPriorityChangedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobPriorityChanged";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobPriorityChangedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobHeldDataDto: {
            heldBy: string;
            /** Format: date-time */
            heldAt: string;
            reason: string | null;
        };
        JobHeldEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobHeld";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobHeldDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobReleasedDataDto: {
            releasedBy: string;
            /** Format: date-time */
            releasedAt: string;
            reason: string | null;
        };
        JobReleasedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobReleased";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobReleasedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobRetryScheduledDataDto: {
            /** Format: date-time */
            scheduledAt: string;
            /** Format: date-time */
            nextRetryAt: string;
            attempt: number;
            maxAttempts: number;
            delaySeconds: number;
        };
        JobRetryScheduledEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobRetryScheduled";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobRetryScheduledDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobDeadLetteredDataDto: {
            /** Format: date-time */
            deadLetteredAt: string;
            reason: string;
            attempts: number;
        };
        JobDeadLetteredEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobDeadLettered";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobDeadLetteredDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobDependencyMetDataDto: {
            /** Format: uuid */
            dependencyJobId: string;
            /** Format: date-time */
            metAt: string;
            /** Format: uuid */
            datasetId: string | null;
        };
        JobDependencyMetEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobDependencyMet";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobDependencyMetDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
        JobDependencyRetriedDataDto: {
            /** Format: uuid */
            dependencyJobId: string;
            /** Format: uuid */
            retryJobId: string;
            /** Format: date-time */
            retriedAt: string;
        };
        JobDependencyRetriedEventDto: {
            /** @description 0-based index in the job stream */
            revision: number;
            /**
             * @description Global position: transaction/sequence
             * @example 7431/12
             */
            position: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "JobDependencyRetried";
            schemaVersion: number;
            /** Format: date-time */
            recordedAt: string;
            data: components["schemas"]["JobDependencyRetriedDataDto"];
            metadata: components["schemas"]["EventMetadataDto"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    SubmitJobController_submit: {
        parameters: {
            query?: never;
            header?: {
                /** @description Idempotency-Key: repeating a submit with the same key returns the same job */
                "idempotency-key"?: string;
            };
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitJobRequestDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitJobResponseDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetJobStatusController_get: {
        parameters: {
            query?: {
                /** @description The job as it was after this revision of its stream (0 = just submitted) */
                asOfRevision?: number;
                /** @description The job as it was at this time: after the last event recorded at or before it (ISO 8601; no zone = UTC; a date alone = the end of that day) */
                asOf?: string;
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobStatusDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    CancelJobController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CancelJobRequestDto"];
            };
        };
        responses: {
            /** @description Job cancelled (or, for a running job slow to stop, cancellation pending) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelJobResponseDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The job is in a state that does not allow this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ChangeJobPriorityController_change: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeJobPriorityRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueuedJobCommandResponseDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The job is in a state that does not allow this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ListJobsController_list: {
        parameters: {
            query?: {
                page?: number;
                pageSize?: number;
                status?: "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
                jobType?: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
                priority?: "Low" | "Normal" | "High" | "Critical";
                submittedBy?: string;
                /** @description Only dead-lettered jobs (true) or only the others (false) */
                deadLettered?: "true" | "false";
                /** @description Jobs submitted at or after this time */
                dateFrom?: string;
                /** @description Jobs submitted at or before this time (a date alone means the end of that day) */
                dateTo?: string;
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobListDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetJobResultsController_results: {
        parameters: {
            query?: {
                /** @description detailed adds every computed figure inline; download streams the primary output */
                format?: "summary" | "detailed" | "download";
                includeArtifacts?: boolean;
                outputType?: "reports" | "data" | "models" | "visualizations";
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResultsDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The job is in a state that does not allow this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetJobResultsController_artifact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
                artifactId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The artifact file (Content-Disposition names it) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                    "image/svg+xml": string;
                    "text/csv": string;
                    "application/json": string;
                    "application/xml": string;
                    "application/octet-stream": string;
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    RetryJobController_retry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RetryJobRequestDto"];
            };
        };
        responses: {
            /** @description The new job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitJobResponseDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The job is in a state that does not allow this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetSystemStatusController_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemStatusDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetJobHistoryController_history: {
        parameters: {
            query?: {
                /** @description The job as it was after this revision of its stream (0 = just submitted) */
                asOfRevision?: number;
                /** @description The job as it was at this time: after the last event recorded at or before it (ISO 8601; no zone = UTC; a date alone = the end of that day) */
                asOf?: string;
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobHistoryDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    UploadDatasetController_upload: {
        parameters: {
            query?: {
                /** @description Display name (default: the file name) */
                name?: string;
                /** @description Case id column (default: auto-detected, e.g. case:concept:name, case_id) */
                caseColumn?: string;
                /** @description Activity column (default: auto-detected, e.g. concept:name, activity) */
                activityColumn?: string;
                /** @description Timestamp column (default: auto-detected, e.g. time:timestamp, timestamp) */
                timestampColumn?: string;
                /** @description Resource column (default: auto-detected, e.g. org:resource) */
                resourceColumn?: string;
                /** @description Start timestamp column (default: auto-detected, e.g. start_timestamp) */
                startTimestampColumn?: string;
                /** @description Lifecycle transition column (start, complete, ...; default: auto-detected, e.g. lifecycle:transition, lifecycle) */
                lifecycleColumn?: string;
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": {
                    /** Format: binary */
                    file?: string;
                };
                "multipart/form-data": {
                    /** Format: binary */
                    file?: string;
                };
                "application/xml": {
                    /** Format: binary */
                    file?: string;
                };
                "application/gzip": {
                    /** Format: binary */
                    file?: string;
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Upload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetDatasetController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    DownloadDatasetController_download: {
        parameters: {
            query?: {
                format?: "source" | "arrow";
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "application/gzip": string;
                    "application/xml": string;
                    "application/vnd.apache.arrow.file": string;
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    HealthController_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    GetQueueController_view: {
        parameters: {
            query?: {
                page?: number;
                pageSize?: number;
                /** @description Only jobs of this priority */
                priority?: "Low" | "Normal" | "High" | "Critical";
                jobType?: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
                /** @description false: the estimate fields are null and not computed */
                includeEstimates?: boolean;
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueViewDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ChangeQueueStatusController_change: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeQueueStatusRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectQueueStatusDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    HoldJobController_hold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["HoldJobRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueuedJobCommandResponseDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The job is in a state that does not allow this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ReleaseJobController_release: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReleaseJobRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueuedJobCommandResponseDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The job is in a state that does not allow this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    UploadProcessModelController_upload: {
        parameters: {
            query?: {
                /** @description Display name (default: the file name) */
                name?: string;
                /** @description Default: from the file name (.pnml, .bpmn), else from the root element (<pnml>, <definitions>) */
                format?: "pnml" | "bpmn";
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/xml": {
                    /** Format: binary */
                    file?: string;
                };
                "multipart/form-data": {
                    /** Format: binary */
                    file?: string;
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessModelDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Upload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetProcessModelController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                modelId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessModelDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ExportEventsController_export: {
        parameters: {
            query: {
                /** @description ocel: OCEL 2.0 JSON (object-centric); xes: XES, one trace per job */
                format: "ocel" | "xes";
                /** @description Only events recorded at or after this time (ISO 8601; a date alone = its start) */
                from?: string;
                /** @description Only events recorded at or before this time (ISO 8601; a date alone = its end) */
                to?: string;
            };
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The log, streamed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                    "application/xml": string;
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    FollowEventsController_projectEvents: {
        parameters: {
            query?: {
                /** @description Start after this position (exclusive); `Last-Event-ID` wins over it. Default: the beginning */
                from?: string;
                /** @description NDJSON only: events in the page (default 1000, at most 10000) */
                limit?: number;
                /** @description Only these event types (comma-separated) */
                eventType?: string;
                /** @description Only this job's events */
                jobId?: string;
                /** @description Only events of jobs of this type */
                jobType?: "ProcessMining" | "DataEnrichment" | "Notebook" | "Analysis";
            };
            header?: {
                /** @description SSE: resume after this event id (a position) */
                "Last-Event-ID"?: string;
            };
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The events, one per SSE message or NDJSON line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    FollowEventsController_jobEvents: {
        parameters: {
            query?: {
                /** @description Start after this position (exclusive); `Last-Event-ID` wins over it. Default: the beginning */
                from?: string;
                /** @description NDJSON only: events in the page (default 1000, at most 10000) */
                limit?: number;
                /** @description Only these event types (comma-separated) */
                eventType?: string;
            };
            header?: {
                /** @description SSE: resume after this event id (a position) */
                "Last-Event-ID"?: string;
            };
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The events, one per SSE message or NDJSON line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                    "application/x-ndjson": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetJobLogsController_logs: {
        parameters: {
            query?: {
                /** @description Lines of this level and above */
                level?: "DEBUG" | "INFO" | "WARN" | "ERROR";
                /** @description Lines at or after this time (ISO 8601; without a zone: UTC) */
                fromTime?: string;
                /** @description Lines at or before this time (ISO 8601; without a zone: UTC) */
                toTime?: string;
                /** @description Most lines returned (the oldest first) */
                limit?: number;
                /** @description raw: the lines as plain text, one a line */
                format?: "structured" | "raw";
            };
            header?: {
                /** @description SSE: resume after this line id */
                "Last-Event-ID"?: string;
            };
            path: {
                tenantId: string;
                projectId: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job's execution log */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                    "text/plain": components["schemas"]["ApiErrorDto"];
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                    "text/plain": components["schemas"]["ApiErrorDto"];
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                    "text/plain": components["schemas"]["ApiErrorDto"];
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                    "text/plain": components["schemas"]["ApiErrorDto"];
                    "text/event-stream": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    RebuildProjectionController_rebuild: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RebuildStateDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The job is in a state that does not allow this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ListProjectionsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectionListDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    LocalSignInController_availability: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    LocalSignInController_signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LocalSignInRequestDto"];
            };
        };
        responses: {
            /** @description {token, tokenType, expiresAt, tenantId, projects, subject, roles} */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    StartOperationController_start: {
        parameters: {
            query?: never;
            header: {
                "idempotency-key": string;
                /** @description Repeating a start with the same key returns the same operation */
                "Idempotency-Key"?: string;
            };
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartOperationRequestDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartOperationResponseDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetOperationController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                operationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperationStatusDto"];
                };
            };
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ListSchedulesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    CreateScheduleController_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateScheduleRequestDto"];
            };
        };
        responses: {
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    GetScheduleController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    DeleteScheduleController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    ChangeScheduleController_change: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
                projectId: string;
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeScheduleRequestDto"];
            };
        };
        responses: {
            /** @description Invalid input; `errors` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description The token lacks the role for this action */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description Not found (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
}

/**
 * OpenAPI schemas of the job history's events, one per event type with its own `data` (the
 * interfaces of libs/job-domain/src/job.events.ts, as read: upcast to the current version).
 * Plain JSON-schema objects: sixteen near-identical classes would only repeat the common fields.
 * Fields absent in events stored before they existed are optional; `data` objects keep
 * accepting fields a later schema version adds.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { FAILURE_CATEGORIES } from '../../../../../libs/job-domain/src/job-failure.js';
import { JOB_EVENT_TYPES, JOB_PRIORITIES, JOB_TYPES, type JobEventType } from '../../../../../libs/job-domain/src/index.js';
import { arrayOf, boolean, dateTime, integer, number, numbersByName, nullable, object, ref, string, strings, uuid, type Schema } from './json-schema-parts.js';

/** Shapes the event data share, by component name. */
const SHARED_SCHEMAS: Record<string, Schema> = {
  JobEventResource: object({ resourceType: string, resourceId: string }, { resourceName: nullable(string) }),
  JobEventRetryPolicy: object({ maxRetries: integer, retryDelay: number, backoffMultiplier: number }),
  JobEventScheduling: object(
    { executeImmediately: boolean, scheduledTime: nullable(dateTime), timeoutMinutes: number },
    { maxAttempts: integer, retryPolicy: ref('JobEventRetryPolicy') },
  ),
  JobEventNotifications: object(
    { onCompletion: boolean, onFailure: boolean, emailRecipients: strings },
    {
      onCancellation: boolean,
      webhooks: arrayOf(object({ url: string, secretRef: nullable(string) })),
      callbacks: object({ onProgress: nullable(string), onCompletion: nullable(string), onError: nullable(string), secretRef: nullable(string) }),
      slack: object({ channel: nullable(string), mentionUsers: strings }),
    },
  ),
  JobEventArtifact: object(
    {
      artifactId: uuid, fileName: string, type: string, title: string, format: string,
      outputType: { type: 'string', enum: ['reports', 'data', 'models', 'visualizations'] }, sizeBytes: number, primary: boolean,
    },
    { recordCount: number, accuracy: number, metrics: numbersByName, datasetId: uuid },
  ),
  JobEventOutcome: object(
    {
      recordsProcessed: number, totalRecords: number, dataQualityScore: nullable(number),
      dataValidation: nullable(ref('DataValidationDto')),
      warnings: arrayOf(ref('CountedIssueDto')),
      processingErrors: arrayOf(ref('CountedIssueDto')),
      artifacts: arrayOf(ref('JobEventArtifact')),
      execution: object({
        cpuTimeSeconds: nullable(number), wallTimeSeconds: number, peakMemoryBytes: nullable(number),
        diskIoOperations: nullable(number), diskBytesWritten: nullable(number),
      }, {}, 'Measured on the job process; null where it could not be measured'),
    },
    { outputFolder: string, attemptFolder: string },
  ),
};

/** Each event type's `data`. */
const EVENT_DATA_SCHEMAS: Readonly<Record<JobEventType, Schema>> = {
  JobSubmitted: object(
    {
      jobId: uuid, tenantId: uuid, projectId: uuid, jobName: string, jobDescription: nullable(string),
      jobType: { type: 'string', enum: JOB_TYPES }, priority: { type: 'string', enum: JOB_PRIORITIES },
      resource: nullable(ref('JobEventResource')),
      parameters: { type: 'object', additionalProperties: true, description: 'As submitted (see JobParametersDto)' },
      scheduling: ref('JobEventScheduling'), notifications: ref('JobEventNotifications'),
      submittedBy: string, submittedAt: dateTime, retryOf: nullable(uuid), attempt: integer,
    },
    {
      retryReason: nullable(string),
      schedule: nullable(object({ scheduleId: uuid, fireTime: dateTime })),
      operation: nullable(object({ operationId: string, operationType: string }, {
        outputOptions: object({ generateReports: boolean, createVisualizations: boolean, exportFormats: nullable(strings) }),
      })),
      dependsOn: arrayOf(uuid),
    },
  ),
  JobStarted: object({ nodeId: string, startedAt: dateTime }),
  JobProgressed: object({
    percentage: number, currentStage: string, recordsProcessed: number, totalRecords: nullable(number),
    errorCount: number, warningCount: number,
    usage: object({ memoryBytes: nullable(number), cpuPercent: nullable(number), diskBytes: number }),
    reportedAt: dateTime,
  }),
  JobCompleted: object({ completedAt: dateTime, outcome: ref('JobEventOutcome') }),
  JobFailed: object(
    { failedAt: dateTime, errorType: string, message: string },
    {
      outcome: nullable(ref('JobEventOutcome')),
      failure: object({ category: { type: 'string', enum: Object.keys(FAILURE_CATEGORIES) }, retryable: boolean }),
    },
  ),
  JobCancellationRequested: object({
    requestedAt: dateTime, reason: nullable(string), forceTermination: boolean, preservePartialResults: boolean, requestedBy: string,
  }),
  JobCancelled: object({ cancelledAt: dateTime, reason: nullable(string) }, { partialOutcome: nullable(ref('JobEventOutcome')) }),
  JobRetried: object({ retriedAt: dateTime, newJobId: uuid, reason: nullable(string), retriedBy: string }, { automatic: boolean }),
  JobRequeued: object({ requeuedAt: dateTime, previousNodeId: string, reason: string, nodeLost: boolean }),
  JobPriorityChanged: object({
    from: { type: 'string', enum: JOB_PRIORITIES }, to: { type: 'string', enum: JOB_PRIORITIES },
    changedBy: string, changedAt: dateTime, reason: nullable(string),
  }),
  JobHeld: object({ heldBy: string, heldAt: dateTime, reason: nullable(string) }),
  JobReleased: object({ releasedBy: string, releasedAt: dateTime, reason: nullable(string) }),
  JobRetryScheduled: object({ scheduledAt: dateTime, nextRetryAt: dateTime, attempt: integer, maxAttempts: integer, delaySeconds: number }),
  JobDeadLettered: object({ deadLetteredAt: dateTime, reason: string, attempts: integer }),
  JobDependencyMet: object({ dependencyJobId: uuid, metAt: dateTime, datasetId: nullable(uuid) }),
  JobDependencyRetried: object({ dependencyJobId: uuid, retryJobId: uuid, retriedAt: dateTime }),
};

/** The generic event schema the decorators build; replaced by the per-type ones. */
const GENERIC_EVENT = 'JobHistoryEventDto';
const eventSchemaName = (type: JobEventType) => `${type}EventDto`;
const dataSchemaName = (type: JobEventType) => `${type}DataDto`;

/**
 * Replaces the history's generic event by a `oneOf` of one schema per event type, told apart
 * by `type` (an OpenAPI discriminator), each with its own `data`.
 */
export function addJobHistoryEventSchemas(document: OpenAPIObject): void {
  const schemas = document.components!.schemas! as Record<string, Schema>;
  const generic = schemas[GENERIC_EVENT] as { properties: Record<string, Schema>; required?: string[] };
  Object.assign(schemas, SHARED_SCHEMAS);
  for (const type of JOB_EVENT_TYPES) {
    schemas[dataSchemaName(type)] = EVENT_DATA_SCHEMAS[type];
    schemas[eventSchemaName(type)] = {
      ...generic,
      properties: { ...generic.properties, type: { type: 'string', enum: [type] }, data: ref(dataSchemaName(type)) },
    };
  }
  delete schemas[GENERIC_EVENT];
  const history = schemas['JobHistoryDto'] as { properties: Record<string, Schema> };
  history.properties['events'] = {
    type: 'array',
    description: 'Every event of the stream, oldest first; `type` tells which `data` it carries',
    items: {
      oneOf: JOB_EVENT_TYPES.map((type) => ref(eventSchemaName(type))),
      discriminator: { propertyName: 'type', mapping: Object.fromEntries(JOB_EVENT_TYPES.map((type) => [type, `#/components/schemas/${eventSchemaName(type)}`])) },
    },
  };
}

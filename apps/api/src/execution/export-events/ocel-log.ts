/**
 * The project's job lifecycle as an OCEL 2.0 JSON log (object-centric): one event per job
 * event, related to the objects it touches. Events are written as they are read, in global
 * order; objects are kept as compact records meanwhile and written after the events (OCEL
 * JSON is one object, so the order of its keys is free). Attribute values are strings, as the
 * OCEL 2.0 JSON schema requires; each type declares the type its values have.
 */
import type { RecordedEvent } from '../../../../../libs/event-store/src/event-store.port.js';
import { datasetIdOf, type JobEvent } from '../../../../../libs/job-domain/src/index.js';
import { JOB_ACTIVITIES, asJobEvent } from './job-activities.js';
import { inRange, type ExportRange } from './project-job-events.js';

type OcelType = 'string' | 'integer' | 'float' | 'boolean' | 'time';
interface Attribute { readonly name: string; readonly value: string }
interface Relationship { readonly objectId: string; readonly qualifier: string }

export const OCEL_OBJECT_TYPES = {
  job: [['jobName', 'string'], ['jobType', 'string'], ['priority', 'string'], ['submittedBy', 'string'], ['attempt', 'integer']],
  node: [],
  dataset: [],
  'retry chain': [['attempts', 'integer']],
} as const satisfies Record<string, readonly (readonly [string, OcelType])[]>;

const actor = ['actor', 'string'] as const;
const reason = ['reason', 'string'] as const;
/** Attributes of each event type; an attribute whose value was not recorded (null) is left out. */
export const OCEL_EVENT_ATTRIBUTES: Readonly<Record<JobEvent['type'], readonly (readonly [string, OcelType])[]>> = {
  JobSubmitted: [actor, ['priority', 'string'], ['jobType', 'string'], ['attempt', 'integer']],
  JobStarted: [actor],
  JobProgressed: [actor, ['percentage', 'float'], ['currentStage', 'string'], ['recordsProcessed', 'integer']],
  JobCompleted: [actor, ['recordsProcessed', 'integer'], ['wallTimeSeconds', 'float']],
  JobFailed: [actor, ['errorType', 'string'], ['message', 'string'], ['category', 'string'], ['retryable', 'boolean']],
  JobCancellationRequested: [actor, reason, ['forceTermination', 'boolean']],
  JobCancelled: [actor, reason],
  JobRetried: [actor, reason, ['automatic', 'boolean']],
  JobRetryScheduled: [actor, ['nextRetryAt', 'time'], ['attempt', 'integer'], ['delaySeconds', 'float']],
  JobDeadLettered: [actor, reason, ['attempts', 'integer']],
  JobRequeued: [actor, reason, ['nodeLost', 'boolean']],
  JobPriorityChanged: [actor, reason, ['from', 'string'], ['to', 'string']],
  JobHeld: [actor, reason],
  JobReleased: [actor, reason],
  JobDependencyMet: [actor],
  JobDependencyRetried: [actor],
};

export const nodeObjectId = (nodeId: string) => `node:${nodeId}`;
export const datasetObjectId = (datasetId: string) => `dataset:${datasetId}`;
export const retryChainObjectId = (firstJobId: string) => `retry-chain:${firstJobId}`;

interface JobObject {
  readonly attributes: { name: string; value: string; time: string }[];
  readonly relationships: Relationship[];
}

/** What the export learns about its objects while it writes the events. */
class OcelObjects {
  readonly jobs = new Map<string, JobObject>();
  readonly nodes = new Set<string>();
  readonly datasets = new Set<string>();
  /** Retry chain (its first job) of each job that is part of one; each chain's attempts as they grew. */
  readonly chainOf = new Map<string, string>();
  readonly chainAttempts = new Map<string, { name: string; value: string; time: string }[]>();
  /** The node running each job now (for the node its progress and outcome come from). */
  readonly runningOn = new Map<string, string>();

  job(jobId: string): JobObject {
    let job = this.jobs.get(jobId);
    if (!job) this.jobs.set(jobId, (job = { attributes: [], relationships: [] }));
    return job;
  }
}

/** The event's attributes and relationships; also records the objects it touches. */
function describeEvent(recorded: RecordedEvent, event: JobEvent, jobId: string, objects: OcelObjects) {
  const values: Record<string, string | number | boolean | null | undefined> = { actor: recorded.metadata.actor };
  const relationships: Relationship[] = [{ objectId: jobId, qualifier: 'job' }];
  const node = (nodeId: string, qualifier: string) => {
    objects.nodes.add(nodeId);
    relationships.push({ objectId: nodeObjectId(nodeId), qualifier });
  };
  const chain = objects.chainOf.get(jobId);
  switch (event.type) {
    case 'JobSubmitted': {
      const d = event.data;
      Object.assign(values, { priority: d.priority, jobType: d.jobType, attempt: d.attempt });
      const job = objects.job(jobId);
      const at = recorded.recordedAt;
      for (const [name, value] of [['jobName', d.jobName], ['jobType', d.jobType], ['priority', d.priority], ['submittedBy', d.submittedBy], ['attempt', String(d.attempt)]]) {
        job.attributes.push({ name, value, time: at });
      }
      const datasetId = datasetIdOf(d);
      if (datasetId) {
        objects.datasets.add(datasetId);
        relationships.push({ objectId: datasetObjectId(datasetId), qualifier: 'reads' });
        job.relationships.push({ objectId: datasetObjectId(datasetId), qualifier: 'reads' });
      }
      if (d.retryOf) {
        const first = objects.chainOf.get(d.retryOf) ?? d.retryOf;
        objects.chainOf.set(d.retryOf, first);
        objects.chainOf.set(jobId, first);
        const attempts = objects.chainAttempts.get(first) ?? [];
        attempts.push({ name: 'attempts', value: String(d.attempt), time: at });
        objects.chainAttempts.set(first, attempts);
        relationships.push({ objectId: retryChainObjectId(first), qualifier: 'attempt of' });
        job.relationships.push({ objectId: d.retryOf, qualifier: 'retry of' }, { objectId: retryChainObjectId(first), qualifier: 'attempt of' });
        objects.job(d.retryOf).relationships.push({ objectId: retryChainObjectId(first), qualifier: 'attempt of' });
      }
      break;
    }
    case 'JobStarted':
      objects.runningOn.set(jobId, event.data.nodeId);
      node(event.data.nodeId, 'claimed by');
      break;
    case 'JobProgressed':
      Object.assign(values, { percentage: event.data.percentage, currentStage: event.data.currentStage, recordsProcessed: event.data.recordsProcessed });
      break;
    case 'JobCompleted': {
      const o = event.data.outcome;
      Object.assign(values, { recordsProcessed: o.recordsProcessed, wallTimeSeconds: o.execution.wallTimeSeconds });
      for (const artifact of o.artifacts) {
        if (!artifact.datasetId) continue;
        objects.datasets.add(artifact.datasetId);
        relationships.push({ objectId: datasetObjectId(artifact.datasetId), qualifier: 'produces' });
        objects.job(jobId).relationships.push({ objectId: datasetObjectId(artifact.datasetId), qualifier: 'produces' });
      }
      break;
    }
    case 'JobFailed':
      Object.assign(values, {
        errorType: event.data.errorType, message: event.data.message,
        category: event.data.failure?.category ?? null, retryable: event.data.failure?.retryable ?? null,
      });
      break;
    case 'JobRetryScheduled':
      Object.assign(values, { nextRetryAt: event.data.nextRetryAt, attempt: event.data.attempt, delaySeconds: event.data.delaySeconds });
      break;
    case 'JobDeadLettered':
      Object.assign(values, { reason: event.data.reason, attempts: event.data.attempts });
      break;
    case 'JobCancellationRequested':
      Object.assign(values, { reason: event.data.reason, forceTermination: event.data.forceTermination });
      break;
    case 'JobRequeued':
      Object.assign(values, { reason: event.data.reason, nodeLost: event.data.nodeLost });
      objects.runningOn.delete(jobId);
      node(event.data.previousNodeId, event.data.nodeLost ? 'lost by' : 'handed back by');
      break;
    case 'JobRetried': {
      Object.assign(values, { reason: event.data.reason, automatic: event.data.automatic ?? false });
      relationships.push({ objectId: event.data.newJobId, qualifier: 'retried as' });
      break;
    }
    case 'JobPriorityChanged':
      Object.assign(values, { reason: event.data.reason, from: event.data.from, to: event.data.to });
      objects.job(jobId).attributes.push({ name: 'priority', value: event.data.to, time: recorded.recordedAt });
      break;
    case 'JobDependencyMet':
      relationships.push({ objectId: event.data.dependencyJobId, qualifier: 'dependency met' });
      break;
    case 'JobDependencyRetried':
      relationships.push({ objectId: event.data.retryJobId, qualifier: 'waits for' });
      break;
    case 'JobCancelled': case 'JobHeld': case 'JobReleased':
      values.reason = event.data.reason;
      break;
  }
  const running = objects.runningOn.get(jobId);
  if (running && (event.type === 'JobProgressed' || event.type === 'JobCompleted' || event.type === 'JobFailed' || event.type === 'JobCancelled')) {
    node(running, 'reported by');
  }
  if (event.type === 'JobCompleted' || event.type === 'JobFailed' || event.type === 'JobCancelled') objects.runningOn.delete(jobId);
  if (chain && event.type !== 'JobSubmitted') relationships.push({ objectId: retryChainObjectId(chain), qualifier: 'attempt of' });
  const attributes: Attribute[] = [];
  for (const [name] of OCEL_EVENT_ATTRIBUTES[event.type]) {
    const value = values[name];
    if (value !== null && value !== undefined) attributes.push({ name, value: String(value) });
  }
  return { attributes, relationships };
}

function typesJson(): string {
  const types = (entries: [string, readonly (readonly [string, OcelType])[]][]) =>
    JSON.stringify(entries.map(([name, attributes]) => ({ name, attributes: attributes.map(([n, type]) => ({ name: n, type })) })));
  const eventTypes = Object.entries(OCEL_EVENT_ATTRIBUTES).map(([type, attributes]) => [JOB_ACTIVITIES[type as JobEvent['type']], attributes] as [string, typeof attributes]);
  return `"objectTypes":${types(Object.entries(OCEL_OBJECT_TYPES))},\n"eventTypes":${types(eventTypes)}`;
}

/** The objects the events touched, once the events are written. */
function* allObjects(objects: OcelObjects): Generator<unknown> {
  for (const [jobId, job] of objects.jobs) yield { id: jobId, type: 'job', attributes: job.attributes, relationships: job.relationships };
  for (const nodeId of objects.nodes) yield { id: nodeObjectId(nodeId), type: 'node', attributes: [], relationships: [] };
  for (const datasetId of objects.datasets) yield { id: datasetObjectId(datasetId), type: 'dataset', attributes: [], relationships: [] };
  for (const [firstJobId, attempts] of objects.chainAttempts) {
    yield { id: retryChainObjectId(firstJobId), type: 'retry chain', attributes: attempts, relationships: [] };
  }
}

/** Items of a JSON array, comma-separated, a few hundred per chunk. */
async function* jsonArrayItems(items: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<string> {
  let separator = '';
  let batch: string[] = [];
  for await (const item of items) {
    batch.push(`${separator}\n${JSON.stringify(item)}`);
    separator = ',';
    if (batch.length >= 500) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length) yield batch.join('');
}

/** `events`: the project's job events in global order; every one feeds the objects, those in `range` are written. */
export async function* ocelLog(events: AsyncIterable<RecordedEvent>, range: ExportRange): AsyncGenerator<string> {
  const objects = new OcelObjects();
  async function* ocelEvents() {
    for await (const recorded of events) {
      const event = asJobEvent(recorded);
      const { attributes, relationships } = describeEvent(recorded, event, recorded.streamId.slice('job-'.length), objects);
      if (inRange(recorded, range)) yield { id: recorded.eventId, type: JOB_ACTIVITIES[event.type], time: recorded.recordedAt, attributes, relationships };
    }
  }
  yield `{${typesJson()},\n"events":[`;
  yield* jsonArrayItems(ocelEvents());
  yield '\n],\n"objects":[';
  yield* jsonArrayItems(allObjects(objects));
  yield '\n]}\n';
}

/**
 * Blue/green rebuilds of the job read model on MongoDB: the copy is a pair of fresh
 * collections (`job_views__next`, `project_queues__next`, with the live one's indexes) and
 * a checkpoint of its own; the switch renames them over the live ones (renameCollection with
 * dropTarget, each one atomic) and sets the projection's checkpoint to the copy's. The views
 * follow the events asynchronously here (KurrentDB with MongoDB): the live projection is
 * their only writer, so nothing is held off; it notices that its checkpoint moved
 * (CheckpointMovedError) and folds again from the copy's, documents never going back.
 */
import type { Db } from 'mongodb';
import type { EventStore, GlobalPosition } from '../../../event-store/src/event-store.port.js';
import type { JobState } from '../../../job-domain/src/index.js';
import type { JobViewRebuilds, ReadModelCopy } from '../job-view-rebuilds.port.js';
import {
  JOB_VIEW_INDEXES, projectQueueKey, toDecimal, toJobViewDocument,
  type CheckpointDocument, type JobViewDocument, type ProjectQueueDocument,
} from './mongo-job-read-store.js';

const COPY_SUFFIX = '__next';
const COPIED = ['job_views', 'project_queues'] as const;

export class MongoJobViewRebuilds implements JobViewRebuilds {
  constructor(
    private readonly db: Db,
    private readonly events: EventStore,
    private readonly agingSecondsPerLevel: number,
  ) {}

  async createCopy(): Promise<void> {
    await this.dropCopy();
    for (const name of COPIED) await this.db.createCollection(`${name}${COPY_SUFFIX}`);
    await this.db.collection<JobViewDocument>(`job_views${COPY_SUFFIX}`).createIndexes([...JOB_VIEW_INDEXES]);
  }

  readEvents(after: GlobalPosition, maxCount: number) {
    return this.events.readAll({ after, maxCount });
  }

  inCopy<T>(step: (copy: ReadModelCopy) => Promise<T>): Promise<T> {
    return step(this.copy());
  }

  async switchToCopy(projection: string, finish: (copy: ReadModelCopy) => Promise<GlobalPosition>): Promise<void> {
    const checkpoint = await finish(this.copy());
    for (const name of COPIED) {
      await this.db.renameCollection(`${name}${COPY_SUFFIX}`, name, { dropTarget: true });
    }
    await this.db.collection<CheckpointDocument>('projection_checkpoints').updateOne(
      { _id: projection },
      { $set: { commit: toDecimal(checkpoint.commit), prepare: toDecimal(checkpoint.prepare), updatedAt: new Date() } },
      { upsert: true },
    );
    await this.db.collection<CheckpointDocument>('projection_checkpoints').deleteOne({ _id: `${projection}${COPY_SUFFIX}` });
  }

  async dropCopy(): Promise<void> {
    const present = new Set((await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    for (const name of COPIED) if (present.has(`${name}${COPY_SUFFIX}`)) await this.db.dropCollection(`${name}${COPY_SUFFIX}`);
  }

  private copy(): ReadModelCopy {
    const jobs = this.db.collection<JobViewDocument>(`job_views${COPY_SUFFIX}`);
    const queues = this.db.collection<ProjectQueueDocument>(`project_queues${COPY_SUFFIX}`);
    const checkpoints = this.db.collection<CheckpointDocument>('projection_checkpoints');
    return {
      getJobsByIds: async (jobIds) => {
        if (jobIds.length === 0) return [];
        const rows = await jobs.find({ _id: { $in: [...jobIds] } }, { projection: { doc: 1 } }).toArray();
        return rows.map((r) => r.doc);
      },
      getProjectQueue: async (tenantId, projectId) => (await queues.findOne({ _id: projectQueueKey(tenantId, projectId) }))?.doc ?? null,
      readEvents: (after, maxCount) => this.events.readAll({ after, maxCount }),
      write: async (checkpoint, documents, projectQueues) => {
        for (const queue of projectQueues) {
          await queues.replaceOne(
            { _id: projectQueueKey(queue.tenantId, queue.projectId) },
            { tenantId: queue.tenantId, projectId: queue.projectId, paused: queue.status === 'Paused', revision: queue.revision, doc: queue },
            { upsert: true },
          );
        }
        const latest = new Map<string, JobState>(documents.map((d) => [d.jobId, d]));
        if (latest.size > 0) {
          // As the live store writes them: delete + insert (inserts accept any field name of free-form parameters).
          await jobs.bulkWrite([...latest.values()].flatMap((doc) => [
            { deleteOne: { filter: { _id: doc.jobId } } },
            { insertOne: { document: toJobViewDocument(doc, this.agingSecondsPerLevel) } },
          ]), { ordered: true });
        }
        await checkpoints.updateOne(
          { _id: `job_views${COPY_SUFFIX}` },
          { $set: { commit: toDecimal(checkpoint.commit), prepare: toDecimal(checkpoint.prepare), updatedAt: new Date() } },
          { upsert: true },
        );
      },
    };
  }
}

/**
 * The one write of job documents into job_views, for every writer: the job projection
 * (with its checkpoint, in applyJobDocuments) and any writer that keeps the views in the
 * same transaction as its append. The maintained counters (job-counts.ts) follow every
 * row change by trigger, inside the caller's transaction, so they can never disagree with
 * the documents.
 */
import type { SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import type { JobState } from '../../../job-domain/src/index.js';
import { UPSERT_JOB_DOCUMENTS } from './job-read-store.schema.js';

export async function writeJobDocuments(
  executor: SqlExecutor, documents: readonly JobState[], agingSecondsPerLevel: number,
): Promise<void> {
  if (documents.length === 0) return;
  // One row per job (the last version): ON CONFLICT cannot touch a row twice in one statement.
  const latest = [...new Map(documents.map((d) => [d.jobId, d])).values()];
  await executor.query(UPSERT_JOB_DOCUMENTS, [JSON.stringify(latest), agingSecondsPerLevel]);
}

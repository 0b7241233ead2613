/**
 * The one place that writes job_views rows, used by the job projection's batches and by
 * the transaction that appends a job's events (the view written with the append). Each
 * row's typed columns are derived from the document in SQL, and a document never
 * replaces a newer revision of itself. The maintained counters (job-counts.ts) follow every
 * row change by trigger, inside the caller's transaction, so they can never disagree with
 * the documents.
 */
import type { SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import type { JobState } from '../../../job-domain/src/index.js';
import { UPSERT_JOB_DOCUMENTS } from './job-read-store.schema.js';

export async function writeJobDocuments(executor: SqlExecutor, documents: readonly JobState[], agingSecondsPerLevel: number): Promise<void> {
  if (documents.length === 0) return;
  // One row per job, its highest revision: ON CONFLICT cannot touch a row twice in one statement.
  const latest = new Map<string, JobState>();
  for (const doc of documents) {
    const seen = latest.get(doc.jobId);
    if (!seen || seen.revision < doc.revision) latest.set(doc.jobId, doc);
  }
  await executor.query(UPSERT_JOB_DOCUMENTS, [JSON.stringify([...latest.values()]), agingSecondsPerLevel], 'job_views_write');
}

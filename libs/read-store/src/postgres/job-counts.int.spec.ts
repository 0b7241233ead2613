/**
 * The maintained counts on PGlite and the PostgreSQL server: whatever the writers' shards,
 * a fold racing with writers leaves every count equal to a recount of job_views, and a fold
 * with no writer leaves one row per key.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import { decide, evolve, type JobCommand, type JobState } from '../../../job-domain/src/index.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { analyzeStaleTables, foldJobCountShards } from './job-counts.js';
import { PostgresJobReadStore } from './postgres-job-read-store.js';
import { writeJobDocuments } from './write-job-documents.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

function run(state: JobState | null, command: JobCommand, at: string): JobState {
  let next = state;
  for (const event of decide(command, state)) next = evolve(next, event, (next?.revision ?? -1) + 1, at);
  return next!;
}

function submitted(i: number): JobState {
  const jobId = randomUUID();
  const submittedAt = new Date(Date.UTC(2024, 4, 6) + i * 3_600_000 * (i % 2 === 0 ? 1 : 97)).toISOString(); // hours and months apart
  return run(null, { kind: 'SubmitJob', submission: {
    jobId, tenantId: 'tenant-a', projectId: `project-${i % 2}`, jobName: `job ${i}`, jobDescription: '',
    jobType: i % 3 === 0 ? 'Analysis' : 'ProcessMining', priority: i % 4 === 0 ? 'High' : 'Normal',
    resource: { resourceType: 'dataset', resourceId: jobId, resourceName: 'orders.csv' }, parameters: {},
    scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 30 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
    submittedBy: `user-${i % 3}`, submittedAt, retryOf: null, attempt: 1,
  } }, submittedAt);
}

const RECOUNT = `SELECT tenant_id, project_id, status, job_type, priority, submitted_by, (date_created AT TIME ZONE 'UTC')::date::text AS day,
  count(*)::int AS n FROM job_views GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
const DAYS = `SELECT tenant_id, project_id, status, job_type, priority, submitted_by, day::text AS day, sum(jobs)::int AS n
  FROM job_count_days GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(jobs) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
const RECOUNT_MONTHS = `SELECT tenant_id, project_id, status, job_type, priority, submitted_by,
  date_trunc('month', date_created AT TIME ZONE 'UTC')::date::text AS month, count(*)::int AS n
  FROM job_views GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
const MONTHS = `SELECT tenant_id, project_id, status, job_type, priority, submitted_by, month::text AS month, sum(jobs)::int AS n
  FROM job_count_months GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(jobs) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
const TOTALS = `SELECT tenant_id, project_id, status, job_type, priority, submitted_by, sum(jobs)::int AS n
  FROM job_count_totals GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(jobs) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`;
const RECOUNT_TOTALS = `SELECT tenant_id, project_id, status, job_type, priority, submitted_by, count(*)::int AS n
  FROM job_views GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`;

function describeCounts(name: string, open: (() => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>) | null): void {
  (open ? describe : describe.skip)(`maintained job counts: ${name}`, () => {
    let subject: { sql: SqlClient; cleanup(): Promise<void> };
    beforeAll(async () => {
      subject = await open!();
      await new PostgresJobReadStore(subject.sql).migrate();
    });
    afterAll(() => subject?.cleanup());

    it('stay equal to a recount while folds race with writers in many transactions, and fold to one row per key', async () => {
      const { sql } = subject;
      const jobs = Array.from({ length: 60 }, (_, i) => submitted(i));
      // Each job written, started and ended in transactions of its own: many transaction ids, so many shards.
      const writers = jobs.map(async (job, i) => {
        await sql.transaction((tx) => writeJobDocuments(tx, [job], 600));
        const running = run(job, { kind: 'StartJob', nodeId: 'node-1', at: '2024-06-01T00:00:00.000Z' }, '2024-06-01T00:00:00.000Z');
        await sql.transaction((tx) => writeJobDocuments(tx, [running], 600));
        if (i % 2 === 0) {
          const ended = run(running, { kind: 'FailJob', nodeId: 'node-1', at: '2024-06-01T00:01:00.000Z', errorType: 'ExecutionError', message: 'x' },
            '2024-06-01T00:01:00.000Z');
          await sql.transaction((tx) => writeJobDocuments(tx, [ended], 600));
        }
      });
      const folds = Array.from({ length: 5 }, () => sql.transaction((tx) => foldJobCountShards(tx)));
      await Promise.all([...writers, ...folds]);

      const shardsBefore = await sql.query<{ n: number }>(`SELECT count(DISTINCT shard)::int AS n FROM job_count_totals`);
      expect(await sql.query(DAYS)).toEqual(await sql.query(RECOUNT));
      expect(await sql.query(MONTHS)).toEqual(await sql.query(RECOUNT_MONTHS));
      expect(await sql.query(TOTALS)).toEqual(await sql.query(RECOUNT_TOTALS));

      await sql.transaction((tx) => foldJobCountShards(tx));
      expect(await sql.query(DAYS)).toEqual(await sql.query(RECOUNT));
      expect(await sql.query(MONTHS)).toEqual(await sql.query(RECOUNT_MONTHS));
      expect(await sql.query(TOTALS)).toEqual(await sql.query(RECOUNT_TOTALS));
      expect(await sql.query(`SELECT count(*)::int AS n FROM job_count_totals WHERE shard <> 0 OR jobs = 0`)).toEqual([{ n: 0 }]);
      expect(await sql.query(`SELECT count(*)::int AS n FROM job_count_days WHERE shard <> 0 OR jobs = 0`)).toEqual([{ n: 0 }]);
      expect(await sql.query(`SELECT count(*)::int AS n FROM job_count_months WHERE shard <> 0 OR jobs = 0`)).toEqual([{ n: 0 }]);
      const keys = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${RECOUNT_TOTALS}) r`);
      expect(await sql.query(`SELECT count(*)::int AS n FROM job_count_totals`)).toEqual(keys);
      // On the server, concurrent transactions really did spread over several shards.
      if (name === 'PostgreSQL') expect(shardsBefore[0].n).toBeGreaterThan(1);
    });

    it('counts the months of a store counted before month counts existed, once, when it migrates', async () => {
      const { sql } = subject;
      await sql.transaction((tx) => writeJobDocuments(tx, Array.from({ length: 30 }, (_, i) => submitted(500 + i)), 600));
      await sql.query(`DROP TABLE job_count_months`); // as an earlier version left the store (no write comes before the migration)
      await new PostgresJobReadStore(sql).migrate();
      expect(await sql.query(MONTHS)).toEqual(await sql.query(RECOUNT_MONTHS));
      await sql.transaction((tx) => writeJobDocuments(tx, Array.from({ length: 30 }, (_, i) => submitted(600 + i)), 600));
      await new PostgresJobReadStore(sql).migrate(); // present now: not counted again
      expect(await sql.query(MONTHS)).toEqual(await sql.query(RECOUNT_MONTHS));
      expect(await sql.query(DAYS)).toEqual(await sql.query(RECOUNT));
    });

    it('analyzes job_views once it changed by more than a tenth since its statistics, and not again until then', async () => {
      const { sql } = subject;
      const analyzed = async () => (await sql.query<{ n: string }>(
        `SELECT coalesce(analyze_count, 0) + coalesce(autoanalyze_count, 0) AS n FROM pg_stat_user_tables WHERE relid = 'job_views'::regclass`,
      ))[0].n;
      await analyzeStaleTables(sql);
      const before = Number(await analyzed());
      await sql.transaction((tx) => writeJobDocuments(tx, Array.from({ length: 700 }, (_, i) => submitted(1000 + i)), 600));
      // The server publishes a session's table statistics within a second or so: ask until they show the change.
      const after = await waitFor(async () => {
        await analyzeStaleTables(sql);
        const n = Number(await analyzed());
        return n > before ? n : null;
      }, 10_000);
      expect(after).toBe(before + 1);
      await analyzeStaleTables(sql);
      expect(Number(await analyzed())).toBe(after);
    });
  });
}

describeCounts('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});
const server = await resolveTestPostgres('maintained job counts suite');
describeCounts('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'job_counts')));

/**
 * The feed's two read paths give the same pages: the PostgreSQL fast path (scope index,
 * lines built by the server) and the event store port's scoped readAll (KurrentDB, or job
 * views in another database), on a PostgreSQL schema of its own with real jobs. Every filter, page
 * size and bound the feed uses is compared event for event and line for line; and the fast
 * path's lines are the same bytes as the NDJSON export has always sent.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { START_POSITION, formatPosition, type GlobalPosition, type NewEvent } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobRepository, jobEventUpcasters, systemCommandMetadata } from '../../job-domain/src/index.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { jobSubmission } from '../../../test/support/job-commands.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../test/support/postgres.js';
import { feedEventFields } from './feed-event.js';
import type { FeedFilter } from './feed-filter.js';
import { EventStoreFeedReads, ViewsElsewhereFeedReads, type FeedReads } from './feed-reads.js';
import { PostgresFeedReads } from './postgres-feed-reads.js';

const server = await resolveTestPostgres('feed reads suite');

(server ? describe : describe.skip)('feed reads: the PostgreSQL fast path and the event store port agree', () => {
  let sql: SqlClient;
  let cleanup: (() => Promise<void>) | undefined;
  let store: PostgresEventStore;
  let jobs: PostgresJobReadStore;
  let fast: FeedReads;
  let general: FeedReads;
  let apart: FeedReads;
  const scope = { tenantId: randomUUID(), projectId: randomUUID() };
  const jobIds: string[] = [];
  let middle: GlobalPosition;

  beforeAll(async () => {
    ({ sql, cleanup } = await openThrowawaySchema(server!.url, 'feed_reads'));
    store = await createEventStoreOnClient(sql, { pollIntervalMs: 60_000 });
    jobs = new PostgresJobReadStore(sql, 600, null);
    await jobs.migrate();
    const repository = new JobRepository(store, new PostgresJobWriter(sql, store, 600));
    const otherScope = { tenantId: scope.tenantId, projectId: randomUUID() };
    for (let i = 0; i < 12; i++) {
      const jobId = randomUUID();
      const jobType = i % 3 === 0 ? 'Notebook' : 'Analysis';
      const submission = jobSubmission(jobId, i % 4 === 3 ? otherScope : scope, { jobType, submittedAt: new Date().toISOString() });
      await repository.execute(jobId, { kind: 'SubmitJob', submission }, systemCommandMetadata('test'));
      if (i % 2 === 0) {
        await repository.execute(jobId, {
          kind: 'CancelJob', at: new Date().toISOString(),
          request: { requestedBy: 'test', reason: 'not needed', forceTermination: false, preservePartialResults: false },
        }, systemCommandMetadata('test'));
      }
      if (submission.projectId === scope.projectId) jobIds.push(jobId);
      if (i === 6) middle = await store.readHead();
    }
    // A stream that is not a job's, in the project: shown by the project feed, not by a job filter.
    const queueEvent: NewEvent = {
      eventId: randomUUID(), type: 'QueuePaused', schemaVersion: 1,
      data: { ...scope, pausedBy: 'test', pausedAt: new Date().toISOString(), reason: null },
      metadata: { ...scope, actor: 'test', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: new Date().toISOString() },
    };
    await store.append(`queue-${scope.tenantId}-${scope.projectId}`, [queueEvent], 'any');
    fast = new PostgresFeedReads(sql, store);
    const lookup = async (ids: readonly string[]) => new Map((await jobs.getJobsByIds(ids)).map((j) => [j.jobId, j.jobType]));
    general = new EventStoreFeedReads(store, lookup);
    apart = new ViewsElsewhereFeedReads(new PostgresFeedReads(sql, store, undefined, 'apart'), general);
  });

  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  /** Every page of `reads` for the filter, `limit` at a time, as event ids and as parsed lines. */
  async function allPages(reads: FeedReads, filter: FeedFilter, limit: number, upTo: GlobalPosition | null = null) {
    const ids: string[] = [];
    const lines: unknown[] = [];
    let after = START_POSITION;
    for (;;) {
      const page = await reads.readPage(filter, { after, upTo, limit });
      const json = await reads.readPageAsJson(filter, { after, upTo, limit });
      expect(json.map((l) => l.position)).toEqual(page.map((e) => e.position));
      ids.push(...page.map((e) => e.eventId));
      lines.push(...json.map((l) => JSON.parse(l.json)));
      if (page.length < limit) return { ids, lines };
      after = page[page.length - 1].position;
    }
  }

  const filters: [string, FeedFilter][] = [
    ['the whole project', { ...scope, jobId: null, jobType: null, eventTypes: null }],
    ['some event types', { ...scope, jobId: null, jobType: null, eventTypes: ['JobCancelled', 'QueuePaused'] }],
    ['one job type', { ...scope, jobId: null, jobType: 'Notebook', eventTypes: null }],
    ['one job type and event type', { ...scope, jobId: null, jobType: 'Analysis', eventTypes: ['JobSubmitted'] }],
  ];

  it.each(filters)('pages %s alike, a page at a time or all at once, up to a bound or not', async (_name, filter) => {
    const reference = await allPages(fast, filter, 1000);
    expect(reference.ids.length).toBeGreaterThan(0);
    for (const reads of [general, apart]) {
      for (const limit of [1, 3, 1000]) expect(await allPages(reads, filter, limit)).toEqual(reference);
      expect(await allPages(reads, filter, 2, middle)).toEqual(await allPages(fast, filter, 2, middle));
    }
  });

  it('reads one job alike, from its stream', async () => {
    for (const jobId of [jobIds[0], jobIds[1]]) {
      const filter: FeedFilter = { ...scope, jobId, jobType: null, eventTypes: null };
      const reference = await allPages(fast, filter, 1000);
      expect(reference.ids.length).toBeGreaterThan(0);
      expect(await allPages(general, filter, 1)).toEqual(reference);
      expect(await allPages(apart, filter, 1)).toEqual(reference);
    }
    // Another project's reader sees none of it.
    expect(await general.readPage({ ...scope, projectId: randomUUID(), jobId: jobIds[0], jobType: null, eventTypes: null }, { after: START_POSITION, upTo: null, limit: 10 }))
      .toEqual([]);
  });

  it('exports lines byte for byte as before: json_build_object\'s text, an upcast event as feedEventFields', async () => {
    const at = { tenantId: randomUUID(), projectId: randomUUID() };
    const metadata = { ...at, actor: 'test', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: '2026-01-05T08:00:00.000Z' };
    const jobId = randomUUID();
    const eventId = '3f2b8c1e-0000-4000-8000-000000000001';
    await store.append(`job-${jobId}`, [
      // Text that JSON must escape, non-ASCII, nesting, numbers and null.
      { eventId, type: 'JobProgressed', schemaVersion: 1, metadata, data: { stage: 'quote " backslash \\ tab \t newline \n é ✓', percentage: 12.5, nested: { list: [1, null, true] } } },
      // Stored in an older shape: shown upcast.
      { eventId: randomUUID(), type: 'JobRequeued', schemaVersion: 1, metadata, data: { reason: 'node lost', requeuedAt: '2026-01-05T08:00:01.000Z' } },
    ], 'no_stream');
    await store.append(`queue-${at.tenantId}-${at.projectId}`, [
      { eventId: randomUUID(), type: 'QueuePaused', schemaVersion: 1, metadata, data: { ...at, pausedBy: 'test', pausedAt: '2026-01-05T08:00:02.000Z', reason: null } },
    ], 'any');
    // A recorded time with microseconds: shown truncated to milliseconds, as toISOString does.
    await sql.query(`UPDATE events SET recorded_at = '2026-01-05T08:00:03.123987Z' WHERE metadata->>'tenantId' = $1`, [at.tenantId]);

    const reads = new PostgresFeedReads(sql, store, jobEventUpcasters);
    const page = await reads.readPageAsJson({ ...at, jobId: null, jobType: null, eventTypes: null }, { after: START_POSITION, upTo: null, limit: 10 });
    expect(page).toHaveLength(3);
    const [first, requeued, paused] = page;
    expect(first.json).toBe(`{"streamId" : "job-${jobId}", "jobId" : "${jobId}", "revision" : 0, "position" : "${formatPosition(first.position)}", `
      + `"eventId" : "${eventId}", "type" : "JobProgressed", "schemaVersion" : 1, "recordedAt" : "2026-01-05T08:00:03.123Z", `
      + `"data" : {"stage": "quote \\" backslash \\\\ tab \\t newline \\n é ✓", "nested": {"list": [1, null, true]}, "percentage": 12.5}, `
      + `"metadata" : {"actor": "test", "tenantId": "${at.tenantId}", "projectId": "${at.projectId}", "occurredAt": "${metadata.occurredAt}", `
      + `"causationId": "${metadata.causationId}", "correlationId": "${metadata.correlationId}"}}`);
    // The statement the export used before, over the same rows: the same bytes for every event not upcast.
    const before = await sql.query<{ line: string }>(`SELECT json_build_object(
        'streamId', e.stream_id, 'jobId', CASE WHEN e.stream_id LIKE 'job-%' THEN substr(e.stream_id, 5) END,
        'revision', e.stream_revision, 'position', e.transaction_id::text || '/' || e.global_position::text,
        'eventId', e.event_id, 'type', e.event_type, 'schemaVersion', e.schema_version,
        'recordedAt', to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'data', e.data, 'metadata', e.metadata)::text AS line
      FROM events e WHERE e.metadata->>'tenantId' = $1 ORDER BY e.transaction_id, e.global_position`, [at.tenantId]);
    expect([first.json, paused.json]).toEqual([before[0].line, before[2].line]);
    const [stored] = await store.readStream(`job-${jobId}`, { fromRevision: 1n });
    expect(requeued.json).toBe(JSON.stringify(feedEventFields(jobEventUpcasters.upcast(stored))));
    expect(JSON.parse(requeued.json)).toMatchObject({ schemaVersion: 2, data: { nodeLost: true }, recordedAt: '2026-01-05T08:00:03.123Z' });
  });

  it('exports large pages through COPY: the same bytes as the lines read as rows, every bound and page end alike', async () => {
    const at = { tenantId: randomUUID(), projectId: randomUUID() };
    const metadata = { ...at, actor: 'test', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: new Date().toISOString() };
    for (let s = 0; s < 3; s++) {
      await store.append(`job-${randomUUID()}`, Array.from({ length: 1000 }, (_, i) => ({
        // Text that COPY's text format would escape, and that JSON escapes: the bytes must pass unchanged.
        eventId: randomUUID(), type: 'JobProgressed', schemaVersion: 1, metadata, data: { step: i, stream: s, stage: 'a "quote", \\ \t \n \u0001 é ✓ \\.' },
      })), 'no_stream');
    }
    const filter: FeedFilter = { ...at, jobId: null, jobType: null, eventTypes: null };
    const text = async (page: { ndjson: string | NodeJS.ReadableStream }) => {
      if (typeof page.ndjson === 'string') return page.ndjson;
      const chunks: Buffer[] = [];
      for await (const chunk of page.ndjson) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };
    const all = await fast.readPage(filter, { after: START_POSITION, upTo: null, limit: 3000 });
    for (const [after, limit] of [[START_POSITION, 1000], [START_POSITION, 2999], [START_POSITION, 3000], [START_POSITION, 10_000], [all[499].position, 1001], [all[2999].position, 5000]] as const) {
      const page = await fast.readExportPage(filter, after, limit);
      if (limit >= 1000 && after === START_POSITION) expect(typeof page.ndjson).not.toBe('string'); // the COPY path
      const asRows = await fast.readPageAsJson(filter, { after, upTo: null, limit });
      const reference = await general.readExportPage(filter, after, limit);
      const body = await text(page);
      expect(body).toBe(asRows.map((l) => l.json + '\n').join(''));
      expect({ last: page.last, endReached: page.endReached }).toEqual({ last: reference.last, endReached: reference.endReached });
      expect(body.split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual((await text(reference)).split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    }
    // A page holding an event in an older shape shows it upcast, as every read does.
    await store.append(`job-${randomUUID()}`, [
      { eventId: randomUUID(), type: 'JobRequeued', schemaVersion: 1, metadata, data: { reason: 'node lost', requeuedAt: metadata.occurredAt } },
    ], 'no_stream');
    const upcasting = new PostgresFeedReads(sql, store, jobEventUpcasters);
    const page = await upcasting.readExportPage(filter, all[1999].position, 2000);
    const lines = (await text(page)).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1001);
    expect(lines.at(-1)).toMatchObject({ type: 'JobRequeued', schemaVersion: 2, data: { nodeLost: true } });
    expect(page.endReached).toBe(true);
  });

  it('names the same head and job types', async () => {
    expect(await general.readHead()).toEqual(await fast.readHead());
    expect(await apart.readJobTypes(jobIds)).toEqual(await fast.readJobTypes(jobIds));
    await expect(new PostgresFeedReads(sql, store, undefined, 'apart').readJobTypes(jobIds)).rejects.toThrow(/read store/);
  });
});

/**
 * The feed's two read paths give the same pages: the PostgreSQL fast path (scope index,
 * lines built by the server) and the event store port's scoped readAll (KurrentDB, or job
 * views in another database), on a PostgreSQL schema of its own with real jobs. Every filter, page
 * size and bound the feed uses is compared event for event and line for line.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { START_POSITION, type GlobalPosition, type NewEvent } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobRepository, systemCommandMetadata } from '../../job-domain/src/index.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { jobSubmission } from '../../../test/support/job-commands.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../test/support/postgres.js';
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

  it('names the same head and job types', async () => {
    expect(await general.readHead()).toEqual(await fast.readHead());
    expect(await apart.readJobTypes(jobIds)).toEqual(await fast.readJobTypes(jobIds));
    await expect(new PostgresFeedReads(sql, store, undefined, 'apart').readJobTypes(jobIds)).rejects.toThrow(/read store/);
  });
});

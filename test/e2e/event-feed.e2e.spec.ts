/**
 * The event feed over real HTTP against the service process on PostgreSQL: SSE resume
 * without loss or duplicates while others append, a 100,000-event NDJSON export, tenant
 * and project isolation, filters, heartbeats, one job's feed, and bad parameters.
 * Events are seeded through the event store's own append API, in the service's schema.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  createPostgresEventStore, formatPosition, type NewEvent, type PostgresEventStore, type RecordedEvent,
} from '../../libs/event-store/src/index.js';
import { openEventStream, type EventStreamClient } from '../support/event-feed-client.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const server = await resolveTestPostgres('event feed end-to-end suite');

interface Scope { readonly tenantId: string; readonly projectId: string }

function feedEvents(scope: Scope, count: number, type = 'JobProgressed'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(), type, schemaVersion: 1, data: { step: i },
    metadata: {
      tenantId: scope.tenantId, projectId: scope.projectId, actor: 'feed-test', correlationId: randomUUID(),
      causationId: randomUUID(), occurredAt: new Date().toISOString(),
    },
  }));
}

/** Every event of the store in global order (the reference the feed is compared with). */
async function readEverything(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: all.at(-1)?.position, maxCount: 20_000 });
    all.push(...page);
    if (page.length < 20_000) return all;
  }
}

const inScope = (scope: Scope) => (e: RecordedEvent) => e.metadata.tenantId === scope.tenantId && e.metadata.projectId === scope.projectId;

async function ndjsonPage(service: ServiceProcess, token: string, urlPath: string) {
  const response = await fetch(`${service.url}${urlPath}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' } });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next: response.headers.get('x-next-position'),
    endReached: response.headers.get('x-end-reached'),
    lines: response.status === 200 ? text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) : [],
    body: response.status === 200 ? null : JSON.parse(text),
  };
}

(server ? describe : describe.skip)('event feed (PostgreSQL)', () => {
  const schema = randomSchemaName('e2e_feed');
  let service: ServiceProcess;
  let store: PostgresEventStore;
  const scope: Scope = { tenantId: randomUUID(), projectId: randomUUID() };
  const otherProject: Scope = { tenantId: scope.tenantId, projectId: randomUUID() };
  const otherTenant: Scope = { tenantId: randomUUID(), projectId: randomUUID() };
  let token: string;
  let base: string;

  beforeAll(async () => {
    service = await startServiceProcess({
      DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, EMBEDDED_WORKER_CAPACITY: '0', EVENT_FEED_HEARTBEAT_SECONDS: '0.2',
    });
    store = await createPostgresEventStore({ connectionString: server!.url, schema });
    token = await service.token(scope.tenantId, [scope.projectId], 'feed-reader', ['viewer']);
    base = `/api/${scope.tenantId}/${scope.projectId}/execution`;
  }, 90_000);

  afterAll(async () => {
    await store?.close();
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    if (server) await dropSchema(server.url, schema);
  });

  it('an SSE client that leaves mid-stream and resumes with Last-Event-ID misses and repeats nothing while others append', async () => {
    await store.append(`job-${randomUUID()}`, feedEvents(scope, 50), 'any');
    const steady = await openEventStream(`${service.url}${base}/events`, token);
    const first = await openEventStream(`${service.url}${base}/events`, token);
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);

    // Four writers append to their own streams (and to other scopes) while the clients read.
    let writing = true;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      const streamId = `job-${randomUUID()}`;
      let rounds = 0;
      while (writing || rounds < 5) {
        await store.append(streamId, feedEvents(scope, 1 + (rounds % 7)), 'any');
        await store.append(`job-${randomUUID()}`, feedEvents(w % 2 ? otherProject : otherTenant, 2), 'any');
        rounds += 1;
      }
    });
    await waitFor(() => first.events.length >= 120, 20_000, 20, 'the first client to receive 120 events');
    first.close();
    await first.ended;
    const lastSeen = first.events.at(-1)!.id!;
    const resumed = await openEventStream(`${service.url}${base}/events`, token, { 'Last-Event-ID': lastSeen });
    await waitFor(() => resumed.events.length >= 100, 20_000, 20, 'the resumed client to receive 100 events');
    writing = false;
    await Promise.all(writers);

    const expected = (await readEverything(store)).filter(inScope(scope));
    const ids = (client: EventStreamClient) => client.events.map((e) => e.id);
    await waitFor(() => resumed.events.at(-1)?.id === formatPosition(expected.at(-1)!.position), 20_000, 20, 'the resumed client to reach the head');
    await waitFor(() => steady.events.at(-1)?.id === formatPosition(expected.at(-1)!.position), 20_000, 20, 'the steady client to reach the head');
    const positions = expected.map((e) => formatPosition(e.position));
    expect([...ids(first), ...ids(resumed)]).toEqual(positions);
    expect(ids(steady)).toEqual(positions);
    const sample = JSON.parse(steady.events[7].data);
    expect(sample).toEqual(expect.objectContaining({
      position: positions[7], streamId: expected[7].streamId, jobId: expected[7].streamId.slice(4), eventId: expected[7].eventId,
      type: 'JobProgressed', revision: Number(expected[7].revision), recordedAt: expected[7].recordedAt, data: expected[7].data,
    }));
    expect(sample.metadata.tenantId).toBe(scope.tenantId);
    steady.close();
    resumed.close();
    await Promise.all([steady.ended, resumed.ended]);
  }, 90_000);

  it('exports 100,000 events as NDJSON pages, complete and in global order', async () => {
    const exportScope: Scope = { tenantId: scope.tenantId, projectId: randomUUID() };
    const exportToken = await service.token(exportScope.tenantId, [exportScope.projectId], 'exporter', ['viewer']);
    const streams = Array.from({ length: 100 }, () => `job-${randomUUID()}`);
    for (let i = 0; i < streams.length; i += 10) {
      await Promise.all(streams.slice(i, i + 10).map((s) => store.append(s, feedEvents(exportScope, 1000), 'any')));
    }
    const exportBase = `/api/${exportScope.tenantId}/${exportScope.projectId}/execution/events`;
    const exported: string[] = [];
    let from: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await ndjsonPage(service, exportToken, `${exportBase}?limit=10000${from ? `&from=${from}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.contentType).toMatch(/^application\/x-ndjson/);
      pages += 1;
      exported.push(...page.lines.map((l) => l.eventId as string));
      expect(page.next).toBe(page.lines.length ? page.lines.at(-1).position : from);
      from = page.next;
      if (page.endReached === 'true') break;
      expect(page.lines).toHaveLength(10_000);
    }
    const expected = (await readEverything(store)).filter(inScope(exportScope)).map((e) => e.eventId);
    expect(expected).toHaveLength(100_000);
    expect(exported).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(10);
    // Asked again from the end: an empty last page that says so.
    const after = await ndjsonPage(service, exportToken, `${exportBase}?from=${from}`);
    expect([after.lines.length, after.next, after.endReached]).toEqual([0, from, 'true']);

    // Clients that leave mid-page (more of them than the service's pool has connections): each
    // page's COPY ends and its connection goes; the next export is whole.
    for (let i = 0; i < 25; i++) {
      const leaving = new AbortController();
      const response = await fetch(`${service.url}${exportBase}?limit=10000`, {
        headers: { Authorization: `Bearer ${exportToken}`, Accept: 'application/x-ndjson' }, signal: leaving.signal,
      });
      expect(response.status).toBe(200);
      await response.body!.getReader().read();
      leaving.abort();
    }
    const activity = new pg.Client({ connectionString: server!.url });
    await activity.connect();
    try {
      await waitFor(async () => (await activity.query<{ copies: number }>(
        `SELECT count(*)::int AS copies FROM pg_stat_activity WHERE query LIKE 'COPY (%' AND query LIKE '%' || $1 || '%' AND state <> 'idle'`,
        [exportScope.projectId])).rows[0].copies === 0, 20_000, 50, 'the abandoned COPY statements to end');
    } finally {
      await activity.end();
    }
    const whole = await ndjsonPage(service, exportToken, `${exportBase}?limit=10000`);
    expect(whole.lines.map((l) => l.eventId)).toEqual(expected.slice(0, 10_000));
  }, 180_000);

  it('shows only the caller\'s tenant and project, and hides another tenant\'s project', async () => {
    const isolated: Scope = { tenantId: randomUUID(), projectId: randomUUID() };
    const neighbour: Scope = { tenantId: isolated.tenantId, projectId: randomUUID() };
    const stranger: Scope = { tenantId: randomUUID(), projectId: isolated.projectId };
    const isolatedToken = await service.token(isolated.tenantId, [isolated.projectId], 'isolated', ['viewer']);
    const isolatedBase = `/api/${isolated.tenantId}/${isolated.projectId}/execution/events`;
    const live = await openEventStream(`${service.url}${isolatedBase}`, isolatedToken);
    for (const s of [isolated, neighbour, stranger, isolated]) await store.append(`job-${randomUUID()}`, feedEvents(s, 3), 'any');
    await waitFor(() => live.events.length >= 6, 10_000, 20, 'six live events');
    const page = await ndjsonPage(service, isolatedToken, isolatedBase);
    for (const event of [...page.lines, ...live.events.map((e) => JSON.parse(e.data))]) {
      expect([event.metadata.tenantId, event.metadata.projectId]).toEqual([isolated.tenantId, isolated.projectId]);
    }
    expect(page.lines).toHaveLength(6);
    live.close();
    // The token's tenant, another project; another tenant: 404 on both routes, SSE and NDJSON.
    for (const other of [neighbour, stranger]) {
      const res = await api(service.url, isolatedToken, 'GET', `/api/${other.tenantId}/${other.projectId}/execution/events`, undefined, { Accept: 'text/event-stream' });
      expect(res.status).toBe(404);
      expect((await ndjsonPage(service, isolatedToken, `/api/${other.tenantId}/${other.projectId}/execution/events`)).status).toBe(404);
    }
    await live.ended;
  }, 60_000);

  it('filters by job, job type and event type, live and in pages', async () => {
    const filtered: Scope = { tenantId: randomUUID(), projectId: randomUUID() };
    const operator = await service.token(filtered.tenantId, [filtered.projectId], 'operator', ['operator']);
    const filteredBase = `/api/${filtered.tenantId}/${filtered.projectId}`;
    const datasetId = await uploadDataset(service, operator, filteredBase);
    const submit = async (jobType: string) => {
      const res = await api(service.url, operator, 'POST', `${filteredBase}/execution/job`, {
        jobName: `filtered ${jobType}`, jobType, priority: 'Normal', parameters: { datasetId, analysisType: jobType === 'Analysis' ? 'variants' : 'comprehensive' },
      });
      expect(res.status).toBe(201);
      return res.body.jobId as string;
    };
    const analysisLive = await openEventStream(`${service.url}${filteredBase}/execution/events?jobType=Analysis`, operator);
    const submittedLive = await openEventStream(`${service.url}${filteredBase}/execution/events?eventType=JobSubmitted,JobPriorityChanged`, operator);
    const analysis = await submit('Analysis');
    const mining = await submit('ProcessMining');
    await store.append(`job-${analysis}`, feedEvents(filtered, 2, 'JobProgressed'), 'any');
    await store.append(`job-${mining}`, feedEvents(filtered, 2, 'JobProgressed'), 'any');
    const jobLive = await openEventStream(`${service.url}${filteredBase}/execution/events?jobId=${mining}`, operator);

    await waitFor(() => analysisLive.events.length >= 3 && submittedLive.events.length >= 2 && jobLive.events.length >= 3, 10_000, 20, 'filtered events');
    const typesAndJobs = (client: EventStreamClient) => client.events.map((e) => JSON.parse(e.data)).map((e) => `${e.jobId}:${e.type}`);
    expect(typesAndJobs(analysisLive)).toEqual([`${analysis}:JobSubmitted`, `${analysis}:JobProgressed`, `${analysis}:JobProgressed`]);
    expect(typesAndJobs(submittedLive)).toEqual([`${analysis}:JobSubmitted`, `${mining}:JobSubmitted`]);
    expect(typesAndJobs(jobLive)).toEqual([`${mining}:JobSubmitted`, `${mining}:JobProgressed`, `${mining}:JobProgressed`]);

    const pageOf = async (query: string) => (await ndjsonPage(service, operator, `${filteredBase}/execution/events?${query}`)).lines.map((e) => `${e.jobId}:${e.type}`);
    expect(await pageOf('jobType=ProcessMining&eventType=JobProgressed')).toEqual([`${mining}:JobProgressed`, `${mining}:JobProgressed`]);
    expect(await pageOf(`jobId=${analysis}&eventType=JobSubmitted`)).toEqual([`${analysis}:JobSubmitted`]);
    expect(await pageOf('jobType=Notebook')).toEqual([]);
    for (const client of [analysisLive, submittedLive, jobLive]) client.close();
  }, 60_000);

  it('sends heartbeat comments at the configured interval', async () => {
    const quiet = await openEventStream(`${service.url}/api/${otherTenant.tenantId}/${randomUUID()}/execution/events`,
      await service.token(otherTenant.tenantId, ['*'], 'quiet', ['viewer']));
    const openedAt = Date.now();
    await waitFor(() => quiet.comments.filter((c) => c === 'heartbeat').length >= 3, 10_000, 20, 'three heartbeats');
    // Three at 0.2 s apart: well under the 15 s default.
    expect(Date.now() - openedAt).toBeLessThan(5_000);
    expect(quiet.events).toHaveLength(0);
    quiet.close();
  }, 30_000);

  it('follows one job until it ends, as SSE and as an NDJSON page; an unknown job is a 404', async () => {
    const operator = await service.token(scope.tenantId, [scope.projectId], 'operator', ['operator']);
    const datasetId = await uploadDataset(service, operator, `/api/${scope.tenantId}/${scope.projectId}`);
    const submitted = await api(service.url, operator, 'POST', `${base}/job`, {
      jobName: 'followed', jobType: 'Analysis', priority: 'Normal', parameters: { datasetId, analysisType: 'variants' },
    });
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.jobId as string;
    const follower = await openEventStream(`${service.url}${base}/job/${jobId}/events`, operator);
    await waitFor(() => follower.events.length >= 1, 10_000, 20, 'the JobSubmitted event');
    const cancelled = await api(service.url, operator, 'DELETE', `${base}/job/${jobId}`, { reason: 'followed to the end' });
    expect(cancelled.status).toBeLessThan(300);
    await follower.ended; // the server ends the stream after the job's last event
    const types = follower.events.map((e) => JSON.parse(e.data).type);
    expect(types[0]).toBe('JobSubmitted');
    expect(types.at(-1)).toBe('JobCancelled');

    // Resuming after the job's last event: nothing more, and the stream ends at once.
    const after = await openEventStream(`${service.url}${base}/job/${jobId}/events`, operator, { 'Last-Event-ID': follower.events.at(-1)!.id! });
    await after.ended;
    expect(after.events).toHaveLength(0);

    const page = await ndjsonPage(service, operator, `${base}/job/${jobId}/events`);
    expect(page.lines.map((e) => e.type)).toEqual(types);
    expect(page.lines.every((e) => e.jobId === jobId && e.streamId === `job-${jobId}`)).toBe(true);
    // The same events in the same shape, whichever way they are read.
    expect(page.lines).toEqual(follower.events.map((e) => JSON.parse(e.data)));
    expect(Object.keys(page.lines[0])).toEqual(Object.keys(JSON.parse(follower.events[0]!.data)));

    const unknown = await api(service.url, operator, 'GET', `${base}/job/${randomUUID()}/events`, undefined, { Accept: 'text/event-stream' });
    expect(unknown.status).toBe(404);
    const foreign = await service.token(otherTenant.tenantId, ['*'], 'stranger', ['viewer']);
    const elsewhere = await api(service.url, foreign, 'GET', `/api/${otherTenant.tenantId}/${scope.projectId}/execution/job/${jobId}/events`);
    expect(elsewhere.status).toBe(404);
  }, 60_000);

  it('answers bad parameters with a 400 naming the field, and an unknown media type with a 406', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['?from=12', {}, 'from'],
      ['?from=-1/-1', {}, 'from'],
      ['?from=99999999999999999999/1', {}, 'from'],
      ['?limit=0', {}, 'limit'],
      ['?limit=10001', {}, 'limit'],
      ['?limit=ten', {}, 'limit'],
      ['?jobType=Mining', {}, 'jobType'],
      ['?jobId=not-a-uuid', {}, 'jobId'],
      ['?eventType=JobStarted,Nope', {}, 'eventType'],
      ['?colour=red', {}, 'colour'],
      ['', { Accept: 'text/event-stream', 'Last-Event-ID': 'yesterday' }, 'Last-Event-ID'],
      ['', { Accept: 'text/event-stream', 'Last-Event-ID': '9223372036854775808/1' }, 'Last-Event-ID'],
    ];
    for (const [query, headers, field] of cases) {
      const res = await api(service.url, token, 'GET', `${base}/events${query}`, undefined, headers);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const html = await api(service.url, token, 'GET', `${base}/events`, undefined, { Accept: 'text/html' });
    expect(html.status).toBe(406);
    expect(html.body.errors[0].field).toBe('Accept');
    const jobQuery = await api(service.url, token, 'GET', `${base}/job/${randomUUID()}/events?jobType=Analysis`);
    expect(jobQuery.status).toBe(400);
  }, 30_000);
});

/**
 * The feed's catch-up and export reads, whatever the event store: one project's (or job's)
 * events in global order after a position, optionally up to another. `PostgresFeedReads`
 * is the fast path on PostgreSQL and PGlite (the scope index, lines built by the server);
 * `EventStoreFeedReads` reads through the event store port (KurrentDB, or the job views
 * kept in another database than the events).
 */
import type { Readable } from 'node:stream';
import {
  comparePositions, type EventStore, type GlobalPosition, type RecordedEvent,
} from '../../event-store/src/event-store.port.js';
import { feedEventFields } from './feed-event.js';
import { jobIdOfStream, matchesFilter, type FeedFilter } from './feed-filter.js';

export interface FeedPageRequest {
  readonly after: GlobalPosition;
  /** Inclusive; null: up to the newest event that can be read. */
  readonly upTo: GlobalPosition | null;
  readonly limit: number;
}

/** One page of an NDJSON export. */
export interface ExportPage {
  /** The page's last event; null when the page is empty. */
  readonly last: GlobalPosition | null;
  /** True when no event the filter lets through follows the page (so far). */
  readonly endReached: boolean;
  /** The page's events, one line of JSON each (the shape of `feedEventFields`), each line ending with a newline. */
  readonly ndjson: string | Readable;
}

/** An abstract class so it can be the injection token too. */
export abstract class FeedReads {
  /** Up to `limit` events the filter lets through, after `after` (and up to `upTo`), in global order; fewer only at the end. */
  abstract readPage(filter: FeedFilter, page: FeedPageRequest): Promise<RecordedEvent[]>;
  /** As readPage, each event as one line of JSON (the shape of `feedEventFields`), for export. */
  abstract readPageAsJson(filter: FeedFilter, page: FeedPageRequest): Promise<{ position: GlobalPosition; json: string }[]>;
  /** Up to `limit` events after `after` as an NDJSON page, with where the next page starts. */
  async readExportPage(filter: FeedFilter, after: GlobalPosition, limit: number): Promise<ExportPage> {
    // One event more than asked tells whether this page reaches the end.
    const lines = await this.readPageAsJson(filter, { after, upTo: null, limit: limit + 1 });
    const page = lines.slice(0, limit);
    return { last: page.at(-1)?.position ?? null, endReached: lines.length <= limit, ndjson: ndjsonOf(page) };
  }
  /** The newest position a reader can reach now (START_POSITION on an empty store). */
  abstract readHead(): Promise<GlobalPosition>;
  abstract readJobTypes(jobIds: readonly string[]): Promise<Map<string, string>>;
}

/** Lines of JSON as an NDJSON body: each followed by a newline. */
export function ndjsonOf(lines: readonly { json: string }[]): string {
  let ndjson = '';
  for (const line of lines) ndjson += line.json + '\n';
  return ndjson;
}

/** Job types by job id, from wherever the job views are. */
export type JobTypeLookup = (jobIds: readonly string[]) => Promise<Map<string, string>>;

/** Events of the store a scoped readAll reads at once while filling a page. */
const SCAN_PAGE = 1000;

export class EventStoreFeedReads extends FeedReads {
  constructor(private readonly events: EventStore, private readonly jobTypes: JobTypeLookup) {
    super();
  }

  async readPage(filter: FeedFilter, page: FeedPageRequest): Promise<RecordedEvent[]> {
    if (page.limit <= 0) return [];
    const beyond = (event: RecordedEvent) => page.upTo !== null && comparePositions(event.position, page.upTo) > 0;
    if (filter.jobId !== null) {
      // One job: its stream (a job's stream is short), in revision order, which is its global order.
      const stream = await this.events.readStream(`job-${filter.jobId}`);
      const known = new Map(await this.typesOf(stream, filter));
      const out: RecordedEvent[] = [];
      for (const event of stream) {
        if (comparePositions(event.position, page.after) <= 0) continue;
        if (beyond(event) || out.length >= page.limit) break;
        if (matchesFilter(event, filter, (jobId) => known.get(jobId))) out.push(event);
      }
      return out;
    }
    const out: RecordedEvent[] = [];
    let after = page.after;
    const scope = { tenantId: filter.tenantId, projectId: filter.projectId };
    for (;;) {
      const batch = await this.events.readAll({ after, maxCount: SCAN_PAGE, scope });
      const known = await this.typesOf(batch, filter);
      for (const event of batch) {
        if (beyond(event)) return out;
        if (matchesFilter(event, filter, (jobId) => known.get(jobId)) && out.push(event) >= page.limit) return out;
      }
      if (batch.length < SCAN_PAGE) return out;
      after = batch[batch.length - 1].position;
    }
  }

  async readPageAsJson(filter: FeedFilter, page: FeedPageRequest): Promise<{ position: GlobalPosition; json: string }[]> {
    const events = await this.readPage(filter, page);
    return events.map((event) => ({ position: event.position, json: JSON.stringify(feedEventFields(event)) }));
  }

  readHead(): Promise<GlobalPosition> {
    return this.events.readHead();
  }

  readJobTypes(jobIds: readonly string[]): Promise<Map<string, string>> {
    return jobIds.length === 0 ? Promise.resolve(new Map()) : this.jobTypes(jobIds);
  }

  /** The job types a job-type filter needs for these events: from their JobSubmitted, else from the views. */
  private async typesOf(events: readonly RecordedEvent[], filter: FeedFilter): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    if (filter.jobType === null) return known;
    const unknown = new Set<string>();
    for (const event of events) {
      const jobId = jobIdOfStream(event.streamId);
      if (jobId === null) continue;
      const jobType = event.type === 'JobSubmitted' ? (event.data as { jobType?: unknown }).jobType : undefined;
      if (typeof jobType === 'string') known.set(jobId, jobType);
      else unknown.add(jobId);
    }
    for (const jobId of known.keys()) unknown.delete(jobId);
    if (unknown.size > 0) for (const [jobId, jobType] of await this.readJobTypes([...unknown])) known.set(jobId, jobType);
    return known;
  }
}

/**
 * PostgreSQL events with the job views in another database: the fast path, except for what
 * needs the views (a job-type filter, job types), which goes through the port.
 */
export class ViewsElsewhereFeedReads extends FeedReads {
  constructor(private readonly fast: FeedReads, private readonly general: FeedReads) {
    super();
  }

  readPage(filter: FeedFilter, page: FeedPageRequest): Promise<RecordedEvent[]> {
    return (filter.jobType === null ? this.fast : this.general).readPage(filter, page);
  }

  readPageAsJson(filter: FeedFilter, page: FeedPageRequest): Promise<{ position: GlobalPosition; json: string }[]> {
    return (filter.jobType === null ? this.fast : this.general).readPageAsJson(filter, page);
  }

  override readExportPage(filter: FeedFilter, after: GlobalPosition, limit: number): Promise<ExportPage> {
    return (filter.jobType === null ? this.fast : this.general).readExportPage(filter, after, limit);
  }

  readHead(): Promise<GlobalPosition> {
    return this.fast.readHead();
  }

  readJobTypes(jobIds: readonly string[]): Promise<Map<string, string>> {
    return this.general.readJobTypes(jobIds);
  }
}

/**
 * The event feed's reads for the stores this process opened: the PostgreSQL fast path where
 * the events are in PostgreSQL or PGlite, the event store port elsewhere; job types come from
 * the read store's port wherever the views are not beside the events.
 */
import { EventStoreFeedReads, FeedReads, PostgresFeedReads, ViewsElsewhereFeedReads } from '../../../../../libs/event-feed/src/index.js';
import { jobEventUpcasters } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';

export function feedReadsOf(stores: Pick<Stores, 'events' | 'eventsSql' | 'jobs' | 'jobViewsBesideEvents'>): FeedReads {
  const general = new EventStoreFeedReads(stores.events, async (jobIds) => {
    const jobs = await stores.jobs.getJobsByIds(jobIds);
    return new Map(jobs.map((job) => [job.jobId, job.jobType]));
  });
  if (!stores.eventsSql) return general;
  if (stores.jobViewsBesideEvents) return new PostgresFeedReads(stores.eventsSql, stores.events, jobEventUpcasters, 'beside');
  return new ViewsElsewhereFeedReads(new PostgresFeedReads(stores.eventsSql, stores.events, jobEventUpcasters, 'apart'), general);
}

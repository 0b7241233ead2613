/**
 * Upcasters of the job's events: each turns one stored schema version of a type into the
 * next. Every event store the service opens runs them on read, so `evolve`, projections,
 * history and exports only ever see the shapes of job.events.ts.
 *
 * To change an event's shape: bump its entry in JOB_EVENT_SCHEMA_VERSIONS, change its data
 * type, and add an upcaster here from the previous version (never edit a shipped one).
 */
import { EventUpcasters, type EventUpcaster } from '../../event-store/src/event-upcasters.js';
import type { JobRequeuedData } from './job.events.js';

/**
 * JobRequeued 1 → 2: `nodeLost` became required. Version 1 events stored before handbacks
 * were told apart lack it, and all of those were attempts lost with their node.
 */
const jobRequeuedNodeLost: EventUpcaster = {
  eventType: 'JobRequeued',
  fromVersion: 1,
  upcast(data) {
    const v1 = data as Omit<JobRequeuedData, 'nodeLost'> & { nodeLost?: boolean };
    return { ...v1, nodeLost: v1.nodeLost ?? true } satisfies JobRequeuedData;
  },
};

export const JOB_EVENT_UPCASTERS: readonly EventUpcaster[] = [jobRequeuedNodeLost];

/** The registry every event store of the service is opened with. */
export const jobEventUpcasters = new EventUpcasters(JOB_EVENT_UPCASTERS);

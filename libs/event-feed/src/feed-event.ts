/** How the API shows a stored event: in a job's history, and with its stream and job in the event feed. */
import { formatPosition, type RecordedEvent } from '../../event-store/src/event-store.port.js';
import { jobIdOfStream } from './feed-filter.js';

type ShownEvent = Omit<RecordedEvent, 'metadata'> & { readonly metadata: unknown };

/** One event of a job's history. */
export function recordedEventView(e: ShownEvent) {
  return {
    revision: Number(e.revision),
    position: formatPosition(e.position),
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    recordedAt: e.recordedAt,
    data: e.data,
    metadata: e.metadata,
  };
}

/** One event of the feed: the history's fields, its stream and job first. */
export function feedEventFields(e: ShownEvent) {
  return { streamId: e.streamId, jobId: jobIdOfStream(e.streamId), ...recordedEventView(e) };
}

/**
 * The KurrentDB adapter's mapping between the port and the driver, with the driver's own
 * constants and error classes (no server: the contract suite covers the wire).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ANY, NO_STREAM, START, WrongExpectedVersionError, type RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import {
  START_POSITION, WrongExpectedRevisionError, comparePositions, type NewEvent, type RecordedEvent,
} from '../event-store.port.js';
import {
  findEarlierAppend, fromKurrentPosition, isSystemEvent, toEventData, toReadPosition, toRecordedEvent, toStreamState,
  toWrongExpectedRevisionError,
} from './kurrentdb-event-store.js';

function newEvent(data: unknown = { n: 1 }): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'JobSubmitted',
    schemaVersion: 2,
    data,
    metadata: {
      tenantId: 't', projectId: 'p', actor: 'user:jörg', correlationId: randomUUID(), causationId: randomUUID(),
      occurredAt: '2024-03-01T10:00:00.000Z', extra: { attempt: 2 },
    },
  };
}

/** What the driver hands back for an event written from `toEventData(event)`. */
function asStored(event: NewEvent, streamId: string, revision: bigint, position: { commit: bigint; prepare: bigint } | undefined): KurrentRecordedEvent {
  const written = toEventData(event);
  // The wire carries JSON text: data and metadata come back parsed from it.
  return {
    streamId, id: written.id, isJson: true, revision, type: written.type, created: new Date('2024-03-01T10:00:01.250Z'),
    data: JSON.parse(JSON.stringify(written.data)), metadata: JSON.parse(JSON.stringify(written.metadata)), position,
  } as KurrentRecordedEvent;
}

describe('KurrentDB mapping', () => {
  it('maps the exclusive start of the port to START and a position to the same commit/prepare pair', () => {
    expect(toReadPosition(undefined)).toBe(START);
    expect(toReadPosition(START_POSITION)).toBe(START);
    expect(toReadPosition({ commit: 1024n, prepare: 980n })).toEqual({ commit: 1024n, prepare: 980n });
    const position = fromKurrentPosition({ commit: 18446744073709551615n, prepare: 42n });
    expect(position).toEqual({ commit: 18446744073709551615n, prepare: 42n });
    expect(comparePositions(position, START_POSITION)).toBeGreaterThan(0);
  });

  it('maps expected revisions to the driver stream states', () => {
    expect(toStreamState(7n)).toBe(7n);
    expect(toStreamState(0n)).toBe(0n);
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('any')).toBe(ANY);
    expect(() => toStreamState(-1n)).toThrow(RangeError);
  });

  it("maps the driver's WrongExpectedVersionError to the port's error with the actual revision", () => {
    const existing = new WrongExpectedVersionError(undefined, { streamName: 'job-1', expected: 1n, current: 2n });
    const mapped = toWrongExpectedRevisionError('job-1', 1n, existing);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ name: 'WrongExpectedRevisionError', streamId: 'job-1', expected: 1n, actual: 2n });

    const missing = new WrongExpectedVersionError(undefined, { streamName: 'job-2', expected: 0n, current: NO_STREAM });
    expect(toWrongExpectedRevisionError('job-2', 0n, missing)).toMatchObject({ expected: 0n, actual: 'no_stream' });
    const exists = new WrongExpectedVersionError(undefined, { streamName: 'job-3', expected: NO_STREAM, current: 0n });
    expect(toWrongExpectedRevisionError('job-3', 'no_stream', exists)).toMatchObject({ expected: 'no_stream', actual: 0n });
  });

  it('writes JSON events with the caller id and round-trips them into RecordedEvent', () => {
    const event = newEvent({ name: 'ünïcödé 🚀', nested: { list: [1, 2.5, null] }, nothing: null });
    const data = toEventData(event);
    expect(data).toMatchObject({ id: event.eventId, contentType: 'application/json', type: 'JobSubmitted' });
    expect(data.metadata).toMatchObject({ $schemaVersion: 2, $correlationId: event.metadata.correlationId, tenantId: 't' });

    const recorded = toRecordedEvent(asStored(event, 'job-9', 3n, { commit: 500n, prepare: 480n }));
    expect(recorded).toEqual({
      ...event,
      streamId: 'job-9',
      revision: 3n,
      position: { commit: 500n, prepare: 480n },
      recordedAt: '2024-03-01T10:00:01.250Z',
    });
  });

  it('skips system events and refuses events without a position', () => {
    expect(isSystemEvent({ type: '$>', streamId: '$ce-job' })).toBe(true);
    expect(isSystemEvent({ type: '$metadata', streamId: '$$job-1' })).toBe(true);
    expect(isSystemEvent({ type: 'StatsCollected', streamId: '$stats-127.0.0.1:2113' })).toBe(true);
    expect(isSystemEvent({ type: 'JobStarted', streamId: 'job-1' })).toBe(false);
    const link = { ...asStored(newEvent(), '$et-JobSubmitted', 0n, { commit: 1n, prepare: 1n }), type: '$>' } as KurrentRecordedEvent;
    expect(toRecordedEvent(link)).toBeNull();
    expect(() => toRecordedEvent(asStored(newEvent(), 'job-1', 0n, undefined))).toThrow(/position/);
  });

  it('recognises an earlier append of the same batch by its first event id', () => {
    const [a, b, c] = [newEvent({ i: 0 }), newEvent({ i: 1 }), newEvent({ i: 2 })];
    const stream: RecordedEvent[] = [a, b, c].map((e, i) => ({
      ...e, streamId: 's', revision: BigInt(i), position: { commit: BigInt(100 + i), prepare: BigInt(100 + i) }, recordedAt: '',
    }));
    expect(findEarlierAppend(stream, [a, b])).toEqual({ nextRevision: 1n, position: { commit: 101n, prepare: 101n } });
    expect(findEarlierAppend(stream, [{ ...b, eventId: b.eventId.toUpperCase() }])).toEqual({ nextRevision: 1n, position: { commit: 101n, prepare: 101n } });
    expect(findEarlierAppend(stream, [newEvent(), a])).toBeNull();
    expect(findEarlierAppend([], [a])).toBeNull();
  });
});

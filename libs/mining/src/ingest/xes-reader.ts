import { ByteInterner } from './byte-interner.js';
import type { EventLogBuilder, TimestampField } from './log-builder.js';
import { parseTimestampBytesInto } from './timestamp.js';
import { XesMarkupScanner, type XesAttributeValue } from './xes-markup-scanner.js';

/** XES attribute element names; anything else inside a trace or event is ignored. */
const ATTRIBUTE_ELEMENTS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id', 'list', 'container']);

const CASE_ID_KEY = 'concept:name';
const ACTIVITY_KEY = 'concept:name';
const TIMESTAMP_KEY = 'time:timestamp';
const RESOURCE_KEY = 'org:resource';
const LIFECYCLE_KEY = 'lifecycle:transition';
/** Trace-level attributes become extra columns under this prefix (the XES/pm4py convention). */
export const CASE_ATTRIBUTE_PREFIX = 'case:';

interface PendingEvent {
  activity: string | null;
  timestamp: TimestampField;
  resource: string | null;
  lifecycle: string | null;
  /** Other attributes as alternating key, value. */
  extras: string[];
}

/**
 * Streams XES into an EventLogBuilder. Every `<event>` is one record (lifecycle transitions are
 * kept as separate events); the trace's `concept:name` is its case id. Only direct attributes of
 * a trace or event count: nested (meta-)attributes and log-level attributes are skipped.
 * Events are buffered per trace only, because trace attributes may follow its events.
 */
export class XesRecordReader {
  private readonly scanner = new XesMarkupScanner({
    openTag: (name, key, value) => this.onOpen(name, key, value),
    close: (name) => this.onClose(name),
  });
  // Columns with few distinct values: their strings are made once, not per event.
  private readonly activities = new ByteInterner();
  private readonly resources = new ByteInterner();
  private readonly lifecycles = new ByteInterner();
  private inTrace = false;
  private currentEvent: PendingEvent | null = null;
  /** Nesting depth inside an attribute element (nested attributes are ignored). */
  private attributeDepth = 0;
  private traceCaseId: string | null = null;
  private traceAttributes: [string, string][] = [];
  private traceEvents: PendingEvent[] = [];
  /** Which of the mapped keys occurred (cheaper than tracking every key per event). */
  private readonly seenMappedKeys = new Set<string>();

  constructor(private readonly builder: EventLogBuilder) {}

  /** The next chunk of the document: its UTF-8 bytes, or its text. */
  push(chunk: Buffer | string): void {
    this.scanner.write(chunk);
  }

  end(): void {
    this.scanner.close();
  }

  /** Attribute keys found on traces (prefixed `case:`) and events, mapped ones first. */
  get sourceColumns(): string[] {
    const mapped = [CASE_ATTRIBUTE_PREFIX + CASE_ID_KEY, ACTIVITY_KEY, TIMESTAMP_KEY, RESOURCE_KEY];
    return [...mapped.filter((key) => this.seenMappedKeys.has(key)), ...this.builder.extraColumnNames];
  }

  private onOpen(name: string, key: string | undefined, value: XesAttributeValue | undefined): void {
    if (ATTRIBUTE_ELEMENTS.has(name)) {
      if (this.attributeDepth++ > 0 || !this.inTrace) return;
      if (key === undefined || value === undefined) return;
      const event = this.currentEvent;
      if (event !== null) {
        if (key === ACTIVITY_KEY) event.activity = this.activities.intern(value);
        else if (key === TIMESTAMP_KEY) event.timestamp = timestampOf(value);
        else if (key === RESOURCE_KEY) event.resource = this.resources.intern(value);
        else if (key === LIFECYCLE_KEY) {
          event.lifecycle = this.lifecycles.intern(value);
          event.extras.push(key, event.lifecycle);
        } else {
          event.extras.push(key, value.text());
        }
      } else if (key === CASE_ID_KEY) {
        this.traceCaseId = value.text();
      } else {
        this.traceAttributes.push([CASE_ATTRIBUTE_PREFIX + key, value.text()]);
      }
    } else if (name === 'event') {
      if (this.inTrace && this.attributeDepth === 0) {
        this.currentEvent = { activity: null, timestamp: null, resource: null, lifecycle: null, extras: [] };
      }
    } else if (name === 'trace') {
      this.inTrace = true;
      this.traceCaseId = null;
      this.traceAttributes = [];
      this.traceEvents = [];
    }
  }

  private onClose(name: string): void {
    if (ATTRIBUTE_ELEMENTS.has(name)) {
      this.attributeDepth--;
    } else if (name === 'event') {
      if (this.currentEvent !== null && this.attributeDepth === 0) {
        this.traceEvents.push(this.currentEvent);
        this.currentEvent = null;
      }
    } else if (name === 'trace') {
      this.flushTrace();
      this.inTrace = false;
    }
  }

  private flushTrace(): void {
    const builder = this.builder;
    const caseColumns = this.traceAttributes.map(([key]) => builder.extraColumn(key));
    if (this.traceCaseId !== null) this.seenMappedKeys.add(CASE_ATTRIBUTE_PREFIX + CASE_ID_KEY);
    for (const event of this.traceEvents) {
      if (event.activity !== null) this.seenMappedKeys.add(ACTIVITY_KEY);
      if (event.timestamp !== null) this.seenMappedKeys.add(TIMESTAMP_KEY);
      if (event.resource !== null) this.seenMappedKeys.add(RESOURCE_KEY);
      const values: (string | null)[] = [];
      for (let i = 0; i < caseColumns.length; i++) values[caseColumns[i]] = this.traceAttributes[i][1];
      const extras = event.extras;
      for (let i = 0; i < extras.length; i += 2) values[builder.extraColumn(extras[i])] = extras[i + 1];
      builder.addRecord(this.traceCaseId, event.activity, event.timestamp, event.resource, null, values, event.lifecycle);
    }
    this.traceEvents = [];
  }
}

/**
 * A timestamp value parsed from its bytes when they are its text (ASCII without entities or
 * breaks, not blank), which spares a string per event; otherwise its text.
 */
function timestampOf(value: XesAttributeValue): TimestampField {
  const bytes = value.bytes;
  const end = value.end;
  if (value.classes === 0) {
    for (let i = value.start; i < end; i++) {
      const byte = bytes[i];
      if (byte !== 32 && (byte < 9 || byte > 13)) {
        const parsed = { epochMs: Number.NaN, dateOnly: false };
        parseTimestampBytesInto(bytes, value.start, end, parsed);
        return parsed;
      }
    }
  }
  return value.text();
}

/**
 * XES read in blocks, as the CSV is (csv-blocks.ts): an XesBlockParser turns markup into
 * columns of traces and events (XesBlockRecords), an XesBlockMerger adds them in document
 * order to the EventLogBuilder. Every `<event>` is one record (lifecycle transitions are kept
 * as separate events); the trace's `concept:name` is its case id. Only direct attributes of a
 * trace or event count: nested (meta-)attributes and log-level attributes are skipped. Events
 * are kept per trace until it closes, because trace attributes may follow its events.
 *
 * A document may be cut between two children of its root (before a `<trace`): a parser that
 * starts there (`insideRoot`) reads the traces after the cut as a parser of the whole
 * document does, so blocks can be parsed on several threads.
 */
import { ByteInterner } from './byte-interner.js';
import { MergedKeys } from './csv-blocks.js';
import { ABSENT_KEY, type EventLogBuilder, type TimestampField } from './log-builder.js';
import { parseTimestampBytesInto, type ParsedTimestamp } from './timestamp.js';
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

/** Distinct bytes the interner of one extra attribute keeps (an attribute of unique ids is decoded each time). */
const EXTRA_POOL_BYTES = 1024 * 1024;

/** A value: an interner entry (>= 0), none (NO_VALUE), or a text, `TEXT_BASE - v` its index in the block's texts. */
const NO_VALUE = -1;
const TEXT_BASE = -2;

// How an event's timestamp came: none, parsed (with or without a time of day), or as text (its index in the slot).
const TIMESTAMP_NONE = 0;
const TIMESTAMP_PARSED = 1;
const TIMESTAMP_DATE_ONLY = 2;
const TIMESTAMP_TEXT = 3;

/** Interners of the mapped event values: activity, resource, lifecycle transition. */
const KEYED = 3;

/**
 * A block's traces and events. Trace t's attributes are `[traceAttributeEnds[t-1], traceAttributeEnds[t])`
 * of `attributeNames` / `attributeTexts`, its events `[traceEventEnds[t-1], traceEventEnds[t])`;
 * event e's activity, resource and transition are `keys[3e .. 3e+2]`, its timestamp
 * `timestamps[e]` as `timestampKinds[e]` says, its other attributes
 * `[eventAttributeEnds[e-1], eventAttributeEnds[e])` of `eventAttributeNames` / `eventAttributeValues`.
 * Names are the parser's name ids (`newNames` the texts of those first met), values as NO_VALUE
 * above. `newEntries` holds the texts of entries first met: the three keyed interners', then
 * per name id with new values, `[id, texts]`.
 */
export interface XesBlockRecords {
  readonly traceCount: number;
  readonly caseIds: (string | null)[];
  readonly traceAttributeEnds: Int32Array;
  readonly attributeNames: Int32Array;
  readonly attributeTexts: string[];
  readonly traceEventEnds: Int32Array;
  readonly keys: Int32Array;
  readonly timestamps: Float64Array;
  readonly timestampKinds: Uint8Array;
  readonly eventAttributeEnds: Int32Array;
  readonly eventAttributeNames: Int32Array;
  readonly eventAttributeValues: Int32Array;
  readonly texts: string[];
  readonly newNames: string[];
  readonly newEntries: string[][];
  readonly newAttributeEntries: [number, string[]][];
}

export function xesTransferablesOf(records: XesBlockRecords): ArrayBuffer[] {
  return [
    records.traceAttributeEnds, records.attributeNames, records.traceEventEnds, records.keys, records.timestamps, records.timestampKinds,
    records.eventAttributeEnds, records.eventAttributeNames, records.eventAttributeValues,
  ].map((array) => array.buffer as ArrayBuffer);
}

/** A growable column of numbers. */
class Column<T extends Int32Array | Float64Array | Uint8Array> {
  length = 0;
  constructor(public values: T, private readonly make: (n: number) => T) {}

  push(value: number): void {
    if (this.length === this.values.length) {
      const larger = this.make(2 * this.values.length);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.length++] = value;
  }

  /** Drops the values from `length` on. */
  truncate(length: number): void {
    this.length = length;
  }

  take(): T {
    return this.values.slice(0, this.length) as T;
  }
}

const ints = (n = 256): Column<Int32Array> => new Column(new Int32Array(n), (size) => new Int32Array(size));

/**
 * Parses an XES document, or a part of one cut between its root's children. Its interners and
 * names live as long as the parser, so a value's text is made and reported once.
 */
export class XesBlockParser {
  private scanner: XesMarkupScanner;
  private readonly keyed = Array.from({ length: KEYED }, () => new ByteInterner());
  private readonly names = new Map<string, number>();
  private readonly nameTexts: string[] = [];
  private namesReported = 0;
  /** Per name id, the interner of its values (made when an event attribute of the name is met). */
  private readonly attributeValues: (ByteInterner | undefined)[] = [];

  // The block being parsed.
  private caseIds: (string | null)[] = [];
  private traceAttributeEnds = ints();
  private attributeNames = ints();
  private attributeTexts: string[] = [];
  private traceEventEnds = ints();
  private keys = ints(1024);
  private timestamps = new Column(new Float64Array(256), (n) => new Float64Array(n));
  private timestampKinds = new Column(new Uint8Array(256), (n) => new Uint8Array(n));
  private eventAttributeEnds = ints();
  private eventAttributeNames = ints();
  private eventAttributeValues = ints();
  private texts: string[] = [];

  // Where the scan is.
  private inTrace = false;
  /** Nesting depth inside an attribute element (nested attributes are ignored). */
  private attributeDepth = 0;
  private traceCaseId: string | null = null;
  /** The open trace's attributes: name id, text. */
  private traceAttributes: [number, string][] = [];
  /** The first of the open trace's events in the block's columns, and of the texts made since it opened. */
  private traceFirstEvent = 0;
  private traceFirstText = 0;
  private inEvent = false;
  // The open event (it becomes a row of the columns when it closes).
  private eventActivity = NO_VALUE;
  private eventResource = NO_VALUE;
  private eventLifecycle = NO_VALUE;
  private eventTimestamp = 0;
  private eventTimestampKind = TIMESTAMP_NONE;
  private readonly eventAttributes: number[] = [];
  private readonly parsed: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };

  /** @param insideRoot the blocks start between two children of the root element of this name (not at the document's start). */
  constructor(private readonly insideRoot?: string) {
    this.scanner = this.newScanner();
  }

  /** The root element's name, once read. */
  get rootName(): string | undefined {
    return this.scanner.rootName;
  }

  /** Whether the bytes so far end between two children of the root, where the document may be cut. */
  get betweenRootChildren(): boolean {
    return this.scanner.betweenRootChildren;
  }

  /** Characters of the complete markup read so far. */
  get charactersRead(): number {
    return this.scanner.charactersRead;
  }

  /** Counts the characters of a block another parser read (between root children on both sides), for the positions of later errors. */
  skip(characters: number): void {
    this.scanner.skip(characters);
  }

  /**
   * The traces that close in a block's chunks (after what was pushed before); with `final`, the document
   * ends there. @throws XesMarkupError for markup that is not well-formed; `restart` then
   * readies the parser for the next block.
   */
  parse(chunks: readonly Buffer[], final: boolean): XesBlockRecords {
    for (const chunk of chunks) this.scanner.write(chunk);
    if (final) this.scanner.close();
    return this.take();
  }

  /** The traces closed so far (after a failed parse, too: its new entries must still be reported). */
  take(): XesBlockRecords {
    // An open trace's events (and the texts they name, all made since it opened) stay for the next block.
    const events = this.inTrace ? this.traceFirstEvent : this.timestampKinds.length;
    const textCount = this.inTrace ? this.traceFirstText : this.texts.length;
    const attributes = events === 0 ? 0 : this.eventAttributeEnds.values[events - 1]!;
    const newEntries = this.keyed.map((interner) => interner.takeNewTexts());
    const newAttributeEntries: [number, string[]][] = [];
    this.attributeValues.forEach((interner, name) => {
      const texts = interner?.takeNewTexts() ?? [];
      if (texts.length > 0) newAttributeEntries.push([name, texts]);
    });
    const newNames = this.nameTexts.slice(this.namesReported);
    this.namesReported = this.nameTexts.length;
    const records: XesBlockRecords = {
      traceCount: this.caseIds.length,
      caseIds: this.caseIds,
      traceAttributeEnds: this.traceAttributeEnds.take(),
      attributeNames: this.attributeNames.take(),
      attributeTexts: this.attributeTexts,
      traceEventEnds: this.traceEventEnds.take(),
      keys: this.keys.values.slice(0, events * KEYED),
      timestamps: this.timestamps.values.slice(0, events),
      timestampKinds: this.timestampKinds.values.slice(0, events),
      eventAttributeEnds: this.eventAttributeEnds.values.slice(0, events),
      eventAttributeNames: this.eventAttributeNames.values.slice(0, attributes),
      eventAttributeValues: this.eventAttributeValues.values.slice(0, attributes),
      texts: this.texts.slice(0, textCount),
      newNames,
      newEntries,
      newAttributeEntries,
    };
    this.caseIds = [];
    this.traceAttributeEnds.truncate(0);
    this.attributeNames.truncate(0);
    this.attributeTexts = [];
    this.traceEventEnds.truncate(0);
    this.keepFrom(events, attributes, textCount);
    return records;
  }

  /** Forgets where the scan was (after a failed parse): the next block starts between root children. */
  restart(): void {
    this.scanner = this.newScanner();
    this.inTrace = false;
    this.attributeDepth = 0;
    this.inEvent = false;
    this.traceAttributes = [];
    this.take();
  }

  private newScanner(): XesMarkupScanner {
    return new XesMarkupScanner({ openTag: (name, key, value) => this.onOpen(name, key, value), close: (name) => this.onClose(name) }, this.insideRoot);
  }

  /** Moves the events from `events` on (with their attributes and texts) to the front of the columns, their text indexes with them. */
  private keepFrom(events: number, attributes: number, texts: number): void {
    const kept = this.timestampKinds.length - events;
    const keptAttributes = this.eventAttributeNames.length - attributes;
    const shiftText = (value: number): number => (value <= TEXT_BASE ? value + texts : value);
    const keys = this.keys.values;
    for (let i = 0; i < kept * KEYED; i++) keys[i] = shiftText(keys[events * KEYED + i]!);
    const timestamps = this.timestamps.values;
    const kinds = this.timestampKinds.values;
    const ends = this.eventAttributeEnds.values;
    for (let i = 0; i < kept; i++) {
      kinds[i] = kinds[events + i]!;
      timestamps[i] = kinds[i] === TIMESTAMP_TEXT ? timestamps[events + i]! - texts : timestamps[events + i]!;
      ends[i] = ends[events + i]! - attributes;
    }
    const names = this.eventAttributeNames.values;
    const values = this.eventAttributeValues.values;
    for (let i = 0; i < keptAttributes; i++) {
      names[i] = names[attributes + i]!;
      values[i] = shiftText(values[attributes + i]!);
    }
    this.truncateEvents(kept, keptAttributes);
    this.texts = this.texts.slice(texts);
    this.traceFirstEvent = 0;
    this.traceFirstText = 0;
  }

  private nameId(name: string): number {
    let id = this.names.get(name);
    if (id === undefined) {
      id = this.nameTexts.length;
      this.names.set(name, id);
      this.nameTexts.push(name);
    }
    return id;
  }

  /** A value interned by its bytes: its entry, or (past the interner's limit) its text's index. */
  private valueOf(interner: ByteInterner, value: XesAttributeValue): number {
    if (interner.lookup(value.bytes, value.start, value.end) === undefined) {
      const text = interner.remember(value.text());
      if (interner.entry < 0) return TEXT_BASE - (this.texts.push(text) - 1);
    }
    return interner.entry;
  }

  private onOpen(name: string, key: string | undefined, value: XesAttributeValue | undefined): void {
    if (ATTRIBUTE_ELEMENTS.has(name)) {
      if (this.attributeDepth++ > 0 || !this.inTrace) return;
      if (key === undefined || value === undefined) return;
      if (this.inEvent) {
        if (key === ACTIVITY_KEY) this.eventActivity = this.valueOf(this.keyed[0]!, value);
        else if (key === TIMESTAMP_KEY) this.setTimestamp(value);
        else if (key === RESOURCE_KEY) this.eventResource = this.valueOf(this.keyed[1]!, value);
        else {
          if (key === LIFECYCLE_KEY) this.eventLifecycle = this.valueOf(this.keyed[2]!, value);
          const id = this.nameId(key);
          let interner = this.attributeValues[id];
          if (interner === undefined) {
            interner = new ByteInterner(EXTRA_POOL_BYTES);
            this.attributeValues[id] = interner;
          }
          this.eventAttributes.push(id, this.valueOf(interner, value));
        }
      } else if (key === CASE_ID_KEY) {
        this.traceCaseId = value.text();
      } else {
        this.traceAttributes.push([this.nameId(CASE_ATTRIBUTE_PREFIX + key), value.text()]);
      }
    } else if (name === 'event') {
      if (this.inTrace && this.attributeDepth === 0) {
        this.inEvent = true;
        this.eventActivity = NO_VALUE;
        this.eventResource = NO_VALUE;
        this.eventLifecycle = NO_VALUE;
        this.eventTimestampKind = TIMESTAMP_NONE;
        this.eventAttributes.length = 0;
      }
    } else if (name === 'trace') {
      this.inTrace = true;
      this.traceCaseId = null;
      this.traceAttributes = [];
      // A trace opened inside a trace starts afresh, its opener's events dropped.
      this.dropEventsFrom(this.traceFirstEvent);
      this.traceFirstEvent = this.timestampKinds.length;
      this.traceFirstText = this.texts.length;
    }
  }

  private onClose(name: string): void {
    if (ATTRIBUTE_ELEMENTS.has(name)) {
      this.attributeDepth--;
    } else if (name === 'event') {
      if (this.inEvent && this.attributeDepth === 0) {
        this.keys.push(this.eventActivity);
        this.keys.push(this.eventResource);
        this.keys.push(this.eventLifecycle);
        this.timestamps.push(this.eventTimestamp);
        this.timestampKinds.push(this.eventTimestampKind);
        const attributes = this.eventAttributes;
        for (let i = 0; i < attributes.length; i += 2) {
          this.eventAttributeNames.push(attributes[i]!);
          this.eventAttributeValues.push(attributes[i + 1]!);
        }
        this.eventAttributeEnds.push(this.eventAttributeNames.length);
        this.inEvent = false;
      }
    } else if (name === 'trace') {
      this.caseIds.push(this.traceCaseId);
      for (const [id, text] of this.traceAttributes) {
        this.attributeNames.push(id);
        this.attributeTexts.push(text);
      }
      this.traceAttributeEnds.push(this.attributeNames.length);
      this.traceEventEnds.push(this.timestampKinds.length);
      this.traceFirstEvent = this.timestampKinds.length;
      this.inTrace = false;
    }
  }

  /** Forgets the events from `first` on (their texts stay unused in the block). */
  private dropEventsFrom(first: number): void {
    if (first >= this.timestampKinds.length) return;
    this.truncateEvents(first, first === 0 ? 0 : this.eventAttributeEnds.values[first - 1]!);
  }

  /** Keeps the first `events` events of the columns and the first `attributes` of their attributes. */
  private truncateEvents(events: number, attributes: number): void {
    this.keys.truncate(events * KEYED);
    this.timestamps.truncate(events);
    this.timestampKinds.truncate(events);
    this.eventAttributeEnds.truncate(events);
    this.eventAttributeNames.truncate(attributes);
    this.eventAttributeValues.truncate(attributes);
  }

  /**
   * A timestamp value parsed from its bytes when they are its text (ASCII without entities or
   * breaks, not blank), which spares a string per event; otherwise its text.
   */
  private setTimestamp(value: XesAttributeValue): void {
    const bytes = value.bytes;
    const end = value.end;
    if (value.classes === 0) {
      for (let i = value.start; i < end; i++) {
        const byte = bytes[i]!;
        if (byte !== 32 && (byte < 9 || byte > 13)) {
          parseTimestampBytesInto(bytes, value.start, end, this.parsed);
          this.eventTimestamp = this.parsed.epochMs;
          this.eventTimestampKind = this.parsed.dateOnly ? TIMESTAMP_DATE_ONLY : TIMESTAMP_PARSED;
          return;
        }
      }
    }
    this.eventTimestamp = this.texts.push(value.text()) - 1;
    this.eventTimestampKind = TIMESTAMP_TEXT;
  }
}

const CASE_KEY_COLUMN = CASE_ATTRIBUTE_PREFIX + CASE_ID_KEY;

/** What the merger knows of one parser's names and entries: its keyed entries in the merged numbering, its attributes' texts. */
class XesParserEntries {
  readonly names: string[] = [];
  /** Per name id, its extra column in the builder once known (-1 before). */
  columns = new Int32Array(16).fill(-1);
  readonly keyed: number[][] = Array.from({ length: KEYED }, () => []);
  readonly attributeValues: string[][] = [];

  learn(records: XesBlockRecords, merged: readonly MergedKeys[]): void {
    this.names.push(...records.newNames);
    records.newEntries.forEach((texts, i) => {
      for (const text of texts) this.keyed[i]!.push(merged[i]!.keyOf(text));
    });
    for (const [name, texts] of records.newAttributeEntries) (this.attributeValues[name] ??= []).push(...texts);
  }
}

/**
 * Adds blocks of traces to an EventLogBuilder in document order (each parser's blocks in the
 * order it parsed them), as keyed records in one numbering of the cases, activities, resources
 * and transitions, and tells which of the mapped keys occurred.
 */
export class XesBlockMerger {
  private readonly parsers: XesParserEntries[] = [];
  // Which of the mapped keys occurred.
  private sawCaseId = false;
  private sawActivity = false;
  private sawTimestamp = false;
  private sawResource = false;
  private readonly timestamp: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  private readonly cases = new MergedKeys();
  /** Activities, resources, transitions. */
  private readonly keyed = Array.from({ length: KEYED }, () => new MergedKeys());
  private readonly values: (string | null)[] = [];

  constructor(private readonly builder: EventLogBuilder) {
    const [activities, resources, lifecycles] = this.keyed as [MergedKeys, MergedKeys, MergedKeys];
    builder.useKeyedValues({ cases: this.cases, activities, resources, lifecycles });
  }

  /** Attribute keys found on traces (prefixed `case:`) and events, mapped ones first. */
  get sourceColumns(): string[] {
    const mapped: [string, boolean][] = [[CASE_KEY_COLUMN, this.sawCaseId], [ACTIVITY_KEY, this.sawActivity], [TIMESTAMP_KEY, this.sawTimestamp], [RESOURCE_KEY, this.sawResource]];
    return [...mapped.filter(([, seen]) => seen).map(([key]) => key), ...this.builder.extraColumnNames];
  }

  /** Learns a block's names and entries, without its traces (a block parsed in vain); merge learns them too. */
  learnEntries(parser: number, records: XesBlockRecords): XesParserEntries {
    while (this.parsers.length <= parser) this.parsers.push(new XesParserEntries());
    const entries = this.parsers[parser]!;
    entries.learn(records, this.keyed);
    return entries;
  }

  merge(parser: number, records: XesBlockRecords): void {
    const entries = this.learnEntries(parser, records);
    const builder = this.builder;
    const { names, keyed, attributeValues } = entries;
    /** The builder's extra column of a name id: the same for every event, asked for once. */
    const columnOf = (name: number): number => {
      if (name >= entries.columns.length) {
        const larger = new Int32Array(Math.max(2 * entries.columns.length, name + 1)).fill(-1);
        larger.set(entries.columns);
        entries.columns = larger;
      }
      let column = entries.columns[name]!;
      if (column < 0) {
        column = builder.extraColumn(names[name]!);
        entries.columns[name] = column;
      }
      return column;
    };
    const { texts, keys, timestamps, timestampKinds } = records;
    const values = this.values;
    let attribute = 0;
    let event = 0;
    let eventAttribute = 0;
    for (let t = 0; t < records.traceCount; t++) {
      const caseId = records.caseIds[t]!;
      const caseKey = caseId === null ? ABSENT_KEY : this.cases.keyOf(caseId);
      const caseColumns: number[] = [];
      const caseValues: string[] = [];
      for (const end = records.traceAttributeEnds[t]!; attribute < end; attribute++) {
        caseColumns.push(columnOf(records.attributeNames[attribute]!));
        caseValues.push(records.attributeTexts[attribute]!);
      }
      if (caseId !== null) this.sawCaseId = true;
      for (const end = records.traceEventEnds[t]!; event < end; event++) {
        const activity = this.keyOf(0, keyed, keys[KEYED * event]!, texts);
        const resource = this.keyOf(1, keyed, keys[KEYED * event + 1]!, texts);
        const lifecycle = this.keyOf(2, keyed, keys[KEYED * event + 2]!, texts);
        const timestamp = this.timestampField(timestampKinds[event]!, timestamps[event]!, texts);
        if (activity !== ABSENT_KEY) this.sawActivity = true;
        if (timestamp !== null) this.sawTimestamp = true;
        if (resource !== ABSENT_KEY) this.sawResource = true;
        values.length = 0;
        for (let i = 0; i < caseColumns.length; i++) values[caseColumns[i]!] = caseValues[i]!;
        for (const end = records.eventAttributeEnds[event]!; eventAttribute < end; eventAttribute++) {
          const name = records.eventAttributeNames[eventAttribute]!;
          const value = records.eventAttributeValues[eventAttribute]!;
          values[columnOf(name)] = value >= 0 ? attributeValues[name]![value]! : value === NO_VALUE ? null : texts[TEXT_BASE - value]!;
        }
        builder.addKeyedRecord(caseKey, activity, timestamp, resource, null, values, lifecycle);
      }
    }
  }

  /** A keyed value's key in the merged numbering (ABSENT_KEY for none). */
  private keyOf(column: number, keyed: readonly number[][], value: number, texts: readonly string[]): number {
    if (value >= 0) return keyed[column]![value]!;
    return value === NO_VALUE ? ABSENT_KEY : this.keyed[column]!.keyOf(texts[TEXT_BASE - value]!);
  }

  /** An event's timestamp as the builder takes it (which reads a parsed one at once: one object serves every event). */
  private timestampField(kind: number, slot: number, texts: readonly string[]): TimestampField {
    if (kind === TIMESTAMP_NONE) return null;
    if (kind === TIMESTAMP_TEXT) return texts[slot]!;
    this.timestamp.epochMs = slot;
    this.timestamp.dateOnly = kind === TIMESTAMP_DATE_ONLY;
    return this.timestamp;
  }
}

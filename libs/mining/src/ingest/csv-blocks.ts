/**
 * The CSV read in blocks, so that blocks can be parsed on several threads and still make the
 * log a single pass makes. A CsvBlockParser turns the bytes of whole records into columns
 * (CsvBlockRecords): per record its case, activity, resource and transition as keys of the
 * parser's own interners, its timestamps parsed, its extra columns as keys or texts, and the
 * texts of the distinct values its interners met for the first time. A CsvBlockMerger adds
 * blocks in file order to the EventLogBuilder, translating each parser's keys into one
 * numbering, so the builder sees the records exactly as the reader of one thread gives them.
 * The columns are typed arrays and few strings, cheap to move between threads.
 */
import { ByteInterner } from './byte-interner.js';
import { CsvRecordParser, type CsvRecord } from './csv-reader.js';
import { ABSENT_KEY, type EventLogBuilder, type KeyedTexts, type TimestampField } from './log-builder.js';
import { parseTimestampBytesInto, type ParsedTimestamp } from './timestamp.js';

/** Where the mapped fields are in a record (-1: not mapped), which columns are extra ones, and the delimiter. */
export interface CsvLayout {
  readonly delimiter: string;
  readonly headerLength: number;
  readonly caseColumn: number;
  readonly activityColumn: number;
  readonly timestampColumn: number;
  readonly resourceColumn: number;
  readonly startColumn: number;
  readonly lifecycleColumn: number;
  readonly extraSourceColumns: readonly number[];
  /** Distinct bytes an extra column's interner keeps (a column of unique ids is decoded each time). */
  readonly extraPoolBytes: number;
  /** Distinct bytes each of the case, activity, resource and transition interners keeps (default: ByteInterner's). */
  readonly keyPoolBytes?: number;
}

/** A key its interner did not keep (past its limit): the record's texts travel instead. */
const NOT_KEPT = -1;

/** Keys per record: case, activity, resource, lifecycle transition. */
const KEYS_PER_RECORD = 4;

// How a timestamp field came: absent from the record, blank, parsed (with or without a time of day), or as text.
const TIMESTAMP_ABSENT = 0;
const TIMESTAMP_BLANK = 1;
const TIMESTAMP_PARSED = 2;
const TIMESTAMP_DATE_ONLY = 3;
const TIMESTAMP_TEXT = 4;

/**
 * A block's records, column by column. Record r's keys are `keys[4r .. 4r+3]` (an interner
 * entry, ABSENT_KEY, or NOT_KEPT), its completion and start timestamps `timestamps[2r]`,
 * `timestamps[2r+1]` as `timestampKinds` says, its extra columns `extras[r·E ..]` (an entry,
 * ABSENT_KEY for none, NOT_KEPT for a text). `texts` holds, record by record, the four key
 * texts of a record with a NOT_KEPT key, then its timestamp texts, then its extra texts.
 * `newEntries[i]` are the texts of interner i's entries first met in this block (interners
 * 0–3 the keys', then one per extra column), in entry order.
 */
export interface CsvBlockRecords {
  readonly count: number;
  readonly keys: Int32Array;
  readonly timestamps: Float64Array;
  readonly timestampKinds: Uint8Array;
  readonly fieldCountMismatch: Uint8Array;
  readonly extras: Int32Array;
  readonly texts: (string | null)[];
  readonly newEntries: string[][];
}

/** The typed arrays of a block's records, to move them to another thread instead of copying them. */
export function transferablesOf(records: CsvBlockRecords): ArrayBuffer[] {
  return [records.keys, records.timestamps, records.timestampKinds, records.fieldCountMismatch, records.extras].map((array) => array.buffer as ArrayBuffer);
}

/**
 * Parses blocks of one CSV's records, after its header. Blocks are pushed in order; each may
 * end inside a record, whose bytes are kept for the next push (or taken with `takeRest`).
 * Its interners live as long as the parser, so a value's text is made and sent once.
 */
export class CsvBlockParser {
  private readonly interners: ByteInterner[];
  private readonly parser: CsvRecordParser;
  private readonly extraCount: number;
  private readonly parsedTimestamp: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  // The block being parsed, grown by doubling.
  private capacity = 0;
  private count = 0;
  private keys = new Int32Array(0);
  private timestamps = new Float64Array(0);
  private timestampKinds = new Uint8Array(0);
  private fieldCountMismatch = new Uint8Array(0);
  private extras = new Int32Array(0);
  private texts: (string | null)[] = [];

  constructor(private readonly layout: CsvLayout) {
    this.extraCount = layout.extraSourceColumns.length;
    this.interners = [
      ...Array.from({ length: KEYS_PER_RECORD }, () => new ByteInterner(layout.keyPoolBytes)),
      ...layout.extraSourceColumns.map(() => new ByteInterner(layout.extraPoolBytes)),
    ];
    this.parser = new CsvRecordParser((record) => this.addRecord(record), layout.delimiter, true);
  }

  /** Whether the bytes pushed so far end inside a record (kept for the next push). */
  get hasRest(): boolean {
    return this.parser.hasPending;
  }

  /** The kept bytes of the unfinished last record, which the parser then forgets. */
  takeRest(): Buffer | null {
    return this.parser.takeRest();
  }

  /** The records of a block's chunks (after the kept rest of the last push); with `final`, to the end of the file. */
  parse(chunks: readonly Buffer[], final: boolean): CsvBlockRecords {
    this.start(Math.max(64, Math.ceil(chunks.reduce((bytes, chunk) => bytes + chunk.length, 0) / 48)));
    for (const chunk of chunks) this.parser.push(chunk);
    if (final) this.parser.end();
    const newEntries = this.interners.map((interner) => interner.takeNewTexts());
    const count = this.count;
    return {
      count,
      keys: this.keys.slice(0, count * KEYS_PER_RECORD),
      timestamps: this.timestamps.slice(0, count * 2),
      timestampKinds: this.timestampKinds.slice(0, count * 2),
      fieldCountMismatch: this.fieldCountMismatch.slice(0, count),
      extras: this.extras.slice(0, count * this.extraCount),
      texts: this.texts,
      newEntries,
    };
  }

  private start(expectedRecords: number): void {
    this.count = 0;
    this.texts = [];
    if (this.capacity < expectedRecords) this.allocate(expectedRecords);
  }

  private allocate(capacity: number): void {
    const keep = this.count;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T, perRecord: number): T => {
      const next = make(capacity * perRecord);
      next.set(old.subarray(0, keep * perRecord));
      return next;
    };
    this.keys = grown(this.keys, (n) => new Int32Array(n), KEYS_PER_RECORD);
    this.timestamps = grown(this.timestamps, (n) => new Float64Array(n), 2);
    this.timestampKinds = grown(this.timestampKinds, (n) => new Uint8Array(n), 2);
    this.fieldCountMismatch = grown(this.fieldCountMismatch, (n) => new Uint8Array(n), 1);
    this.extras = grown(this.extras, (n) => new Int32Array(n), this.extraCount);
    this.capacity = capacity;
  }

  private addRecord(record: CsvRecord): void {
    const layout = this.layout;
    const interners = this.interners;
    if (this.count === this.capacity) this.allocate(2 * this.capacity);
    const r = this.count++;
    const k = r * KEYS_PER_RECORD;
    const keys = this.keys;
    keys[k] = keyOf(record, layout.caseColumn, interners[0]!);
    keys[k + 1] = keyOf(record, layout.activityColumn, interners[1]!);
    keys[k + 2] = keyOf(record, layout.resourceColumn, interners[2]!);
    keys[k + 3] = keyOf(record, layout.lifecycleColumn, interners[3]!);
    if (keys[k] === NOT_KEPT || keys[k + 1] === NOT_KEPT || keys[k + 2] === NOT_KEPT || keys[k + 3] === NOT_KEPT) {
      // A value past an interner's limit (a log of millions of distinct case ids): the record goes by its texts.
      this.texts.push(
        record.text(layout.caseColumn) ?? null,
        record.text(layout.activityColumn) ?? null,
        layout.resourceColumn >= 0 ? record.text(layout.resourceColumn) ?? null : null,
        layout.lifecycleColumn >= 0 ? record.text(layout.lifecycleColumn) ?? null : null,
      );
    }
    this.addTimestamp(record, layout.timestampColumn, 2 * r);
    if (layout.startColumn >= 0) this.addTimestamp(record, layout.startColumn, 2 * r + 1);
    else this.timestampKinds[2 * r + 1] = TIMESTAMP_BLANK;
    this.fieldCountMismatch[r] = record.count !== layout.headerLength ? 1 : 0;
    const columns = layout.extraSourceColumns;
    const e = r * this.extraCount;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      if (column >= record.count) {
        this.extras[e + i] = ABSENT_KEY;
        continue;
      }
      const interner = interners[KEYS_PER_RECORD + i]!;
      if (interner.lookup(record.bytes, record.starts[column]!, record.ends[column]!) === undefined) {
        const text = interner.remember(record.text(column)!);
        if (interner.entry < 0) this.texts.push(text);
      }
      this.extras[e + i] = interner.entry;
    }
  }

  /**
   * Field `column` as the builder takes a timestamp: a plain ASCII field parsed from its bytes
   * (blank when its trimmed text would be empty), anything else (quoted, or with bytes beyond
   * ASCII) as its text.
   */
  private addTimestamp(record: CsvRecord, column: number, at: number): void {
    if (column >= record.count) {
      this.timestampKinds[at] = TIMESTAMP_ABSENT;
      return;
    }
    const bytes = record.bytes;
    const start = record.starts[column]!;
    const end = record.ends[column]!;
    let asText = record.quoted[column] !== 0;
    let blank = true;
    for (let i = start; i < end && !asText; i++) {
      const byte = bytes[i]!;
      if (byte > 127) asText = true;
      // What String.prototype.trim removes, within ASCII: tab, line breaks, vertical tab, form feed, space.
      else if (blank && byte !== 32 && (byte < 9 || byte > 13)) blank = false;
    }
    if (asText) {
      this.timestampKinds[at] = TIMESTAMP_TEXT;
      this.texts.push(record.text(column)!);
    } else if (blank) {
      this.timestampKinds[at] = TIMESTAMP_BLANK;
    } else {
      const parsed = this.parsedTimestamp;
      parseTimestampBytesInto(bytes, start, end, parsed);
      this.timestamps[at] = parsed.epochMs;
      this.timestampKinds[at] = parsed.dateOnly ? TIMESTAMP_DATE_ONLY : TIMESTAMP_PARSED;
    }
  }
}

/** The field's entry in `interner`: ABSENT_KEY without the field, NOT_KEPT when the interner did not keep it. */
function keyOf(record: CsvRecord, column: number, interner: ByteInterner): number {
  if (column < 0 || column >= record.count) return ABSENT_KEY;
  record.internedText(column, interner);
  return interner.entry;
}

/** One numbering of a column's values over all parsers, for the builder's keyed records. */
export class MergedKeys implements KeyedTexts {
  private readonly texts: string[] = [];
  private readonly keys = new Map<string, number>();

  textOf(key: number): string {
    return this.texts[key]!;
  }

  keyOf(text: string): number {
    let key = this.keys.get(text);
    if (key === undefined) {
      key = this.texts.length;
      this.texts.push(text);
      this.keys.set(text, key);
    }
    return key;
  }
}

/** What the merger knows of one parser's entries: its keys in the merged numbering, its extra columns' texts. */
class ParserEntries {
  readonly keys: Int32Array[] = Array.from({ length: KEYS_PER_RECORD }, () => new Int32Array(256));
  readonly keyCounts: number[] = new Array<number>(KEYS_PER_RECORD).fill(0);
  readonly extraTexts: string[][];

  constructor(extraCount: number) {
    this.extraTexts = Array.from({ length: extraCount }, () => []);
  }

  learn(newEntries: readonly string[][], merged: readonly MergedKeys[]): void {
    for (let column = 0; column < KEYS_PER_RECORD; column++) {
      const texts = newEntries[column]!;
      let count = this.keyCounts[column]!;
      if (count + texts.length > this.keys[column]!.length) {
        const larger = new Int32Array(Math.max(2 * this.keys[column]!.length, count + texts.length));
        larger.set(this.keys[column]!);
        this.keys[column] = larger;
      }
      const keys = this.keys[column]!;
      for (const text of texts) keys[count++] = merged[column]!.keyOf(text);
      this.keyCounts[column] = count;
    }
    for (let i = 0; i < this.extraTexts.length; i++) this.extraTexts[i]!.push(...newEntries[KEYS_PER_RECORD + i]!);
  }
}

/**
 * Adds blocks of records to an EventLogBuilder, in file order. Blocks of different parsers
 * (`parser` numbers them from 0) may come in any interleaving, but each parser's in the order
 * it parsed them, since a block names only the entries its parser had not reported before.
 */
export class CsvBlockMerger {
  private readonly merged: MergedKeys[] = Array.from({ length: KEYS_PER_RECORD }, () => new MergedKeys());
  private readonly parsers: ParserEntries[] = [];
  private readonly extraValues: (string | null)[] = [];
  private readonly timestamp: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  private readonly start: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  /** The next of the merged block's texts. */
  private textAt = 0;

  constructor(private readonly builder: EventLogBuilder, private readonly extraCount: number) {
    const [cases, activities, resources, lifecycles] = this.merged as [MergedKeys, MergedKeys, MergedKeys, MergedKeys];
    builder.useKeyedValues({ cases, activities, resources, lifecycles });
  }

  /** Adds a block's records after those of the blocks before it in the file. */
  merge(parser: number, records: CsvBlockRecords): void {
    const entries = this.learnEntries(parser, records);
    const { keys, timestamps, timestampKinds, fieldCountMismatch, extras, texts } = records;
    const [caseKeys, activityKeys, resourceKeys, lifecycleKeys] = entries.keys as [Int32Array, Int32Array, Int32Array, Int32Array];
    const extraTexts = entries.extraTexts;
    const extraCount = this.extraCount;
    const extraValues = this.extraValues;
    const builder = this.builder;
    this.textAt = 0;
    for (let r = 0; r < records.count; r++) {
      const k = r * KEYS_PER_RECORD;
      const caseKey = keys[k]!;
      const activityKey = keys[k + 1]!;
      const resourceKey = keys[k + 2]!;
      const lifecycleKey = keys[k + 3]!;
      const byText = caseKey === NOT_KEPT || activityKey === NOT_KEPT || resourceKey === NOT_KEPT || lifecycleKey === NOT_KEPT;
      const keyTexts = this.textAt;
      if (byText) this.textAt += KEYS_PER_RECORD;
      const timestamp = this.timestampField(timestampKinds[2 * r]!, timestamps[2 * r]!, texts, this.timestamp);
      const start = this.timestampField(timestampKinds[2 * r + 1]!, timestamps[2 * r + 1]!, texts, this.start);
      const e = r * extraCount;
      for (let i = 0; i < extraCount; i++) {
        const entry = extras[e + i]!;
        extraValues[i] = entry >= 0 ? extraTexts[i]![entry]! : entry === ABSENT_KEY ? null : texts[this.textAt++]!;
      }
      const mismatch = fieldCountMismatch[r] !== 0;
      if (byText) {
        builder.addRecord(texts[keyTexts], texts[keyTexts + 1], timestamp, texts[keyTexts + 2], start, extraValues, texts[keyTexts + 3], mismatch);
      } else {
        builder.addKeyedRecord(
          caseKey === ABSENT_KEY ? ABSENT_KEY : caseKeys[caseKey]!,
          activityKey === ABSENT_KEY ? ABSENT_KEY : activityKeys[activityKey]!,
          timestamp,
          resourceKey === ABSENT_KEY ? ABSENT_KEY : resourceKeys[resourceKey]!,
          start,
          extraValues,
          lifecycleKey === ABSENT_KEY ? ABSENT_KEY : lifecycleKeys[lifecycleKey]!,
          mismatch,
        );
      }
    }
  }

  /** Learns the entries a block's parser met in it, without its records (a block parsed in vain); merge learns them too. */
  learnEntries(parser: number, records: CsvBlockRecords): ParserEntries {
    while (this.parsers.length <= parser) this.parsers.push(new ParserEntries(this.extraCount));
    const entries = this.parsers[parser]!;
    entries.learn(records.newEntries, this.merged);
    return entries;
  }

  /** A timestamp field as the builder takes it; a text is the next of the block's texts. */
  private timestampField(kind: number, epochMs: number, texts: readonly (string | null)[], into: ParsedTimestamp): TimestampField {
    switch (kind) {
      case TIMESTAMP_ABSENT:
        return undefined;
      case TIMESTAMP_BLANK:
        return null;
      case TIMESTAMP_TEXT:
        return texts[this.textAt++]!;
      default:
        into.epochMs = epochMs;
        into.dateOnly = kind === TIMESTAMP_DATE_ONLY;
        return into;
    }
  }
}

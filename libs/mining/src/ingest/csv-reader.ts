/**
 * A push-based RFC 4180 CSV parser over UTF-8 bytes: feed it byte chunks, it calls back once per
 * record with the byte ranges of its fields, which the reader decodes only where it needs text
 * (and interns by bytes where values repeat). Only the unfinished tail of a chunk is kept
 * between pushes, so memory stays bounded by the longest record, not the file. Delimiters,
 * quotes and line ends are ASCII, which no byte of a multi-byte UTF-8 character equals, so
 * fields are found on the bytes and a chunk may end anywhere.
 *
 * Handles quoted fields with embedded delimiters, `""` escapes and line breaks, CRLF / LF /
 * lone CR line ends and a leading BOM. The delimiter is detected from the header line
 * (the most frequent of `,` `;` tab outside quotes; comma on a tie). Blank lines are skipped
 * and are not records. Text after a closing quote up to the next delimiter is kept verbatim
 * (lenient, as spreadsheet exports sometimes produce `"a"b`).
 */
import type { ByteInterner } from './byte-interner.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

export const CANDIDATE_DELIMITERS = [',', ';', '\t'] as const;

/** The most frequent candidate delimiter outside quotes in `headerLine`; comma when none occurs. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(CANDIDATE_DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  for (const char of headerLine) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [delimiter, count] of counts) {
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/**
 * One record as found: field `i` is `bytes[starts[i], ends[i])`, from its opening quote on when
 * `quoted[i]`. Valid during the callback only (the parser reuses it and its bytes).
 */
export class CsvRecord {
  bytes: Buffer = Buffer.alloc(0);
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  quoted = new Uint8Array(16);

  /** The text of field `i`; undefined past the record's last field. */
  text(i: number): string | undefined {
    if (i >= this.count) return undefined;
    const start = this.starts[i];
    const end = this.ends[i];
    if (this.quoted[i] !== 0) return quotedFieldText(this.bytes, start, end);
    return start === end ? '' : this.bytes.toString('utf8', start, end);
  }

  /** `text(i)`, made once per distinct field bytes by `interner`. */
  internedText(i: number, interner: ByteInterner): string | undefined {
    if (i >= this.count) return undefined;
    return interner.lookup(this.bytes, this.starts[i], this.ends[i]) ?? interner.remember(this.text(i)!);
  }

  /** Every field's text. */
  texts(): string[] {
    return Array.from({ length: this.count }, (_, i) => this.text(i)!);
  }

  add(start: number, end: number, quoted: boolean): void {
    const i = this.count++;
    if (i === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
        const next = make(2 * old.length);
        next.set(old);
        return next;
      };
      this.starts = grow(this.starts, (n) => new Int32Array(n));
      this.ends = grow(this.ends, (n) => new Int32Array(n));
      this.quoted = grow(this.quoted, (n) => new Uint8Array(n));
    }
    this.starts[i] = start;
    this.ends[i] = end;
    this.quoted[i] = quoted ? 1 : 0;
  }
}

/**
 * The value of the quoted field `bytes[start, end)` (`start` is its opening quote): `""` is a
 * quote, the first lone quote closes it and what follows is kept verbatim; without a closing
 * quote (only at the end of the input) the rest is the value.
 */
function quotedFieldText(bytes: Buffer, start: number, end: number): string {
  let value = '';
  let segment = start + 1;
  for (;;) {
    const quoteAt = bytes.indexOf(QUOTE, segment);
    if (quoteAt < 0 || quoteAt >= end) return value + bytes.toString('utf8', segment, end);
    if (quoteAt + 1 < end && bytes[quoteAt + 1] === QUOTE) {
      value += bytes.toString('utf8', segment, quoteAt + 1);
      segment = quoteAt + 2;
      continue;
    }
    return value + bytes.toString('utf8', segment, quoteAt) + bytes.toString('utf8', quoteAt + 1, end);
  }
}

/** What a record callback may answer: `false` stops the parse after this record (the rest is kept, see `takeRest`). */
export type CsvRecordHandler = (record: CsvRecord) => void | boolean;

export class CsvRecordParser {
  private pending: Buffer | null = null;
  private delimiterCode = -1;
  private sawStart = false;
  private readonly record = new CsvRecord();

  constructor(
    private readonly onRecord: CsvRecordHandler,
    /** Forces a delimiter instead of detecting it. */
    delimiter?: string,
    /** The bytes start at a record inside the file, not at its start: no byte-order mark is looked for. */
    midStream = false,
  ) {
    if (delimiter !== undefined) this.delimiterCode = delimiter.charCodeAt(0);
    this.sawStart = midStream;
  }

  /** Whether bytes of an unfinished record (or of a stopped parse) are kept for the next push. */
  get hasPending(): boolean {
    return this.pending !== null && this.pending.length > 0;
  }

  /** The bytes kept for the next push, which the parser forgets: they start at a record (or are the start of the file). */
  takeRest(): Buffer | null {
    const rest = this.pending;
    this.pending = null;
    return rest;
  }

  /** The delimiter in use, once known. */
  get delimiter(): string | undefined {
    return this.delimiterCode < 0 ? undefined : String.fromCharCode(this.delimiterCode);
  }

  push(chunk: Buffer): void {
    let text = this.pending !== null ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    if (!this.sawStart) {
      // A BOM split over chunks waits for its last byte.
      if (text.length < BYTE_ORDER_MARK.length && BYTE_ORDER_MARK.subarray(0, text.length).equals(text)) {
        this.pending = text;
        return;
      }
      this.sawStart = true;
      if (text.subarray(0, BYTE_ORDER_MARK.length).equals(BYTE_ORDER_MARK)) text = text.subarray(BYTE_ORDER_MARK.length);
    }
    if (this.delimiterCode < 0) {
      const lineEnd = lineEndOf(text);
      if (lineEnd < 0) {
        this.pending = text;
        return;
      }
      this.delimiterCode = detectDelimiter(text.toString('utf8', 0, lineEnd)).charCodeAt(0);
    }
    const consumed = this.parse(text, false);
    if (consumed < text.length) this.pending = text.subarray(consumed);
  }

  end(): void {
    let text = this.pending;
    this.pending = null;
    if (text === null || text.length === 0) return;
    if (!this.sawStart && text.subarray(0, BYTE_ORDER_MARK.length).equals(BYTE_ORDER_MARK)) text = text.subarray(BYTE_ORDER_MARK.length);
    this.sawStart = true;
    if (this.delimiterCode < 0) {
      const lineEnd = lineEndOf(text);
      this.delimiterCode = detectDelimiter(text.toString('utf8', 0, lineEnd < 0 ? text.length : lineEnd)).charCodeAt(0);
    }
    const consumed = this.parse(text, true);
    if (consumed < text.length) this.pending = text.subarray(consumed);
  }

  /**
   * Emits every complete record in `text`; returns the offset of the first record that is
   * not known to be complete (only when `isFinal` is false), or of the one after a record
   * whose callback answered `false`.
   */
  private parse(text: Buffer, isFinal: boolean): number {
    const length = text.length;
    const delimiter = this.delimiterCode;
    const record = this.record;
    record.bytes = text;
    // Where the next delimiter, LF and CR are (length when there is none), each found by the
    // native indexOf and searched again only once passed: cheaper than a loop per byte.
    let nextDelimiter = -1;
    let nextLineFeed = -1;
    let nextCarriageReturn = -1;
    const indexOrEnd = (searched: number, from: number): number => {
      const at = text.indexOf(searched, from);
      return at < 0 ? length : at;
    };
    /** The first delimiter or line break at or after `from`, or `length`. */
    const fieldEnd = (from: number): number => {
      if (nextDelimiter < from) nextDelimiter = indexOrEnd(delimiter, from);
      if (nextLineFeed < from) nextLineFeed = indexOrEnd(LF, from);
      if (nextCarriageReturn < from) nextCarriageReturn = indexOrEnd(CR, from);
      return Math.min(nextDelimiter, nextLineFeed, nextCarriageReturn);
    };
    let position = 0;
    while (position < length) {
      const recordStart = position;
      record.count = 0;
      for (;;) {
        const fieldStart = position;
        const quoted = position < length && text[position] === QUOTE;
        if (quoted) {
          let search = position + 1;
          for (;;) {
            const quoteAt = text.indexOf(QUOTE, search);
            if (quoteAt < 0) {
              if (!isFinal) return recordStart;
              // Unterminated quote at end of file: the rest is the field's value.
              position = length;
              break;
            }
            if (quoteAt + 1 >= length && !isFinal) return recordStart;
            if (quoteAt + 1 < length && text[quoteAt + 1] === QUOTE) {
              search = quoteAt + 2;
              continue;
            }
            position = quoteAt + 1;
            break;
          }
        }
        // To the next delimiter or line end (for a quoted field: what follows its closing quote).
        position = fieldEnd(position);
        if (position >= length && !isFinal) return recordStart;
        record.add(fieldStart, position, quoted);
        if (position >= length) break;
        const code = text[position];
        if (code === delimiter) {
          position++;
          if (position >= length) {
            if (!isFinal) return recordStart;
            record.add(position, position, false);
            break;
          }
          continue;
        }
        // Line end: CRLF, LF or a lone CR.
        if (code === CR) {
          if (position + 1 >= length && !isFinal) return recordStart;
          position += position + 1 < length && text[position + 1] === LF ? 2 : 1;
        } else {
          position++;
        }
        break;
      }
      if (record.count === 1 && (record.starts[0] === record.ends[0] || record.text(0) === '')) continue;
      if (this.onRecord(record) === false) return position;
    }
    return position;
  }
}

/** The offset of the first CR or LF in `text`, or -1. */
function lineEndOf(text: Buffer): number {
  const lineFeed = text.indexOf(LF);
  const carriageReturn = text.indexOf(CR);
  if (lineFeed < 0) return carriageReturn;
  return carriageReturn < 0 ? lineFeed : Math.min(lineFeed, carriageReturn);
}

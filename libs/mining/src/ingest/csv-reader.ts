/**
 * A push-based RFC 4180 CSV parser: feed it text chunks, it calls back once per record.
 * Only the unfinished tail of a chunk is kept between pushes, so memory stays bounded by
 * the longest record, not the file.
 *
 * Handles quoted fields with embedded delimiters, `""` escapes and line breaks, CRLF / LF /
 * lone CR line ends and a leading BOM. The delimiter is detected from the header line
 * (the most frequent of `,` `;` tab outside quotes; comma on a tie). Blank lines are skipped
 * and are not records. Text after a closing quote up to the next delimiter is kept verbatim
 * (lenient, as spreadsheet exports sometimes produce `"a"b`).
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

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

export class CsvRecordParser {
  private pending = '';
  private delimiterCode = -1;
  private sawFirstChunk = false;

  constructor(
    private readonly onRecord: (fields: string[]) => void,
    /** Forces a delimiter instead of detecting it. */
    delimiter?: string,
  ) {
    if (delimiter !== undefined) this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** The delimiter in use, once known. */
  get delimiter(): string | undefined {
    return this.delimiterCode < 0 ? undefined : String.fromCharCode(this.delimiterCode);
  }

  push(chunk: string): void {
    if (!this.sawFirstChunk && chunk.length > 0) {
      this.sawFirstChunk = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const text = this.pending.length > 0 ? this.pending + chunk : chunk;
    if (this.delimiterCode < 0) {
      const lineEnd = text.search(/[\r\n]/);
      if (lineEnd < 0) {
        this.pending = text;
        return;
      }
      this.delimiterCode = detectDelimiter(text.slice(0, lineEnd)).charCodeAt(0);
    }
    const consumed = this.parse(text, false);
    this.pending = consumed < text.length ? text.slice(consumed) : '';
  }

  end(): void {
    const text = this.pending;
    this.pending = '';
    if (text.length === 0) return;
    if (this.delimiterCode < 0) this.delimiterCode = detectDelimiter(text.split(/[\r\n]/, 1)[0]).charCodeAt(0);
    this.parse(text, true);
  }

  /**
   * Emits every complete record in `text`; returns the offset of the first record that is
   * not known to be complete (only when `isFinal` is false).
   */
  private parse(text: string, isFinal: boolean): number {
    const length = text.length;
    const delimiter = this.delimiterCode;
    const delimiterText = String.fromCharCode(delimiter);
    // Where the next delimiter, LF and CR are (length when there is none), each found by the
    // native indexOf and searched again only once passed: cheaper than a loop per character.
    let nextDelimiter = -1;
    let nextLineFeed = -1;
    let nextCarriageReturn = -1;
    const indexOrEnd = (searched: string, from: number): number => {
      const at = text.indexOf(searched, from);
      return at < 0 ? length : at;
    };
    /** The first delimiter or line break at or after `from`, or `length`. */
    const fieldEnd = (from: number): number => {
      if (nextDelimiter < from) nextDelimiter = indexOrEnd(delimiterText, from);
      if (nextLineFeed < from) nextLineFeed = indexOrEnd('\n', from);
      if (nextCarriageReturn < from) nextCarriageReturn = indexOrEnd('\r', from);
      return Math.min(nextDelimiter, nextLineFeed, nextCarriageReturn);
    };
    let position = 0;
    while (position < length) {
      const recordStart = position;
      const fields: string[] = [];
      for (;;) {
        let value: string;
        if (position < length && text.charCodeAt(position) === QUOTE) {
          value = '';
          let segmentStart = position + 1;
          let search = segmentStart;
          for (;;) {
            const quoteAt = text.indexOf('"', search);
            if (quoteAt < 0) {
              if (!isFinal) return recordStart;
              // Unterminated quote at end of file: keep the rest as the field's value.
              value += text.slice(segmentStart);
              position = length;
              break;
            }
            if (quoteAt + 1 >= length && !isFinal) return recordStart;
            if (quoteAt + 1 < length && text.charCodeAt(quoteAt + 1) === QUOTE) {
              value += text.slice(segmentStart, quoteAt + 1);
              search = segmentStart = quoteAt + 2;
              continue;
            }
            value += text.slice(segmentStart, quoteAt);
            position = quoteAt + 1;
            break;
          }
          // Anything between the closing quote and the next delimiter or line end.
          const tailStart = position;
          position = fieldEnd(position);
          if (position >= length && !isFinal) return recordStart;
          if (position > tailStart) value += text.slice(tailStart, position);
        } else {
          const fieldStart = position;
          position = fieldEnd(position);
          if (position >= length && !isFinal) return recordStart;
          value = text.slice(fieldStart, position);
        }
        fields.push(value);
        if (position >= length) break;
        const code = text.charCodeAt(position);
        if (code === delimiter) {
          position++;
          if (position >= length) {
            if (!isFinal) return recordStart;
            fields.push('');
            break;
          }
          continue;
        }
        // Line end: CRLF, LF or a lone CR.
        if (code === CR) {
          if (position + 1 >= length && !isFinal) return recordStart;
          position += position + 1 < length && text.charCodeAt(position + 1) === LF ? 2 : 1;
        } else {
          position++;
        }
        break;
      }
      if (fields.length === 1 && fields[0].length === 0) continue;
      this.onRecord(fields);
    }
    return position;
  }
}

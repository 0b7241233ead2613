/**
 * A hand-written timestamp parser for event-log ingest. `new Date(text)` per row is both
 * slow (it dominates a million-row CSV) and lenient in surprising ways (`new Date('1')`
 * is a date in 2001), so the accepted forms are spelled out here and everything else is
 * reported as unparseable.
 *
 * Accepted (surrounding whitespace ignored):
 * - `yyyy-mm-dd`, `yyyy/mm/dd`, `yyyy.mm.dd` (year first), and `dd-mm-yyyy`, `dd/mm/yyyy`,
 *   `dd.mm.yyyy` (day first: two leading digits are always read as the day);
 * - optionally followed by `T` or spaces and `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fraction`
 *   (`.` or `,`; digits past milliseconds are truncated; `24:00:00` is the next midnight);
 * - optionally followed by a zone: `Z`, `UTC`, `GMT`, `±hh`, `±hhmm` or `±hh:mm`.
 *
 * A timestamp without a zone is read as UTC. A date without a time is midnight UTC and
 * flagged `dateOnly`, so ingest can report it as inferred.
 */

/** The outcome of one parse, written into a caller-owned object so the hot loop allocates nothing. */
export interface ParsedTimestamp {
  /** Epoch milliseconds (UTC), NaN when the text is not an accepted timestamp. */
  epochMs: number;
  /** True when the text carried a date but no time of day. */
  dateOnly: boolean;
}

const MS_PER_DAY = 86_400_000;
// Module-level bindings: global lookups are slow in sandboxed contexts (e.g. Jest's vm).
const floor = Math.floor;
const NOT_A_NUMBER = Number.NaN;
const CHAR_0 = 48;
const CHAR_9 = 57;

// Cursor shared by the helpers below; the parser is synchronous so this is safe.
let cursor = 0;

/** Reads up to `maxDigits` digits at `cursor`; returns the value, or -1 when fewer than `minDigits` were found. */
function readDigits(text: Uint8Array, end: number, minDigits: number, maxDigits: number): number {
  let value = 0;
  let count = 0;
  while (count < maxDigits && cursor < end) {
    const code = text[cursor];
    if (code < CHAR_0 || code > CHAR_9) break;
    value = value * 10 + (code - CHAR_0);
    cursor++;
    count++;
  }
  return count >= minDigits ? value : -1;
}

function isDateSeparator(code: number): boolean {
  return code === 45 /* - */ || code === 47 /* / */ || code === 46 /* . */;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floor(yearOfEra / 4) - floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** `UTC` or `GMT` at `cursor`, in any case. */
function isZoneName(text: Uint8Array, end: number): boolean {
  if (cursor + 3 > end) return false;
  const a = text[cursor] | 0x20;
  const b = text[cursor + 1] | 0x20;
  const c = text[cursor + 2] | 0x20;
  return (a === 117 && b === 116 && c === 99) /* utc */ || (a === 103 && b === 109 && c === 116) /* gmt */;
}

function fail(result: ParsedTimestamp): boolean {
  result.epochMs = NOT_A_NUMBER;
  result.dateOnly = false;
  return false;
}

/** The characters of a timestamp text as bytes, for the byte parser (grown when a text is longer). */
let scratch = new Uint8Array(64);

/** Parses `text` into `result`; returns whether it was an accepted timestamp. */
export function parseTimestampInto(text: string, result: ParsedTimestamp): boolean {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  // Every accepted form is ASCII: parse the characters as bytes.
  const length = end - start;
  if (length > scratch.length) scratch = new Uint8Array(2 * length);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(start + i);
    if (code > 127) return fail(result);
    scratch[i] = code;
  }
  return parseTimestampBytesInto(scratch, 0, length, result);
}

/**
 * Parses the ASCII timestamp in `bytes[from, to)` into `result` (the same forms as
 * `parseTimestampInto`: a byte outside ASCII is not part of any); returns whether it was one.
 */
export function parseTimestampBytesInto(text: Uint8Array, from: number, to: number, result: ParsedTimestamp): boolean {
  let start = from;
  let end = to;
  while (start < end && text[start] <= 32) start++;
  while (end > start && text[end - 1] <= 32) end--;
  if (end - start < 8) return fail(result);

  cursor = start;
  const first = readDigits(text, end, 1, 4);
  const firstLength = cursor - start;
  if (first < 0 || cursor >= end) return fail(result);
  const separator = text[cursor];
  if (!isDateSeparator(separator)) return fail(result);
  cursor++;
  const middle = readDigits(text, end, 1, 2);
  if (middle < 0 || cursor >= end || text[cursor] !== separator) return fail(result);
  cursor++;
  let year: number;
  let month: number;
  let day: number;
  if (firstLength === 4) {
    year = first;
    month = middle;
    day = readDigits(text, end, 1, 2);
  } else if (firstLength <= 2) {
    day = first;
    month = middle;
    const yearStart = cursor;
    year = readDigits(text, end, 4, 4);
    if (cursor - yearStart !== 4) return fail(result);
  } else {
    return fail(result);
  }
  if (day < 1 || month < 1 || month > 12 || day > daysInMonth(year, month)) return fail(result);
  const dayMs = daysFromCivil(year, month, day) * MS_PER_DAY;

  if (cursor === end) {
    result.epochMs = dayMs;
    result.dateOnly = true;
    return true;
  }

  // Date/time separator: `T` or one or more spaces.
  const dateTimeSeparator = text[cursor];
  if (dateTimeSeparator === 84 /* T */ || dateTimeSeparator === 116 /* t */) {
    cursor++;
  } else if (dateTimeSeparator === 32) {
    while (cursor < end && text[cursor] === 32) cursor++;
  } else {
    return fail(result);
  }

  const hour = readDigits(text, end, 1, 2);
  if (hour < 0 || cursor >= end || text[cursor] !== 58 /* : */) return fail(result);
  cursor++;
  const minute = readDigits(text, end, 2, 2);
  if (minute < 0) return fail(result);
  let second = 0;
  let millisecond = 0;
  if (cursor < end && text[cursor] === 58) {
    cursor++;
    second = readDigits(text, end, 2, 2);
    if (second < 0) return fail(result);
    const fractionMark = cursor < end ? text[cursor] : 0;
    if (fractionMark === 46 /* . */ || fractionMark === 44 /* , */) {
      cursor++;
      const fractionStart = cursor;
      let scale = 100;
      while (cursor < end) {
        const code = text[cursor];
        if (code < CHAR_0 || code > CHAR_9) break;
        millisecond += (code - CHAR_0) * scale;
        scale /= 10;
        cursor++;
      }
      if (cursor === fractionStart) return fail(result);
      millisecond = floor(millisecond);
    }
  }
  const isEndOfDay = hour === 24 && minute === 0 && second === 0 && millisecond === 0;
  if ((hour > 23 && !isEndOfDay) || minute > 59 || second > 59) return fail(result);

  let offsetMinutes = 0;
  while (cursor < end && text[cursor] === 32) cursor++;
  if (cursor < end) {
    const zone = text[cursor];
    if (zone === 90 /* Z */ || zone === 122 /* z */) {
      cursor++;
    } else if (zone === 43 /* + */ || zone === 45 /* - */) {
      cursor++;
      const offsetHours = readDigits(text, end, 2, 2);
      if (offsetHours < 0) return fail(result);
      let offsetMins = 0;
      if (cursor < end) {
        if (text[cursor] === 58) cursor++;
        offsetMins = readDigits(text, end, 2, 2);
        if (offsetMins < 0) return fail(result);
      }
      if (offsetHours > 23 || offsetMins > 59) return fail(result);
      offsetMinutes = (zone === 45 ? -1 : 1) * (offsetHours * 60 + offsetMins);
    } else {
      if (!isZoneName(text, end)) return fail(result);
      cursor += 3;
    }
    if (cursor !== end) return fail(result);
  }

  result.epochMs = dayMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millisecond;
  result.dateOnly = false;
  return true;
}

/** Convenience wrapper: the parsed timestamp, or null when `text` is not an accepted form. */
export function parseTimestamp(text: string): ParsedTimestamp | null {
  const result: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  return parseTimestampInto(text, result) ? result : null;
}

/**
 * A streaming scanner of the XML markup an XES log is made of: start, end and empty-element
 * tags with their `key` and `value` attributes, everything else (text, comments, CDATA,
 * processing instructions, a doctype) skipped. It is about three times faster than a
 * general SAX parser on BPI Challenge 2012 (74 MB of XML), which made the parser most of a
 * large log's ingest (see docs/adr/0010-xes-markup-scanner.md).
 *
 * It reads the UTF-8 bytes themselves: element names and the standard keys are matched as
 * bytes, and an attribute value becomes a string only when the handler asks for it (a
 * handler may intern it by its bytes instead, see ByteInterner).
 *
 * It still refuses what is not well-formed in ways that change what a log says: mismatched
 * or unclosed elements, a second root or text outside the root, an attribute without a
 * quoted value, `<` or an unknown entity in an attribute value, markup cut off at the end.
 * Attribute values are decoded as XML requires: the five predefined entities, character
 * references, and tabs and line breaks read as spaces.
 */
import { isAscii } from 'node:buffer';
import { completeCharactersEnd } from './utf8-chunks.js';

export interface XesMarkupHandler {
  /** A start tag (or an empty-element tag, then followed by `close`), with its key and value attributes. */
  open(name: string, key: string | undefined, value: string | undefined): void;
  close(name: string): void;
}

/** As XesMarkupHandler, but the value is handed over unread: it is valid only during the call. */
export interface XesTagHandler {
  openTag(name: string, key: string | undefined, value: XesAttributeValue | undefined): void;
  close(name: string): void;
}

/** The markup is not well-formed XML. */
export class XesMarkupError extends Error {
  constructor(message: string, readonly characterOffset: number) {
    super(`${message} (at character ${characterOffset})`);
    this.name = 'XesMarkupError';
  }
}

/** A single piece of markup longer than this cannot be part of a real log: the file is broken. */
const MAX_MARKUP_CHARACTERS = 16 * 1024 * 1024;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const AMPERSAND = 0x26;

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR;
}

/** What an attribute value's bytes hold, so a plain value needs no decoding beyond Latin-1. */
const HAS_AMPERSAND = 1;
const HAS_LT = 2;
const HAS_LINE_BREAK_OR_TAB = 4;
const HAS_NON_ASCII = 8;
const BYTE_CLASS = (() => {
  const classes = new Uint8Array(256);
  classes[AMPERSAND] = HAS_AMPERSAND;
  classes[LT] = HAS_LT;
  classes[TAB] = classes[LF] = classes[CR] = HAS_LINE_BREAK_OR_TAB;
  for (let byte = 0x80; byte < 256; byte++) classes[byte] = HAS_NON_ASCII;
  return classes;
})();

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));|&|<|\r\n|[\t\n\r]/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes an attribute value's text (entities, character references, white space). */
function decodeAttributeValue(raw: string, offset: () => number): string {
  return raw.replace(ENTITY, (match: string, hex?: string, decimal?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED[name]!;
    if (hex !== undefined || decimal !== undefined) {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(decimal!, 10);
      if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw new XesMarkupError(`invalid character reference ${match}`, offset());
      return String.fromCodePoint(code);
    }
    if (match === '&') throw new XesMarkupError('an "&" in an attribute value that starts no known entity', offset());
    if (match === '<') throw new XesMarkupError('a "<" in an attribute value', offset());
    return ' '; // tab, line feed, carriage return (a CR LF pair is one line break)
  });
}

/**
 * The `value` attribute of the tag being reported: its raw bytes between the quotes. One
 * instance is reused for every tag, so a handler reads it during the call and keeps only
 * what it made of it.
 */
export class XesAttributeValue {
  bytes: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;
  /** The BYTE_CLASS bits of the bytes. */
  classes = 0;
  /** The decoded text when it was decoded already (values with entities are, to check them). */
  decoded: string | undefined = undefined;

  /** The value as XML reads it. */
  text(): string {
    // Values with "&" or "<" were decoded (and checked) by the scanner; others cannot fail.
    return this.decoded ?? valueText(this.bytes, this.start, this.end, this.classes, NO_OFFSET);
  }
}

/** For decoding that cannot fail. */
const NO_OFFSET = (): number => 0;

/** Outcome of reading one piece of markup: where the scan goes on, or that the chunk ended inside it. */
const INCOMPLETE = -1;

interface ElementName {
  readonly name: string;
  /** The name without prefix, as handed to the handler. */
  readonly local: string;
  readonly bytes: Uint8Array;
}

function elementName(name: string, bytes: Uint8Array = Buffer.from(name, 'utf8')): ElementName {
  const colon = name.indexOf(':');
  return { name, local: colon < 0 ? name : name.slice(colon + 1), bytes };
}

const COMMENT_START = Buffer.from('<!--');
const COMMENT_END = Buffer.from('-->');
const CDATA_START = Buffer.from('<![CDATA[');
const CDATA_END = Buffer.from(']]>');
const DOCTYPE_START = Buffer.from('<!DOCTYPE');
const PROCESSING_INSTRUCTION_END = Buffer.from('?>');
const VALUE_EQUALS = Buffer.from('value=');
const LEFT_BRACKET = 0x5b;
const RIGHT_BRACKET = 0x5d;

function bytesAt(text: Uint8Array, at: number, bytes: Uint8Array): boolean {
  const length = bytes.length;
  if (at + length > text.length) return false;
  for (let i = 0; i < length; i++) if (text[at + i] !== bytes[i]) return false;
  return true;
}

/**
 * Length in UTF-16 code units (as a decoded JS string counts characters) of UTF-8 bytes: every
 * byte that starts a character counts one, a four-byte one two. Counted per byte, so a
 * character split between chunks is counted once.
 */
function characterLength(bytes: Buffer, start: number, end: number): number {
  if (isAscii(bytes.subarray(start, end))) return end - start;
  let count = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if ((byte & 0xc0) !== 0x80) count += byte >= 0xf0 ? 2 : 1;
  }
  return count;
}


/** Whether text between markup has a character that is not white space (as `/\S/` sees it). */
function hasNonSpace(text: Buffer, start: number, end: number): boolean {
  let nonAscii = false;
  for (let i = start; i < end; i++) {
    const byte = text[i];
    if (byte === SPACE || (byte >= TAB && byte <= CR)) continue;
    if (byte < 0x80) return true;
    nonAscii = true;
  }
  // Unicode white space (a byte-order mark, a no-break space) is white space to `/\S/` too.
  return nonAscii && /\S/.test(text.toString('utf8', start, end));
}

export class XesMarkupScanner {
  /** Bytes of unfinished markup (or of a character cut off) carried over to the next chunk. */
  private pending: Buffer | null = null;
  /** Characters (UTF-16 code units) of the text consumed before `pending`, for error positions. */
  private consumed = 0;
  /** A high surrogate ending a string chunk: its pair comes with the next one. */
  private pendingSurrogate = '';
  private readonly openElements: ElementName[] = [];
  private rootSeen = false;
  private rootClosed = false;
  private readonly handler: XesTagHandler;
  private readonly value = new XesAttributeValue();

  /**
   * @param insideRoot the scan starts inside the root element of this (qualified) name, between
   *   two of its children: a part of a document cut there (see `betweenRootChildren`).
   */
  constructor(handler: XesMarkupHandler | XesTagHandler, insideRoot?: string) {
    this.handler = 'openTag' in handler
      ? handler
      : { openTag: (name, key, value) => handler.open(name, key, value?.text()), close: (name) => handler.close(name) };
    if (insideRoot !== undefined) {
      this.openElements.push(elementName(insideRoot));
      this.rootSeen = true;
    }
  }

  /** The root's qualified name once its start tag was read. */
  get rootName(): string | undefined {
    return this.openElements[0]?.name;
  }

  /** Whether everything written was read and the scan stands inside the root, outside its children: where a document may be cut. */
  get betweenRootChildren(): boolean {
    return this.pending === null && this.openElements.length === 1;
  }

  /** Characters (UTF-16 code units) of the complete markup read so far. */
  get charactersRead(): number {
    return this.consumed;
  }

  /** Counts characters another scanner read from here on (whole markup, between root children), for the positions of later errors. */
  skip(characters: number): void {
    this.consumed += characters;
  }

  /** Takes the next chunk of the document: its UTF-8 bytes, or its text. */
  write(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? this.encode(chunk) : chunk;
    const pending = this.pending;
    const text = pending === null ? bytes : Buffer.concat([pending, bytes]);
    const end = this.scan(text);
    this.consumed += characterLength(text, 0, end);
    // A copy: the rest is small, and the caller may reuse the chunk's memory.
    this.pending = end < text.length ? Buffer.from(text.subarray(end)) : null;
    if (this.pending !== null && this.pending.length > MAX_MARKUP_CHARACTERS
      && characterLength(this.pending, 0, this.pending.length) > MAX_MARKUP_CHARACTERS) {
      throw new XesMarkupError('markup that never ends', this.consumed);
    }
  }

  close(): void {
    const rest = this.pending;
    if (rest !== null && rest[0] !== LT) {
      // Only the start of a character cut off by the end of the input: text, read as U+FFFD.
      this.pending = null;
      this.write('\uFFFD');
    }
    if (this.pending !== null) throw new XesMarkupError('the document ends inside markup', this.consumed);
    if (this.openElements.length > 0) throw new XesMarkupError(`unclosed element <${this.openElements.at(-1)!.name}>`, this.consumed);
    if (!this.rootSeen) throw new XesMarkupError('no root element', this.consumed);
  }

  private encode(chunk: string): Buffer {
    let whole = this.pendingSurrogate + chunk;
    this.pendingSurrogate = '';
    const last = whole.charCodeAt(whole.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.pendingSurrogate = whole.slice(-1);
      whole = whole.slice(0, -1);
    }
    return Buffer.from(whole, 'utf8');
  }

  private offsetOf(text: Buffer, at: number): number {
    return this.consumed + characterLength(text, 0, at);
  }

  /** Scans complete markup from the start of `text`; answers where the unread rest begins. */
  private scan(text: Buffer): number {
    const length = text.length;
    let position = 0;
    for (;;) {
      let lt = position;
      while (lt < length && text[lt] !== LT) lt++;
      if (this.openElements.length === 0 && lt > position) {
        // A character cut off at the end of the chunk is judged with the rest of it.
        const textEnd = lt < length ? lt : completeCharactersEnd(text, length);
        if (hasNonSpace(text, position, textEnd)) {
          throw new XesMarkupError(this.rootSeen ? 'text after the root element' : 'text before the root element', this.offsetOf(text, position));
        }
        if (lt >= length) return textEnd;
      }
      if (lt >= length) return length;
      const next = this.markupAt(text, lt);
      if (next === INCOMPLETE) return lt;
      position = next;
    }
  }

  private markupAt(text: Buffer, lt: number): number {
    if (lt + 1 >= text.length) return INCOMPLETE;
    const first = text[lt + 1];
    if (first === BANG) return this.declarationAt(text, lt);
    if (first === QUESTION) return skipTo(text, lt + 2, PROCESSING_INSTRUCTION_END);
    if (first === SLASH) return this.endTagAt(text, lt);
    return this.startTagAt(text, lt);
  }

  private declarationAt(text: Buffer, lt: number): number {
    if (bytesAt(text, lt, COMMENT_START)) return skipTo(text, lt + 4, COMMENT_END);
    if (bytesAt(text, lt, CDATA_START)) {
      if (this.openElements.length === 0) throw new XesMarkupError('CDATA outside the root element', this.offsetOf(text, lt));
      return skipTo(text, lt + 9, CDATA_END);
    }
    if (bytesAt(text, lt, DOCTYPE_START)) {
      if (this.rootSeen) throw new XesMarkupError('a doctype after the root element', this.offsetOf(text, lt));
      const gt = text.indexOf(GT, lt);
      const subset = text.indexOf(LEFT_BRACKET, lt);
      if (subset >= 0 && (gt < 0 || subset < gt)) {
        const subsetEnd = text.indexOf(RIGHT_BRACKET, subset);
        return subsetEnd < 0 ? INCOMPLETE : skipTo(text, subsetEnd, GT_BYTES);
      }
      return gt < 0 ? INCOMPLETE : gt + 1;
    }
    if (text.length - lt < 9) return INCOMPLETE; // may be the start of one of the above
    throw new XesMarkupError('unexpected markup "<!"', this.offsetOf(text, lt));
  }

  private endTagAt(text: Buffer, lt: number): number {
    const open = this.openElements.at(-1);
    // Most end tags are `</name>` of the open element: matched in place, no string made.
    if (open !== undefined && bytesAt(text, lt + 2, open.bytes) && text[lt + 2 + open.bytes.length] === GT) {
      return this.closeOpenElement(lt + 3 + open.bytes.length);
    }
    const gt = text.indexOf(GT, lt + 2);
    if (gt < 0) return INCOMPLETE;
    const name = text.toString('utf8', lt + 2, gt).trimEnd();
    if (open?.name !== name) {
      throw new XesMarkupError(open === undefined ? `end tag </${name}> with no open element` : `end tag </${name}> closes <${open.name}>`, this.offsetOf(text, lt));
    }
    return this.closeOpenElement(gt + 1);
  }

  private closeOpenElement(next: number): number {
    this.handler.close(this.openElements.pop()!.local);
    if (this.openElements.length === 0) this.rootClosed = true;
    return next;
  }

  /** The text of the attribute value quoted from `quote` to `close` (a separate method: a closure in startTagAt would slow its loop). */
  private valueTextAt(text: Buffer, quote: number, close: number, classes: number): string {
    return valueText(text, quote + 1, close, classes, () => this.offsetOf(text, quote));
  }

  private startTagAt(text: Buffer, lt: number): number {
    const length = text.length;
    let element = knownElementAt(text, lt + 1);
    let at = lt + 1 + (element?.bytes.length ?? 0);
    if (element === undefined) {
      while (at < length) {
        const code = text[at];
        if (isSpace(code) || code === GT || code === SLASH) break;
        if (code === LT || code === EQUALS || code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
          throw new XesMarkupError('a malformed tag name', this.offsetOf(text, lt));
        }
        at++;
      }
      if (at >= length) return INCOMPLETE;
      if (at === lt + 1) throw new XesMarkupError('a "<" that starts no tag', this.offsetOf(text, lt));
      element = elementName(text.toString('utf8', lt + 1, at), Buffer.from(text.subarray(lt + 1, at)));
    }
    const name = element.name;
    let key: string | undefined;
    let hasValue = false;
    const value = this.value;
    value.decoded = undefined;
    for (;;) {
      let code = text[at];
      while (isSpace(code)) code = text[++at];
      if (at >= length) return INCOMPLETE;
      if (code === GT || code === SLASH) break;
      // An attribute: name, optional spaces, "=", optional spaces, quoted value.
      let attribute: string;
      if (code === 0x6b /* k */ && text[at + 1] === 0x65 && text[at + 2] === 0x79 && text[at + 3] === EQUALS) {
        attribute = 'key';
        at += 3;
      } else if (code === 0x76 /* v */ && bytesAt(text, at, VALUE_EQUALS)) {
        attribute = 'value';
        at += 5;
      } else {
        const nameStart = at;
        while (at < length) {
          code = text[at];
          if (isSpace(code) || code === EQUALS || code === GT || code === SLASH || code === LT || code === DOUBLE_QUOTE || code === SINGLE_QUOTE) break;
          at++;
        }
        attribute = text.toString('utf8', nameStart, at);
      }
      code = text[at];
      while (isSpace(code)) code = text[++at];
      if (at >= length) return INCOMPLETE;
      if (code !== EQUALS || attribute.length === 0) throw new XesMarkupError(`attribute ${attribute || '(unnamed)'} of <${name}> has no value`, this.offsetOf(text, at));
      code = text[++at];
      while (isSpace(code)) code = text[++at];
      if (at >= length) return INCOMPLETE;
      if (code !== DOUBLE_QUOTE && code !== SINGLE_QUOTE) throw new XesMarkupError(`attribute ${attribute} of <${name}> has an unquoted value`, this.offsetOf(text, at));
      const quote = code;
      let close = at + 1;
      let classes = 0;
      while (close < length) {
        const byte = text[close];
        if (byte === quote) break;
        classes |= BYTE_CLASS[byte];
        close++;
      }
      if (close >= length) return INCOMPLETE;
      if (attribute === 'key') {
        key = knownKeyAt(text, at + 1, close) ?? this.valueTextAt(text, at, close, classes);
      } else if (attribute === 'value') {
        hasValue = true;
        value.bytes = text;
        value.start = at + 1;
        value.end = close;
        value.classes = classes;
        // Entities and "<" are checked here, whether or not the handler reads the value.
        value.decoded = (classes & (HAS_AMPERSAND | HAS_LT)) === 0 ? undefined : this.valueTextAt(text, at, close, classes);
      } else if ((classes & HAS_LT) !== 0) {
        throw new XesMarkupError(`a "<" in attribute ${attribute} of <${name}>`, this.offsetOf(text, at));
      }
      at = close + 1;
      code = text[at];
      if (at < length && !isSpace(code) && code !== GT && code !== SLASH) {
        throw new XesMarkupError(`attributes of <${name}> not separated by space`, this.offsetOf(text, at));
      }
    }
    const empty = text[at] === SLASH;
    if (empty) {
      if (at + 1 >= length) return INCOMPLETE;
      if (text[at + 1] !== GT) throw new XesMarkupError(`a "/" inside <${name}>`, this.offsetOf(text, at));
    }
    if (this.openElements.length === 0) {
      if (this.rootClosed) throw new XesMarkupError(`a second root element <${name}>`, this.offsetOf(text, lt));
      this.rootSeen = true;
    }
    this.handler.openTag(element.local, key, hasValue ? value : undefined);
    if (empty) {
      this.handler.close(element.local);
      if (this.openElements.length === 0) this.rootClosed = true;
      return at + 2;
    }
    this.openElements.push(element);
    return at + 1;
  }
}

const GT_BYTES = Buffer.from('>');

function skipTo(text: Buffer, from: number, terminator: Buffer): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? INCOMPLETE : at + terminator.length;
}

/** The text of an attribute value's bytes; `offset` locates an error in it (computed only then: it costs a pass over the chunk). */
function valueText(text: Buffer, start: number, end: number, classes: number, offset: () => number): string {
  if (classes === 0) return text.toString('latin1', start, end);
  const raw = text.toString('utf8', start, end);
  return (classes & ~HAS_NON_ASCII) === 0 ? raw : decodeAttributeValue(raw, offset);
}

/** The keys of the XES standard extensions most attributes have: read in place, no new string. */
const KNOWN_KEYS = ['concept:name', 'time:timestamp', 'lifecycle:transition', 'org:resource', 'org:group', 'org:role'] as const;

const KNOWN_KEYS_BY_LENGTH: readonly (readonly { key: string; bytes: Buffer }[] | undefined)[] = (() => {
  const byLength: { key: string; bytes: Buffer }[][] = [];
  for (const key of KNOWN_KEYS) (byLength[key.length] ??= []).push({ key, bytes: Buffer.from(key) });
  return byLength;
})();

function knownKeyAt(text: Buffer, start: number, end: number): string | undefined {
  const candidates = KNOWN_KEYS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) if (bytesAt(text, start, candidate.bytes)) return candidate.key;
  return undefined;
}

/** XES element names, by first byte: most tags are one of them, and need no new string. */
const KNOWN_ELEMENTS: readonly (readonly ElementName[] | undefined)[] = (() => {
  const byFirstByte: ElementName[][] = [];
  const names = ['string', 'date', 'event', 'extension', 'trace', 'int', 'id', 'float', 'boolean', 'list', 'log', 'container', 'classifier', 'global'];
  for (const name of names) (byFirstByte[name.charCodeAt(0)] ??= []).push(elementName(name));
  return byFirstByte;
})();

/** The known element name starting at `at` and ending at a space, `>` or `/`; undefined otherwise. */
function knownElementAt(text: Buffer, at: number): ElementName | undefined {
  const candidates = KNOWN_ELEMENTS[text[at]];
  if (candidates === undefined) return undefined;
  for (const element of candidates) {
    if (!bytesAt(text, at, element.bytes)) continue;
    const after = text[at + element.bytes.length];
    if (isSpace(after) || after === GT || after === SLASH) return element;
  }
  return undefined;
}

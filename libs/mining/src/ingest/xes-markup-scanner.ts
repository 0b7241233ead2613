/**
 * A streaming scanner of the XML markup an XES log is made of: start, end and empty-element
 * tags with their `key` and `value` attributes, everything else (text, comments, CDATA,
 * processing instructions, a doctype) skipped. It is about three times faster than a
 * general SAX parser on BPI Challenge 2012 (74 MB of XML), which made the parser most of a
 * large log's ingest (see docs/adr/0010-xes-markup-scanner.md).
 *
 * It still refuses what is not well-formed in ways that change what a log says: mismatched
 * or unclosed elements, a second root or text outside the root, an attribute without a
 * quoted value, `<` or an unknown entity in an attribute value, markup cut off at the end.
 * Attribute values are decoded as XML requires: the five predefined entities, character
 * references, and tabs and line breaks read as spaces.
 */

export interface XesMarkupHandler {
  /** A start tag (or an empty-element tag, then followed by `close`), with its key and value attributes. */
  open(name: string, key: string | undefined, value: string | undefined): void;
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

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

const NEEDS_DECODING = /[&<\t\n\r]/;
const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));|&|<|\r\n|[\t\n\r]/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeAttributeValue(raw: string, offset: number): string {
  if (!NEEDS_DECODING.test(raw)) return raw;
  return raw.replace(ENTITY, (match: string, hex?: string, decimal?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED[name]!;
    if (hex !== undefined || decimal !== undefined) {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(decimal!, 10);
      if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw new XesMarkupError(`invalid character reference ${match}`, offset);
      return String.fromCodePoint(code);
    }
    if (match === '&') throw new XesMarkupError('an "&" in an attribute value that starts no known entity', offset);
    if (match === '<') throw new XesMarkupError('a "<" in an attribute value', offset);
    return ' '; // tab, line feed, carriage return (a CR LF pair is one line break)
  });
}

/** Outcome of reading one piece of markup: where the scan goes on, or that the chunk ended inside it. */
const INCOMPLETE = -1;

export class XesMarkupScanner {
  private pending = '';
  /** Characters of the text consumed before `pending`, for error positions. */
  private consumed = 0;
  private readonly openElements: string[] = [];
  /** The open elements' names without prefix, as handed to the handler. */
  private readonly openLocalNames: string[] = [];
  private rootSeen = false;
  private rootClosed = false;

  constructor(private readonly handler: XesMarkupHandler) {}

  write(chunk: string): void {
    const text = this.pending.length === 0 ? chunk : this.pending + chunk;
    const end = this.scan(text);
    this.pending = end < text.length ? text.slice(end) : '';
    this.consumed += end;
    if (this.pending.length > MAX_MARKUP_CHARACTERS) throw new XesMarkupError('markup that never ends', this.consumed);
  }

  close(): void {
    if (/\S/.test(this.pending)) throw new XesMarkupError('the document ends inside markup', this.consumed);
    if (this.openElements.length > 0) throw new XesMarkupError(`unclosed element <${this.openElements.at(-1)}>`, this.consumed);
    if (!this.rootSeen) throw new XesMarkupError('no root element', this.consumed);
  }

  /** Scans complete markup from the start of `text`; answers where the unread rest begins. */
  private scan(text: string): number {
    let position = 0;
    for (;;) {
      const lt = text.indexOf('<', position);
      const textEnd = lt < 0 ? text.length : lt;
      if (this.openElements.length === 0 && textEnd > position && /\S/.test(text.slice(position, textEnd))) {
        throw new XesMarkupError(this.rootSeen ? 'text after the root element' : 'text before the root element', this.consumed + position);
      }
      if (lt < 0) return text.length;
      const next = this.markupAt(text, lt);
      if (next === INCOMPLETE) return lt;
      position = next;
    }
  }

  private markupAt(text: string, lt: number): number {
    if (lt + 1 >= text.length) return INCOMPLETE;
    const first = text.charCodeAt(lt + 1);
    if (first === BANG) return this.declarationAt(text, lt);
    if (first === QUESTION) return this.skipTo(text, lt + 2, '?>');
    if (first === SLASH) return this.endTagAt(text, lt);
    return this.startTagAt(text, lt);
  }

  private skipTo(text: string, from: number, terminator: string): number {
    const at = text.indexOf(terminator, from);
    return at < 0 ? INCOMPLETE : at + terminator.length;
  }

  private declarationAt(text: string, lt: number): number {
    if (text.startsWith('<!--', lt)) return this.skipTo(text, lt + 4, '-->');
    if (text.startsWith('<![CDATA[', lt)) {
      if (this.openElements.length === 0) throw new XesMarkupError('CDATA outside the root element', this.consumed + lt);
      return this.skipTo(text, lt + 9, ']]>');
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      if (this.rootSeen) throw new XesMarkupError('a doctype after the root element', this.consumed + lt);
      const gt = text.indexOf('>', lt);
      const subset = text.indexOf('[', lt);
      if (subset >= 0 && (gt < 0 || subset < gt)) {
        const subsetEnd = text.indexOf(']', subset);
        return subsetEnd < 0 ? INCOMPLETE : this.skipTo(text, subsetEnd, '>');
      }
      return gt < 0 ? INCOMPLETE : gt + 1;
    }
    if (text.length - lt < 9) return INCOMPLETE; // may be the start of one of the above
    throw new XesMarkupError('unexpected markup "<!"', this.consumed + lt);
  }

  private endTagAt(text: string, lt: number): number {
    const open = this.openElements.at(-1);
    // Most end tags are `</name>` of the open element: matched in place, no string made.
    if (open !== undefined && text.startsWith(open, lt + 2) && text.charCodeAt(lt + 2 + open.length) === GT) {
      return this.closeOpenElement(lt + 3 + open.length);
    }
    const gt = text.indexOf('>', lt + 2);
    if (gt < 0) return INCOMPLETE;
    const name = text.slice(lt + 2, gt).trimEnd();
    if (open !== name) {
      throw new XesMarkupError(open === undefined ? `end tag </${name}> with no open element` : `end tag </${name}> closes <${open}>`, this.consumed + lt);
    }
    return this.closeOpenElement(gt + 1);
  }

  private closeOpenElement(next: number): number {
    this.openElements.pop();
    this.handler.close(this.openLocalNames.pop()!);
    if (this.openElements.length === 0) this.rootClosed = true;
    return next;
  }

  private startTagAt(text: string, lt: number): number {
    const length = text.length;
    let name = knownElementAt(text, lt + 1);
    let at = lt + 1 + (name?.length ?? 0);
    if (name === undefined) {
      while (at < length) {
        const code = text.charCodeAt(at);
        if (isSpace(code) || code === GT || code === SLASH) break;
        if (code === LT || code === EQUALS || code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
          throw new XesMarkupError('a malformed tag name', this.consumed + lt);
        }
        at++;
      }
      if (at >= length) return INCOMPLETE;
      if (at === lt + 1) throw new XesMarkupError('a "<" that starts no tag', this.consumed + lt);
      name = text.slice(lt + 1, at);
    }
    let key: string | undefined;
    let value: string | undefined;
    for (;;) {
      let code = text.charCodeAt(at);
      while (isSpace(code)) code = text.charCodeAt(++at);
      if (at >= length) return INCOMPLETE;
      if (code === GT || code === SLASH) break;
      // An attribute: name, optional spaces, "=", optional spaces, quoted value.
      let attribute: string;
      if (text.startsWith('key=', at)) {
        attribute = 'key';
        at += 3;
      } else if (text.startsWith('value=', at)) {
        attribute = 'value';
        at += 5;
      } else {
        const nameStart = at;
        while (at < length) {
          code = text.charCodeAt(at);
          if (isSpace(code) || code === EQUALS || code === GT || code === SLASH || code === LT || code === DOUBLE_QUOTE || code === SINGLE_QUOTE) break;
          at++;
        }
        attribute = text.slice(nameStart, at);
      }
      code = text.charCodeAt(at);
      while (isSpace(code)) code = text.charCodeAt(++at);
      if (at >= length) return INCOMPLETE;
      if (code !== EQUALS || attribute.length === 0) throw new XesMarkupError(`attribute ${attribute || '(unnamed)'} of <${name}> has no value`, this.consumed + at);
      code = text.charCodeAt(++at);
      while (isSpace(code)) code = text.charCodeAt(++at);
      if (at >= length) return INCOMPLETE;
      if (code !== DOUBLE_QUOTE && code !== SINGLE_QUOTE) throw new XesMarkupError(`attribute ${attribute} of <${name}> has an unquoted value`, this.consumed + at);
      const close = text.indexOf(code === DOUBLE_QUOTE ? '"' : "'", at + 1);
      if (close < 0) return INCOMPLETE;
      if (attribute === 'key') key = knownKeyAt(text, at + 1, close) ?? decodeAttributeValue(text.slice(at + 1, close), this.consumed + at);
      else if (attribute === 'value') value = decodeAttributeValue(text.slice(at + 1, close), this.consumed + at);
      else if (text.lastIndexOf('<', close) > at) throw new XesMarkupError(`a "<" in attribute ${attribute} of <${name}>`, this.consumed + at);
      at = close + 1;
      code = text.charCodeAt(at);
      if (at < length && !isSpace(code) && code !== GT && code !== SLASH) {
        throw new XesMarkupError(`attributes of <${name}> not separated by space`, this.consumed + at);
      }
    }
    const empty = text.charCodeAt(at) === SLASH;
    if (empty) {
      if (at + 1 >= length) return INCOMPLETE;
      if (text.charCodeAt(at + 1) !== GT) throw new XesMarkupError(`a "/" inside <${name}>`, this.consumed + at);
    }
    if (this.openElements.length === 0) {
      if (this.rootClosed) throw new XesMarkupError(`a second root element <${name}>`, this.consumed + lt);
      this.rootSeen = true;
    }
    const local = localName(name);
    this.handler.open(local, key, value);
    if (empty) {
      this.handler.close(local);
      if (this.openElements.length === 0) this.rootClosed = true;
      return at + 2;
    }
    this.openElements.push(name);
    this.openLocalNames.push(local);
    return at + 1;
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The keys of the XES standard extensions most attributes have: read in place, no new string. */
const KNOWN_KEYS = ['concept:name', 'time:timestamp', 'lifecycle:transition', 'org:resource', 'org:group', 'org:role'] as const;

const KNOWN_KEYS_BY_LENGTH: readonly (readonly string[] | undefined)[] = (() => {
  const byLength: string[][] = [];
  for (const key of KNOWN_KEYS) (byLength[key.length] ??= []).push(key);
  return byLength;
})();

function knownKeyAt(text: string, start: number, end: number): string | undefined {
  const candidates = KNOWN_KEYS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (const key of candidates) if (text.startsWith(key, start)) return key;
  return undefined;
}

/** XES element names, by first letter: most tags are one of them, and need no new string. */
const KNOWN_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  s: ['string'], d: ['date'], e: ['event', 'extension'], t: ['trace'], i: ['int', 'id'], f: ['float'],
  b: ['boolean'], l: ['list', 'log'], c: ['container', 'classifier'], g: ['global'],
};

/** The known element name starting at `at` and ending at a space, `>` or `/`; undefined otherwise. */
function knownElementAt(text: string, at: number): string | undefined {
  const candidates = KNOWN_ELEMENTS[text[at] ?? ''];
  if (candidates === undefined) return undefined;
  for (const name of candidates) {
    if (!text.startsWith(name, at)) continue;
    const after = text.charCodeAt(at + name.length);
    if (isSpace(after) || after === GT || after === SLASH) return name;
  }
  return undefined;
}

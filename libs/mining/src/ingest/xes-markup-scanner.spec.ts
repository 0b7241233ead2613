/**
 * The XES markup scanner against a conforming XML parser (saxes): on real logs, on generated
 * documents cut into chunks anywhere, and on documents that are not well-formed, both must
 * see the same tags with the same key/value attributes, or both refuse.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { BPIC_2012_XES_GZ, DIRTY_FIXTURES_DIR, RUNNING_EXAMPLE_XES } from '../../../../test/support/fixtures.js';
import { XesMarkupError, XesMarkupScanner } from './xes-markup-scanner.js';

type Tag = string;

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Tags as "+name key=value" / "-name", from the scanner, fed in the given chunks (text or UTF-8 bytes). */
function scannerTags(chunks: readonly (string | Buffer)[]): Tag[] {
  const tags: Tag[] = [];
  const scanner = new XesMarkupScanner({
    open: (name, key, value) => void tags.push(`+${name} ${key ?? '∅'}=${value ?? '∅'}`),
    close: (name) => void tags.push(`-${name}`),
  });
  for (const chunk of chunks) scanner.write(chunk);
  scanner.close();
  return tags;
}

function saxesTags(text: string): Tag[] {
  const tags: Tag[] = [];
  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('opentag', (tag) => void tags.push(`+${localName(tag.name)} ${tag.attributes['key'] ?? '∅'}=${tag.attributes['value'] ?? '∅'}`));
  parser.on('closetag', (tag) => void tags.push(`-${localName(tag.name)}`));
  parser.write(text).close();
  return tags;
}

function outcome(read: () => Tag[]): Tag[] | 'refused' {
  try {
    return read();
  } catch {
    return 'refused';
  }
}

function inChunksOf(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/** The text's UTF-8 bytes in chunks of `size` bytes (cutting multi-byte characters). */
function bytesInChunksOf(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

function refusalOffset(chunks: readonly (string | Buffer)[]): number {
  try {
    scannerTags(chunks);
  } catch (error) {
    if (error instanceof XesMarkupError) return error.characterOffset;
    throw error;
  }
  throw new Error('not refused');
}

const MALFORMED_DOCUMENTS: [string, string][] = [
  ['an unclosed element', '<log><trace><event></log>'],
  ['a mismatched end tag', '<log><trace></event></log>'],
  ['a document cut off inside a tag', '<log><trace><string key="a" value="b"'],
  ['an unclosed root', '<log><trace></trace>'],
  ['text outside the root', '<log></log> trailing'],
  ['a second root', '<log></log><log></log>'],
  ['an unquoted attribute value', '<log><string key=a value="b"/></log>'],
  ['an attribute without a value', '<log><string key value="b"/></log>'],
  ['an unknown entity', '<log><string key="a" value="&nbsp;"/></log>'],
  ['a bare ampersand', '<log><string key="a" value="A & B"/></log>'],
  ['a "<" in an attribute value', '<log><string key="a" value="a<b"/></log>'],
  ['no root element', '<?xml version="1.0"?>\n<!-- nothing -->\n'],
  ['an end tag with no open element', '</log>'],
  ['attributes run together', '<log><string key="a"value="b"/></log>'],
  ['an invalid character reference', '<log><string key="a" value="&#0;"/></log>'],
];

describe('XesMarkupScanner', () => {
  it('sees every tag of the real logs exactly as a conforming parser does, in any chunk size', () => {
    for (const file of [RUNNING_EXAMPLE_XES, path.join(DIRTY_FIXTURES_DIR, 'dirty.xes')]) {
      const text = readFileSync(file, 'utf8');
      const expected = saxesTags(text);
      for (const size of [1, 2, 3, 7, 64, 1000, text.length]) expect(scannerTags(inChunksOf(text, size))).toEqual(expected);
    }
  });

  it('reads BPI Challenge 2012 (74 MB of XML) tag for tag as a conforming parser does', () => {
    const text = gunzipSync(readFileSync(BPIC_2012_XES_GZ)).toString('utf8');
    // 2.6 million tags: compared through a digest of the whole sequence rather than held twice.
    const digest = (feed: (tag: (t: Tag) => void) => void) => {
      const hash = createHash('sha256');
      let count = 0;
      feed((t) => {
        hash.update(t).update('\n');
        count++;
      });
      return { count, digest: hash.digest('hex') };
    };
    const expected = digest((tag) => {
      const parser = new SaxesParser({ xmlns: false, position: false });
      parser.on('opentag', (t) => tag(`+${localName(t.name)} ${t.attributes['key'] ?? '∅'}=${t.attributes['value'] ?? '∅'}`));
      parser.on('closetag', (t) => tag(`-${localName(t.name)}`));
      parser.write(text).close();
    });
    const actual = digest((tag) => {
      const scanner = new XesMarkupScanner({
        open: (name, key, value) => tag(`+${name} ${key ?? '∅'}=${value ?? '∅'}`),
        close: (name) => tag(`-${name}`),
      });
      for (const chunk of inChunksOf(text, 1 << 20)) scanner.write(chunk);
      scanner.close();
    });
    expect(expected.count).toBeGreaterThan(2_000_000);
    expect(actual).toEqual(expected);
  }, 60_000);

  const attributeValue = fc.stringMatching(/^[a-zA-Z0-9 :.+\-_éü€\t\n]{0,12}$/).chain((plain) =>
    fc.constantFrom(plain, `${plain}&amp;x`, `&lt;${plain}&gt;`, `&#233;${plain}&#x20AC;`, `&quot;${plain}&apos;`, `a\r\nb${plain}`),
  );
  const quote = fc.constantFrom('"', "'");
  const attribute = fc.tuple(fc.constantFrom('key', 'value', 'other', 'ns:key'), attributeValue, quote, fc.constantFrom('', ' ', '\n'))
    .map(([name, value, q, space]) => ` ${name}${space}=${space}${q}${q === '"' ? value.replace(/"/g, '&quot;') : value.replace(/'/g, '&apos;')}${q}`);
  // Text content is skipped unread (XES keeps nothing in it), so only well-formed text is generated.
  const filler = fc.constantFrom('', '\n  ', ' text &amp; more ', '<!-- a > comment -->', '<![CDATA[ <not a tag> ]]>', '<?pi x?>');
  const element: fc.Memo<string> = fc.memo((depth) =>
    fc.tuple(
      fc.constantFrom('trace', 'event', 'string', 'date', 'xes:int'),
      fc.uniqueArray(attribute, { maxLength: 3, selector: (a) => a.trim().split(/\s*=/)[0] }),
      depth <= 1 ? fc.constant([]) : fc.array(element(depth - 1), { maxLength: 3 }),
      filler,
      fc.boolean(),
    ).map(([name, attributes, children, fill, empty]) =>
      empty && children.length === 0
        ? `<${name}${attributes.join('')}/>`
        : `<${name}${attributes.join('')}>${fill}${children.join(fill)}</${name} >`,
    ),
  );
  const document = fc.tuple(element(3), filler).map(([root, fill]) => `<?xml version="1.0"?>\n<!-- head -->\n<log>${fill}${root}</log>\n`);

  it('agrees with a conforming parser on generated documents cut anywhere', () => {
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, text.length].slice(1).map((end, i, ends) => text.slice(i === 0 ? 0 : ends[i - 1], end));
        expect(scannerTags([text.slice(0, 0), ...chunks])).toEqual(saxesTags(text));
      }),
      { numRuns: 300 },
    );
  });

  it.each(MALFORMED_DOCUMENTS)('refuses %s, as a conforming parser does', (_what, text) => {
    expect(outcome(() => saxesTags(text))).toBe('refused');
    expect(() => scannerTags([text])).toThrow(XesMarkupError);
    expect(() => scannerTags(inChunksOf(text, 3))).toThrow(XesMarkupError);
  });

  it('reads UTF-8 bytes cut anywhere, even inside a character, as a conforming parser reads the text', () => {
    for (const file of [RUNNING_EXAMPLE_XES, path.join(DIRTY_FIXTURES_DIR, 'dirty.xes')]) {
      const text = readFileSync(file, 'utf8');
      const expected = saxesTags(text);
      for (const size of [1, 2, 3, 7, 64, 1000]) expect(scannerTags(bytesInChunksOf(text, size))).toEqual(expected);
    }
    // Two-, three- and four-byte characters in names, keys and values, and a byte-order mark.
    const text = '\uFEFF<?xml version="1.0"?><log><trace><événement><string key="clé😀" value="€ 😀 ü&amp;é"/></événement></trace></log>\n';
    const expected = saxesTags(text);
    expect(expected).toContain('+string clé😀=€ 😀 ü&é');
    for (let size = 1; size <= 12; size++) expect(scannerTags(bytesInChunksOf(text, size))).toEqual(expected);
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [...points, bytes.length].map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
        expect(scannerTags(chunks)).toEqual(saxesTags(text));
      }),
      { numRuns: 300 },
    );
  });

  it.each(MALFORMED_DOCUMENTS)('refuses %s given as bytes, in chunks of any size', (_what, text) => {
    for (const size of [1, 2, 5, text.length]) expect(() => scannerTags(bytesInChunksOf(text, size))).toThrow(XesMarkupError);
  });

  it('locates a refusal in characters of the text, not bytes, however the bytes are cut', () => {
    const text = '<log><string key="clé😀" value="€"/></trace></log>';
    const at = text.indexOf('</trace>');
    expect(refusalOffset([text])).toBe(at);
    for (const size of [1, 2, 3, 5, 1000]) expect(refusalOffset(bytesInChunksOf(text, size))).toBe(at);
  });

  it('refuses a document ending inside a multi-byte character outside the root, as decoding it would', () => {
    const bytes = Buffer.from('<log/>\n€', 'utf8');
    expect(() => scannerTags([bytes.subarray(0, bytes.length - 1)])).toThrow(XesMarkupError);
    expect(scannerTags([bytes.subarray(0, bytes.length - 3), Buffer.from('\n')])).toEqual(['+log ∅=∅', '-log']);
  });
});

import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { CsvRecordParser, detectDelimiter } from './csv-reader.js';

/** The records of `text`, its UTF-8 bytes fed in chunks cut at the given byte offsets. */
function recordsOf(text: string, cuts: readonly number[] = []): string[][] {
  const bytes = Buffer.from(text, 'utf8');
  const records: string[][] = [];
  const parser = new CsvRecordParser((record) => void records.push(record.texts()));
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(from, cut));
    from = cut;
  }
  parser.end();
  return records;
}

function parseAll(text: string, chunkSize = Buffer.byteLength(text)): string[][] {
  const cuts: number[] = [];
  for (let offset = chunkSize; offset < Buffer.byteLength(text); offset += Math.max(1, chunkSize)) cuts.push(offset);
  return recordsOf(text, cuts);
}

/** The parser's rules spelled out one character at a time, on the whole text. */
function referenceRecords(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  const n = text.length;
  const endsField = (char: string | undefined): boolean => char === delimiter || char === '\n' || char === '\r';
  let i = 0;
  while (i < n) {
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        for (i++; i < n; ) {
          if (text[i] !== '"') value += text[i++];
          else if (text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        }
      }
      while (i < n && !endsField(text[i])) value += text[i++];
      fields.push(value);
      if (i >= n) break;
      if (text[i] === delimiter) {
        if (++i >= n) {
          fields.push('');
          break;
        }
        continue;
      }
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      break;
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
  }
  return records;
}

const TRICKY =
  '\ufeffid,name,note\r\n' +
  '1,"Smith, Ann","said ""hi"""\r\n' +
  '2,plain,"two\r\nlines"\n' +
  '3,,\r' +
  '\r\n' +
  '4,"",last';

const EXPECTED = [
  ['id', 'name', 'note'],
  ['1', 'Smith, Ann', 'said "hi"'],
  ['2', 'plain', 'two\r\nlines'],
  ['3', '', ''],
  ['4', '', 'last'],
];

describe('CsvRecordParser', () => {
  it('parses quoted fields, escaped quotes, embedded line breaks, mixed line ends and a BOM', () => {
    expect(parseAll(TRICKY)).toEqual(EXPECTED);
  });

  it.each([1, 2, 3, 5, 7, 11])('gives the same records when fed in %i-character chunks', (chunkSize) => {
    expect(parseAll(TRICKY, chunkSize)).toEqual(EXPECTED);
  });

  it('handles a trailing newline and a trailing delimiter', () => {
    expect(parseAll('a,b\n1,\n')).toEqual([['a', 'b'], ['1', '']]);
  });

  it('detects ; and tab delimiters from the header', () => {
    expect(parseAll('a;b;"c;d"\n1;2,5;3\n')).toEqual([['a', 'b', 'c;d'], ['1', '2,5', '3']]);
    expect(parseAll('a\tb\n1\t"x, y"\n')).toEqual([['a', 'b'], ['1', 'x, y']]);
  });

  it('agrees with the rules spelled out per character on generated text cut at any byte', () => {
    const body = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', '\r', 'é', '€', '😀'), maxLength: 80 });
    fc.assert(
      fc.property(body, fc.array(fc.nat(), { maxLength: 6 }), (rest, cuts) => {
        const text = `a,b,c\n${rest}`;
        const byteLength = Buffer.byteLength(text);
        const points = [...new Set(cuts.map((c) => c % (byteLength + 1)))].sort((x, y) => x - y);
        expect(recordsOf(text, points)).toEqual(referenceRecords(text, ','));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a BOM split over chunks, and multi-byte characters cut anywhere', () => {
    const text = '\ufeffname,city\nZoë,Zürich\n"Łódź, PL",東京\n';
    const expected = [['name', 'city'], ['Zoë', 'Zürich'], ['Łódź, PL', '東京']];
    for (let cut = 0; cut <= Buffer.byteLength(text); cut++) expect(recordsOf(text, [cut])).toEqual(expected);
    expect(parseAll(text, 1)).toEqual(expected);
  });

  it('keeps an unterminated quote at end of input as the rest of the field', () => {
    expect(parseAll('a,b\n1,"open\nstill')).toEqual([['a', 'b'], ['1', 'open\nstill']]);
  });
});

describe('detectDelimiter', () => {
  it('counts only outside quotes and prefers comma on a tie', () => {
    expect(detectDelimiter('"a;b;c",d,e')).toBe(',');
    expect(detectDelimiter('a;b,c')).toBe(',');
    expect(detectDelimiter('a;b;c,d')).toBe(';');
    expect(detectDelimiter('single')).toBe(',');
  });
});

import { describe, it, expect } from '@jest/globals';
import { CsvRecordParser, detectDelimiter } from './csv-reader.js';

function parseAll(text: string, chunkSize = text.length): string[][] {
  const records: string[][] = [];
  const parser = new CsvRecordParser((fields) => records.push(fields));
  for (let offset = 0; offset < text.length; offset += Math.max(1, chunkSize)) parser.push(text.slice(offset, offset + chunkSize));
  parser.end();
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

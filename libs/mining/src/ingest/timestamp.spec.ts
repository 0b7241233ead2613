import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { daysFromCivil, parseTimestamp, parseTimestampBytesInto, parseTimestampInto, type ParsedTimestamp } from './timestamp.js';

describe('parseTimestamp', () => {
  it.each([
    ['2010-12-30 14:32:00+01:00', Date.UTC(2010, 11, 30, 13, 32)],
    ['2010-12-30T14:32:00.000+01:00', Date.UTC(2010, 11, 30, 13, 32)],
    ['2011-10-01T00:38:44.546+02:00', Date.UTC(2011, 8, 30, 22, 38, 44, 546)],
    ['2024-01-05T10:30:00Z', Date.UTC(2024, 0, 5, 10, 30)],
    ['2024-01-05t10:30:00z', Date.UTC(2024, 0, 5, 10, 30)],
    ['2024-01-05 10:30:00', Date.UTC(2024, 0, 5, 10, 30)],
    ['2024-01-05 10:30', Date.UTC(2024, 0, 5, 10, 30)],
    ['2024-01-05T10:30:00.1234567Z', Date.UTC(2024, 0, 5, 10, 30, 0, 123)],
    ['2024-01-05T10:30:00,5Z', Date.UTC(2024, 0, 5, 10, 30, 0, 500)],
    ['2024-01-05T10:30:00-0530', Date.UTC(2024, 0, 5, 16, 0)],
    ['2024-01-05T10:30:00+02', Date.UTC(2024, 0, 5, 8, 30)],
    ['2024-01-05 10:30:00 UTC', Date.UTC(2024, 0, 5, 10, 30)],
    ['  2024-01-05 10:30:00  ', Date.UTC(2024, 0, 5, 10, 30)],
    ['05-01-2024 10:30:00', Date.UTC(2024, 0, 5, 10, 30)],
    ['5/1/2024 10:30', Date.UTC(2024, 0, 5, 10, 30)],
    ['2024/01/05 10:30:00', Date.UTC(2024, 0, 5, 10, 30)],
    ['2024-02-29T24:00:00Z', Date.UTC(2024, 2, 1)],
    ['1969-07-20T20:17:40Z', Date.UTC(1969, 6, 20, 20, 17, 40)],
  ])('parses %s', (text, expected) => {
    expect(parseTimestamp(text)).toEqual({ epochMs: expected, dateOnly: false });
  });

  it.each([
    ['2024-01-05', Date.UTC(2024, 0, 5)],
    ['2024/01/05', Date.UTC(2024, 0, 5)],
    ['05-01-2024', Date.UTC(2024, 0, 5)],
    ['05.01.2024', Date.UTC(2024, 0, 5)],
  ])('parses date-only %s as midnight UTC, flagged', (text, expected) => {
    expect(parseTimestamp(text)).toEqual({ epochMs: expected, dateOnly: true });
  });

  it.each([
    '',
    'not a date',
    '1',
    '2024',
    '2024-13-01',
    '2023-02-29',
    '2024-04-31 10:00',
    '2024-01-05 25:00:00',
    '2024-01-05 10:60:00',
    '2024-01-05T10:30:00+2500',
    '2024-01-05T10:30:00 PST',
    '2024-01/05',
    '2024-01-05X10:30',
    '2024-01-05T10:30:00Zjunk',
    '123-01-05',
  ])('rejects %j', (text) => {
    const result: ParsedTimestamp = { epochMs: 0, dateOnly: true };
    expect(parseTimestampInto(text, result)).toBe(false);
    expect(result.epochMs).toBeNaN();
  });

  it('agrees with the calendar for every day across four centuries', () => {
    const mismatches: number[] = [];
    for (let day = -150_000; day < 150_000; day++) {
      const date = new Date(day * 86_400_000);
      if (daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()) !== day) mismatches.push(day);
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with Date.parse on a million ISO timestamps with offsets (speed: see bench/)', () => {
    const texts: string[] = [];
    const base = Date.UTC(2023, 0, 1);
    for (let i = 0; i < 1_000; i++) texts.push(new Date(base + i * 3_600_123).toISOString().replace('Z', '+01:00'));
    const result: ParsedTimestamp = { epochMs: 0, dateOnly: false };
    const checksumOfMillionParses = (parse: (text: string) => number): number => {
      let checksum = 0;
      for (let round = 0; round < 1_000; round++) {
        for (const text of texts) checksum += parse(text);
      }
      return checksum;
    };
    const ours = (text: string): number => (parseTimestampInto(text, result), result.epochMs);
    expect(checksumOfMillionParses(ours)).toBe(checksumOfMillionParses((text) => Date.parse(text)));
  });

  it('reads the same from UTF-8 bytes anywhere in a buffer as from the text', () => {
    const piece = fc.constantFrom('2024-01-05', '05/01/2024', 'T', ' ', '10:30', ':00', '.5', ',123', 'Z', 'utc', 'GmT', '+02:00', '-0530', '24:00', '9', '-', '.', 'é', '\u00a0', '\t');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 7 }), fc.nat(5), (pieces, padding) => {
        const text = pieces.join('');
        const bytes = Buffer.concat([Buffer.alloc(padding, 0x31), Buffer.from(text, 'utf8'), Buffer.alloc(padding, 0x32)]);
        const fromText: ParsedTimestamp = { epochMs: 0, dateOnly: false };
        const fromBytes: ParsedTimestamp = { epochMs: 0, dateOnly: false };
        const accepted = parseTimestampInto(text, fromText);
        expect(parseTimestampBytesInto(bytes, padding, bytes.length - padding, fromBytes)).toBe(accepted);
        expect(fromBytes).toEqual(fromText);
      }),
      { numRuns: 3000 },
    );
  });
});

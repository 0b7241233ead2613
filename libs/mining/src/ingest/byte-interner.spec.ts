import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ByteInterner } from './byte-interner.js';
import { XesMarkupScanner } from './xes-markup-scanner.js';

/** Every value of the document as the interner gives it and as decoded text. */
function internedAndDecoded(document: string): { interned: string[]; decoded: string[] } {
  const interner = new ByteInterner();
  const interned: string[] = [];
  const decoded: string[] = [];
  const scanner = new XesMarkupScanner({
    openTag: (_name, _key, value) => {
      if (value === undefined) return;
      interned.push(interner.intern(value));
      decoded.push(value.text());
    },
    close: () => {},
  });
  scanner.write(Buffer.from(document, 'utf8'));
  scanner.close();
  return { interned, decoded };
}

const documentOf = (values: readonly string[]): string => `<log>${values.map((v) => `<string key="k" value="${v}"/>`).join('')}</log>`;

describe('ByteInterner', () => {
  it('gives every value its decoded text, repeated or not', () => {
    const value = fc.stringMatching(/^[a-c é€😀\t]{0,4}$/).chain((plain) => fc.constantFrom(plain, `${plain}&amp;`, `&#233;${plain}`, `${plain}\r\n`));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), (values) => {
        const { interned, decoded } = internedAndDecoded(documentOf(values));
        expect(interned).toEqual(decoded);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps values apart past many distinct ones (the table and its byte pool grow)', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `activity ${i % 7_000} ${'x'.repeat(i % 5)}`);
    const { interned, decoded } = internedAndDecoded(documentOf(values));
    expect(interned).toEqual(decoded);
  });
});

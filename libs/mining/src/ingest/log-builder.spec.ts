import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ByteInterner } from './byte-interner.js';
import { ABSENT_KEY, EventLogBuilder } from './log-builder.js';

const NOW = new Date('2024-06-01T00:00:00Z');
const builder = (): EventLogBuilder => new EventLogBuilder({ hasStartTimestamps: true, now: NOW });

/** Fields as a CSV reader hands them over: text, or absent (a short row, an unmapped column). */
const field = (values: readonly string[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
const record = fc.record({
  caseId: field(['c1', ' c1', 'c1 ', 'c2', '', '  ', 'é', '\u00a0', 'case-with-a-long-identifier']),
  activity: field(['A', ' A', 'B', '', ' ', 'Prüfen']),
  timestamp: field(['2024-01-01T10:00:00Z', '2024-01-01 09:00', '', ' ', 'bad', '2024-01-01']),
  resource: field(['r1', ' r1', '', 'r2', ' ']),
  start: field(['2024-01-01T08:00:00Z', '', 'bad']),
  lifecycle: field(['start', 'complete', ' complete', '', 'START']),
  extra: field(['x', '', 'y']),
});

describe('EventLogBuilder.addKeyedRecord', () => {
  it('builds the same log as addRecord with the keys\' texts, invalid and padded values included', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), (records) => {
        const byText = builder();
        const byKey = builder();
        const interners = { cases: new ByteInterner(), activities: new ByteInterner(), resources: new ByteInterner(), lifecycles: new ByteInterner() };
        byKey.useKeyedValues(interners);
        for (const builtBy of [byText, byKey]) builtBy.extraColumn('note');
        const keyOf = (interner: ByteInterner, text: string | undefined): number => {
          if (text === undefined) return ABSENT_KEY;
          const bytes = Buffer.from(text, 'utf8');
          interner.lookup(bytes, 0, bytes.length) ?? interner.remember(text);
          return interner.entry;
        };
        for (const r of records) {
          byText.addRecord(r.caseId, r.activity, r.timestamp, r.resource, r.start, [r.extra], r.lifecycle);
          byKey.addKeyedRecord(
            keyOf(interners.cases, r.caseId), keyOf(interners.activities, r.activity), r.timestamp,
            keyOf(interners.resources, r.resource), r.start, [r.extra], keyOf(interners.lifecycles, r.lifecycle),
          );
        }
        expect(byKey.build()).toEqual(byText.build());
      }),
      { numRuns: 500 },
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ANOMALY_FLAG, type AnomalyKind, type CaseEnrichment } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import { csvField, formatSeconds, IsoTimestampFormatter, writeEnrichedCsv, writeSeconds } from './enriched-csv.js';
import { executeJob } from './index.js';
import type { EnrichmentName } from './validate-parameters.js';

describe('enriched CSV cell formatting', () => {
  it('formats timestamps exactly like Date#toISOString, across days and edge values', () => {
    const formatter = new IsoTimestampFormatter();
    const samples = [0, -1, 86_399_999, 86_400_000, Date.UTC(2010, 11, 30, 13, 32), Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2099, 1, 28, 23, 59, 59, 999)];
    let state = 7;
    for (let i = 0; i < 5_000; i++) {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      samples.push(Date.UTC(2000, 0, 1) + state * 400 + (i % 3) * 86_400_000);
    }
    for (const ms of samples) expect(formatter.format(ms)).toBe(new Date(ms).toISOString());
    expect(formatter.format(Number.NaN)).toBe('');
  });

  it('formats any timestamp Date can hold exactly like Date#toISOString, expanded years too', () => {
    const formatter = new IsoTimestampFormatter();
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => formatter.format(ms) === new Date(ms).toISOString()), { numRuns: 20_000 });
  });

  it('prints seconds with at most millisecond precision and no float noise', () => {
    expect(formatSeconds(0)).toBe('0');
    expect(formatSeconds(12)).toBe('12');
    expect(formatSeconds(0.1 + 0.2)).toBe('0.3');
    expect(formatSeconds(1.2345)).toBe('1.235');
    expect(formatSeconds(-90.5)).toBe('-90.5');
    expect(formatSeconds(3_600.05)).toBe('3600.05');
    expect(formatSeconds(Number.NaN)).toBe('');
  });

  it('writes seconds as bytes exactly as formatSeconds prints them', () => {
    const scratch = Buffer.alloc(64);
    const written = (value: number): string => scratch.toString('latin1', 0, writeSeconds(scratch, 0, value));
    const seconds = fc.oneof(
      fc.double({ min: -1e300, max: 1e300 }),
      fc.integer({ min: -1e12, max: 1e12 }).map((ms) => ms / 1000),
      fc.constantFrom(0, -0, 0.0004, -0.0004, 0.05, 0.005, 9_007_199_254_740.991, 9_007_199_254_740.993, Number.NaN, Infinity),
    );
    fc.assert(fc.property(seconds, (value) => written(value) === formatSeconds(value)), { numRuns: 20_000 });
  });
});

describe('enriched CSV against formula injection', () => {
  it('neutralises every OWASP trigger with a leading quote inside a quoted field', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+cmd|calc')).toBe(`"'+cmd|calc"`);
    expect(csvField('-2+3+cmd|calc')).toBe(`"'-2+3+cmd|calc"`);
    expect(csvField('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvField('\t=1+1')).toBe(`"'\t=1+1"`);
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
  });

  it('leaves plain numbers (negative too) and ordinary text as they were', () => {
    for (const value of ['-12.5', '+3', '-0.5e3', '-.5', '42', 'register request', 'a=b', 'x-1']) expect(csvField(value)).toBe(value);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it('writes no injectable cell for a log whose ids, names, resources, extra columns and headers carry formulas', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'enriched-injection-'));
    try {
      const dataset = path.join(root, 'log.csv');
      await writeFile(dataset, [
        'case:concept:name,concept:name,time:timestamp,org:resource,Costs,=cmd',
        '=1+1,@SUM(A1),2024-01-01T10:00:00Z,+Pete,-50,-2+3',
        '=1+1,decide,2024-01-01T11:00:00Z,Sara,200,ok',
      ].join('\n'));
      const outputDir = await mkdtemp(path.join(root, 'out-'));
      const result = await executeJob({
        jobType: 'DataEnrichment',
        parameters: { datasetId: '880e8400-e29b-41d4-a716-446655440000', enrichments: ['caseDuration', 'timeSincePrevious'] },
        dataset: { path: dataset, format: 'csv' },
        outputDir,
        title: 'Injection',
      }, () => undefined);
      const lines = (await readFile(path.join(outputDir, result.artifacts[0]!.fileName), 'utf8')).trimEnd().split('\n');
      expect(lines[0]).toContain(`"'=cmd"`);
      expect(lines[1]).toMatch(/^"'=1\+1","'@SUM\(A1\)",2024-01-01T10:00:00\.000Z,"'\+Pete",-50,"'-2\+3",/);
      // No cell begins with a trigger unless it is a plain number.
      for (const line of lines) {
        for (const cell of line.match(/"(?:[^"]|"")*"|[^,]+/g)!) {
          const text = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
          if (/^[=+\-@\t\r]/.test(text)) expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        }
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

const ALL_ENRICHMENTS: readonly EnrichmentName[] = ['caseDuration', 'variant', 'rework', 'anomalies', 'timeSincePrevious'];
const ANOMALY_KINDS = Object.keys(ANOMALY_FLAG) as AnomalyKind[];

/**
 * The enriched CSV as one string, row by row with Date#toISOString and csvField on every
 * cell: the straightforward rendering the byte-encoding writer must reproduce exactly.
 */
function referenceEnrichedCsv(log: EventLog, perCase: CaseEnrichment, enrichments: ReadonlySet<EnrichmentName>): string {
  const hasResource = log.eventResource.some((r) => r >= 0);
  const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');
  const columns = ['case:concept:name', 'concept:name', 'time:timestamp', ...(hasResource ? ['org:resource'] : []), ...(log.eventStart ? ['start_timestamp'] : [])];
  const added = [
    ...(enrichments.has('caseDuration') ? ['case_duration_seconds'] : []), ...(enrichments.has('variant') ? ['variant_id'] : []),
    ...(enrichments.has('rework') ? ['rework_flag'] : []),
    ...(enrichments.has('anomalies') ? ['anomaly_flag', ...ANOMALY_KINDS.map((kind) => `anomaly_${kind}`)] : []),
    ...(enrichments.has('timeSincePrevious') ? ['seconds_since_previous_event'] : []),
  ];
  const taken = new Set([...columns, ...added]);
  for (const column of log.extraColumns) {
    let name = column.name;
    while (taken.has(name)) name = `source_${name}`;
    taken.add(name);
    columns.push(name);
  }
  let text = [...columns, ...added].map(csvField).join(',') + '\n';
  for (let i = 0; i < log.eventCount; i++) {
    const c = log.eventCase[i]!;
    const cells = [csvField(log.caseIds[c]!), csvField(log.activities[log.eventActivity[i]!]!), iso(log.eventTimestamp[i]!)];
    if (hasResource) cells.push(log.eventResource[i]! >= 0 ? csvField(log.resources[log.eventResource[i]!]!) : '');
    if (log.eventStart) cells.push(iso(log.eventStart[i]!));
    for (const column of log.extraColumns) cells.push(column.values[i] == null ? '' : csvField(column.values[i]!));
    if (enrichments.has('caseDuration')) cells.push(formatSeconds(perCase.caseDurationSeconds[c]!));
    if (enrichments.has('variant')) cells.push(perCase.variantIds[c]!);
    if (enrichments.has('rework')) cells.push(String(perCase.caseRework[c]));
    if (enrichments.has('anomalies')) {
      const flags = perCase.caseAnomalyFlags[c]!;
      cells.push(flags === 0 ? '0' : '1', ...ANOMALY_KINDS.map((kind) => ((flags & ANOMALY_FLAG[kind]) !== 0 ? '1' : '0')));
    }
    if (enrichments.has('timeSincePrevious')) cells.push(formatSeconds(perCase.eventSecondsSincePrevious[i]!));
    text += cells.join(',') + '\n';
  }
  return text;
}

/** Text with what a CSV cell must quote or neutralise: formula triggers, quotes, separators, non-ASCII, lone surrogates. */
const cellText = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', '1', '.', 'e', 'é', '😀', '\ud800', ' '), maxLength: 8 }),
  fc.double({ noNaN: true }).map(String),
);

interface GeneratedLog { log: EventLog; perCase: CaseEnrichment }

const generatedLog: fc.Arbitrary<GeneratedLog> = fc.record({
  caseIds: fc.uniqueArray(cellText, { minLength: 1, maxLength: 5 }),
  activities: fc.uniqueArray(cellText, { minLength: 1, maxLength: 4 }),
  resources: fc.uniqueArray(cellText, { maxLength: 3 }),
  extraNames: fc.array(fc.oneof(cellText, fc.constantFrom('variant_id', 'org:resource', 'source_variant_id')), { maxLength: 3 }),
  withStart: fc.boolean(),
  eventCount: fc.integer({ min: 0, max: 30 }),
  seed: fc.array(fc.integer({ min: 0, max: 1 << 30 }), { minLength: 200, maxLength: 200 }),
  times: fc.array(fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 1.2e12, max: 1.3e12 }), fc.constant(Number.NaN)), { minLength: 60, maxLength: 60 }),
  values: fc.array(fc.option(cellText, { nil: null }), { minLength: 90, maxLength: 90 }),
  seconds: fc.array(fc.oneof(fc.double({ min: -1e12, max: 1e12 }), fc.integer({ min: -1e6, max: 1e6 }).map((ms) => ms / 1000)), { minLength: 40, maxLength: 40 }),
}).map(({ caseIds, activities, resources, extraNames, withStart, eventCount, seed, times, values, seconds }) => {
  const pick = (i: number, n: number): number => seed[i % seed.length]! % n;
  const caseCount = caseIds.length;
  const log: EventLog = {
    eventCount, caseCount, caseIds, activities, resources,
    eventCase: Uint32Array.from({ length: eventCount }, (_, i) => pick(i, caseCount)),
    eventActivity: Uint32Array.from({ length: eventCount }, (_, i) => pick(i + 50, activities.length)),
    eventResource: Int32Array.from({ length: eventCount }, (_, i) => (resources.length === 0 ? -1 : pick(i + 100, resources.length + 1) - 1)),
    eventTimestamp: Float64Array.from({ length: eventCount }, (_, i) => times[i % times.length]!),
    eventStart: withStart ? Float64Array.from({ length: eventCount }, (_, i) => times[(i + 7) % times.length]!) : null,
    eventRow: Uint32Array.from({ length: eventCount }, (_, i) => i),
    caseOffsets: new Uint32Array(caseCount + 1),
    extraColumns: extraNames.map((name, k) => ({ name, values: Array.from({ length: eventCount }, (_, i) => values[(i * 3 + k) % values.length]!) })),
  };
  const perCase: CaseEnrichment = {
    caseDurationSeconds: Float64Array.from({ length: caseCount }, (_, c) => seconds[c % seconds.length]!),
    caseVariantIndex: new Uint32Array(caseCount),
    variantIds: caseIds.map((_, c) => `V${c + 1}`),
    caseRework: Uint8Array.from({ length: caseCount }, (_, c) => pick(c + 150, 2)),
    caseAnomalyFlags: Uint8Array.from({ length: caseCount }, (_, c) => pick(c + 170, 64)),
    eventSecondsSincePrevious: Float64Array.from({ length: eventCount }, (_, i) => (i % 5 === 0 ? Number.NaN : seconds[(i + 3) % seconds.length]!)),
  };
  return { log, perCase };
});

describe('enriched CSV written as bytes', () => {
  const withFolder = async (use: (folder: string) => Promise<void>): Promise<void> => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'enriched-bytes-'));
    try {
      await use(folder);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };

  it('is byte for byte the row-by-row rendering on generated logs', async () => {
    await withFolder(async (folder) => {
      let run = 0;
      await fc.assert(fc.asyncProperty(generatedLog, fc.subarray([...ALL_ENRICHMENTS]), async ({ log, perCase }, chosen) => {
        const enrichments = new Set(chosen);
        const file = path.join(folder, `run-${run++}.csv`);
        await writeEnrichedCsv(file, log, perCase, enrichments);
        expect((await readFile(file)).equals(Buffer.from(referenceEnrichedCsv(log, perCase, enrichments)))).toBe(true);
      }), { numRuns: 300 });
    });
  });

  it('is the same across buffer flushes and for a row larger than the buffer', async () => {
    await withFolder(async (folder) => {
      const { log, perCase } = fc.sample(generatedLog.filter((g) => g.log.extraColumns.length > 0 && g.log.eventCount > 0), { numRuns: 1, seed: 42 })[0]!;
      const eventCount = 120_000; // well past one 4 MB block
      const huge = `"${'x,'.repeat(1_500_000)}é`; // one cell whose bound alone is past the block
      const big: EventLog = {
        ...log,
        eventCount,
        eventCase: Uint32Array.from({ length: eventCount }, (_, i) => log.eventCase[i % log.eventCount]!),
        eventActivity: Uint32Array.from({ length: eventCount }, (_, i) => log.eventActivity[i % log.eventCount]!),
        eventResource: Int32Array.from({ length: eventCount }, (_, i) => log.eventResource[i % log.eventCount]!),
        eventTimestamp: Float64Array.from({ length: eventCount }, (_, i) => 1.25e12 + i * 61_001),
        eventStart: null,
        eventRow: Uint32Array.from({ length: eventCount }, (_, i) => i),
        extraColumns: log.extraColumns.map((column, k) => ({
          name: column.name,
          values: Array.from({ length: eventCount }, (_, i) => (k === 0 && i === 70_000 ? huge : column.values[i % log.eventCount]!)),
        })),
      };
      const bigPerCase = { ...perCase, eventSecondsSincePrevious: Float64Array.from({ length: eventCount }, (_, i) => i / 7) };
      const enrichments = new Set(ALL_ENRICHMENTS);
      const file = path.join(folder, 'big.csv');
      await writeEnrichedCsv(file, big, bigPerCase, enrichments);
      expect((await readFile(file)).equals(Buffer.from(referenceEnrichedCsv(big, bigPerCase, enrichments)))).toBe(true);
    });
  });
});

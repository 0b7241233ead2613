import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ingestEventLog } from '../ingest/index.js';
import type { EventLog } from '../event-log.js';
import { processTreeSize, processTreeToPetriNet, processTreeToString, checkSoundness, type ProcessTree } from '../models/index.js';
import { runningExampleLog } from '../testing/running-example.js';
import { mineProcessTree, variantLogFromSequences, variantLogOf } from './index.js';
import { DfgsWithoutOneActivity, dfgOf, directlyFollowsCounts, type Dfg } from './inductive-miner.js';
import type { VariantLog } from './variant-log.js';
import { BPIC_2012_XES_GZ } from '../../../../test/support/fixtures.js';
import { ExactReplayer } from '../../../../test/support/petri-net-replay.js';

function mine(traces: readonly string[][], noiseThreshold = 0): ProcessTree {
  const { variants, activities } = variantLogFromSequences(traces.map((activities) => ({ activities, count: 1 })));
  return mineProcessTree(variants, activities, { noiseThreshold });
}

function mineLog(log: EventLog, noiseThreshold = 0): ProcessTree {
  const { variants, activities } = variantLogOf(log);
  return mineProcessTree(variants, activities, { noiseThreshold });
}

/** Every distinct trace of the log, as activity names. */
function tracesOf(log: EventLog): string[][] {
  const { variants, activities } = variantLogOf(log);
  return variants.traces.map((trace) => trace.map((a) => activities[a]!));
}

const text = (traces: readonly string[][], noiseThreshold = 0): string => processTreeToString(mine(traces, noiseThreshold));

describe('Inductive Miner: the cuts on small logs', () => {
  it('mines a log that is one sequence as that sequence', () => {
    expect(text([['a', 'b', 'c', 'd']])).toBe("->( 'a', 'b', 'c', 'd' )");
    expect(mine([['a', 'b', 'c']])).toEqual({
      kind: 'operator',
      operator: 'sequence',
      children: [{ kind: 'activity', label: 'a' }, { kind: 'activity', label: 'b' }, { kind: 'activity', label: 'c' }],
    });
  });

  it('finds a parallel operator for interleavings', () => {
    expect(text([['a', 'b', 'c', 'd'], ['a', 'c', 'b', 'd']])).toBe("->( 'a', +( 'b', 'c' ), 'd' )");
  });

  it('finds a loop for repetitions', () => {
    expect(text([['a', 'b'], ['a', 'b', 'c', 'a', 'b'], ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b']])).toBe("*( ->( 'a', 'b' ), 'c' )");
  });

  it('finds an exclusive choice, and a skip for an optional activity', () => {
    expect(text([['a', 'b', 'd'], ['a', 'c', 'd']])).toBe("->( 'a', X( 'b', 'c' ), 'd' )");
    expect(text([['a', 'b', 'c'], ['a', 'c']])).toBe("->( 'a', X( tau, 'b' ), 'c' )");
  });

  it('keeps parts that are skipped together in one block (strict sequence cut)', () => {
    // b and c are skipped together: one optional block, not two independent optional steps.
    expect(text([['a', 'b', 'c', 'd'], ['a', 'd']])).toBe("->( 'a', X( tau, ->( 'b', 'c' ) ), 'd' )");
  });

  it('keeps an empty trace as a choice with tau', () => {
    expect(text([[], ['a']])).toBe("X( tau, 'a' )");
    expect(text([[]])).toBe('tau');
  });

  it('gives the same tree however the activities are numbered', () => {
    const traces = [['a', 'b', 'd'], ['a', 'c', 'd'], ['e', 'c', 'b', 'd']];
    expect(mine([...traces].reverse())).toEqual(mine(traces));
    expect(mineLog(runningExampleLog())).toEqual(mine(tracesOf(runningExampleLog()).reverse()));
  });

  it('rediscovers the running example model of van der Aalst\'s book', () => {
    expect(processTreeToString(mineLog(runningExampleLog()))).toBe(
      "->( 'register request', *( ->( +( 'check ticket', X( 'examine casually', 'examine thoroughly' ) ), 'decide' ), 'reinitiate request' ), X( 'pay compensation', 'reject request' ) )",
    );
  });
});

describe('IMf', () => {
  it('drops an infrequent deviation that leaves IM without a cut', () => {
    // One case in 21 runs c then a: IM finds no cut and falls through; IMf drops the edge c→a.
    const traces = [...Array.from({ length: 20 }, () => ['a', 'b', 'c']), ['c', 'a']];
    const im = mine(traces);
    expect(processTreeToString(im)).not.toBe("->( 'a', 'b', 'c' )");
    const replayer = new ExactReplayer(processTreeToPetriNet(im));
    expect(traces.every((trace) => replayer.fits(trace))).toBe(true);
    expect(text(traces, 0.2)).toBe("->( 'a', 'b', 'c' )");
  });

  it('keeps behaviour IM already explains with a cut, whatever the threshold', () => {
    // As Leemans' IMf: the filter is only used where the full graph has no cut.
    const traces = [...Array.from({ length: 20 }, () => ['a', 'b', 'c']), ['a', 'c', 'b']];
    expect(text(traces, 0.2)).toBe("->( 'a', +( 'b', 'c' ) )");
  });

  it('with noise threshold 0 equals IM on the running example', () => {
    expect(mineLog(runningExampleLog(), 0)).toEqual(mineLog(runningExampleLog()));
  });

  it('rejects a threshold outside [0, 1]', () => {
    expect(() => mine([['a']], 1.5)).toThrow(RangeError);
  });
});

describe('IM guarantees on the running example and BPI Challenge 2012', () => {
  let bpic: EventLog;
  beforeAll(async () => {
    bpic = (await ingestEventLog({ path: BPIC_2012_XES_GZ, format: 'xes.gz' })).log;
  });

  it('yields a sound workflow net on both logs', () => {
    for (const log of [runningExampleLog(), bpic]) {
      const report = checkSoundness(processTreeToPetriNet(mineLog(log)));
      expect(report).toMatchObject({ workflowNet: true, sound: true, stateCapReached: false, problems: [] });
      expect(report.reachableMarkings).toBeGreaterThan(1);
    }
  });

  it('replays every trace of the log on the discovered net (perfect fitness)', () => {
    for (const log of [runningExampleLog(), bpic]) {
      const replayer = new ExactReplayer(processTreeToPetriNet(mineLog(log)));
      const traces = tracesOf(log);
      const misfits = traces.filter((trace) => !replayer.fits(trace));
      expect({ traces: traces.length, misfits: misfits.length }).toEqual({ traces: traces.length, misfits: 0 });
    }
  });

  it('the replay check rejects traces the model does not allow', () => {
    const replayer = new ExactReplayer(processTreeToPetriNet(mineLog(runningExampleLog())));
    expect(replayer.fits(['register request', 'decide'])).toBe(false);
    expect(replayer.fits(['register request', 'check ticket', 'examine casually', 'decide'])).toBe(false);
    expect(replayer.fits(['register request', 'examine casually', 'check ticket', 'decide', 'pay compensation'])).toBe(true);
  });

  it('IMf with noise threshold 0 equals IM on BPIC 2012', () => {
    expect(mineLog(bpic, 0)).toEqual(mineLog(bpic));
  });

  it('a higher noise threshold gives a simpler tree on BPIC 2012, still sound', () => {
    const sizes = [0, 0.2, 0.5].map((threshold) => processTreeSize(mineLog(bpic, threshold)).nodes);
    expect(sizes[1]).toBeLessThan(sizes[0]!);
    expect(sizes[2]).toBeLessThanOrEqual(sizes[1]!);
    expect(checkSoundness(processTreeToPetriNet(mineLog(bpic, 0.2))).sound).toBe(true);
  });
});

describe('Inductive Miner: the activity-concurrent fall-through', () => {
  /** Entries of a DFG's maps in their order, so equal DFGs compare equal however they were built. */
  const dfgEntries = (dfg: Dfg) => ({
    activities: dfg.activities,
    edges: [...dfg.edges].map(([from, out]) => [from, [...out]]),
    start: [...dfg.start],
    end: [...dfg.end],
  });

  it('derives each DFG without one activity from the counts as a scan of the log without it gives', () => {
    const alphabetSize = 6;
    const traces = fc.array(fc.record({ trace: fc.array(fc.integer({ min: 0, max: alphabetSize - 1 }), { maxLength: 10 }), count: fc.integer({ min: 1, max: 1000 }) }), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(traces, (variants) => {
      const log: VariantLog = { traces: variants.map((v) => v.trace), counts: variants.map((v) => v.count) };
      const counts = directlyFollowsCounts(log, alphabetSize);
      const withoutOne = new DfgsWithoutOneActivity(log, alphabetSize, counts);
      for (const activity of counts.activities) {
        const rescanned = dfgOf(directlyFollowsCounts({ traces: log.traces.map((trace) => trace.filter((a) => a !== activity)), counts: log.counts }, alphabetSize));
        expect(dfgEntries(withoutOne.without(activity))).toEqual(dfgEntries(rescanned));
      }
    }), { numRuns: 2_000 });
  });
});

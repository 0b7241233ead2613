import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  MAX_CATCH_UP_FIRINGS, MISFIRE_GRACE_MS, cronProblem, decideSchedule, evolveSchedule, fireTimesAfter, fireTimesAtOrBefore,
  foldSchedule, isIanaTimeZone, nextDueFireTime, nextFiringStep, scheduledJobId, upcomingFireTimes,
  type ScheduleDefinition, type ScheduleEvent, type ScheduleState,
} from './index.js';

const CREATED_AT = '2026-01-05T10:00:00.000Z';

function definition(overrides: Partial<ScheduleDefinition> = {}): ScheduleDefinition {
  return {
    name: 'nightly', cron: null, intervalSeconds: 60, timeZone: 'UTC', jobTemplate: { jobName: 'x' },
    overlapPolicy: 'queue', catchUp: 'none', ...overrides,
  };
}

function created(def: ScheduleDefinition, at = CREATED_AT): ScheduleState {
  const events = decideSchedule({ kind: 'CreateSchedule', scheduleId: 's1', tenantId: 't', projectId: 'p', definition: def, by: 'alice', at }, null);
  return foldSchedule(events)!;
}

function apply(state: ScheduleState, events: readonly ScheduleEvent[]): ScheduleState {
  return events.reduce((s, e) => evolveSchedule(s, e, s.revision + 1), state);
}

/** Runs the firer's loop on pure state: every step recorded as the firer would (a fire as fired with its derived job). */
function runSteps(state: ScheduleState, now: Date): { state: ScheduleState; steps: ReturnType<typeof nextFiringStep>[] } {
  const steps: ReturnType<typeof nextFiringStep>[] = [];
  for (let step = nextFiringStep(state, now); step; step = nextFiringStep(state, now)) {
    steps.push(step);
    const at = now.toISOString();
    const events = step.kind === 'fire'
      ? decideSchedule({ kind: 'RecordFiring', fireTime: step.fireTime, jobId: scheduledJobId('s1', step.fireTime), cancelledJobId: null, at }, state)
      : decideSchedule({ kind: 'RecordSkippedFiring', fireTime: step.fireTime, reason: step.reason, missedCount: step.missedCount, at }, state);
    expect(events).toHaveLength(1);
    state = apply(state, events);
  }
  return { state, steps };
}

describe('schedule decide and evolve', () => {
  it('creates, changes, pauses, resumes and deletes; pause and resume twice are no-ops', () => {
    let s = created(definition());
    expect(s).toMatchObject({ scheduleId: 's1', paused: false, deleted: false, cursor: CREATED_AT, revision: 0 });
    s = apply(s, decideSchedule({ kind: 'PauseSchedule', by: 'bob', at: '2026-01-05T10:05:00.000Z' }, s));
    expect(s.paused).toBe(true);
    expect(decideSchedule({ kind: 'PauseSchedule', by: 'bob', at: '2026-01-05T10:06:00.000Z' }, s)).toEqual([]);
    expect(nextFiringStep(s, new Date('2026-01-05T11:00:00.000Z'))).toBeNull();
    expect(upcomingFireTimes(s, new Date())).toEqual([]);
    s = apply(s, decideSchedule({ kind: 'ResumeSchedule', by: 'bob', at: '2026-01-05T10:30:00.000Z' }, s));
    // Nothing is owed for the pause: the cursor moved to the resume.
    expect(s.cursor).toBe('2026-01-05T10:30:00.000Z');
    expect(decideSchedule({ kind: 'ResumeSchedule', by: 'bob', at: '2026-01-05T10:31:00.000Z' }, s)).toEqual([]);
    s = apply(s, decideSchedule({ kind: 'ChangeSchedule', definition: definition({ intervalSeconds: 3600 }), by: 'bob', at: '2026-01-05T10:40:00.000Z' }, s));
    expect(upcomingFireTimes(s, new Date('2026-01-05T10:40:00.000Z'), 2).map((d) => d.toISOString()))
      .toEqual(['2026-01-05T11:40:00.000Z', '2026-01-05T12:40:00.000Z']);
    s = apply(s, decideSchedule({ kind: 'DeleteSchedule', by: 'bob', at: '2026-01-05T10:50:00.000Z' }, s));
    expect(s.deleted).toBe(true);
    expect(nextDueFireTime(s)).toBeNull();
    expect(() => decideSchedule({ kind: 'ChangeSchedule', definition: definition(), by: 'bob', at: CREATED_AT }, s)).toThrow('not found');
  });

  it('records a fire time once: the same firing again, or an older one, is a no-op', () => {
    const s0 = created(definition());
    const fireTime = '2026-01-05T10:01:00.000Z';
    const jobId = scheduledJobId('s1', fireTime);
    const s1 = apply(s0, decideSchedule({ kind: 'RecordFiring', fireTime, jobId, cancelledJobId: null, at: fireTime }, s0));
    expect(s1).toMatchObject({ lastFiredAt: fireTime, lastJobId: jobId, cursor: fireTime });
    expect(s1.recentFirings[0]).toMatchObject({ fireTime, jobId, skippedReason: null });
    expect(decideSchedule({ kind: 'RecordFiring', fireTime, jobId, cancelledJobId: null, at: fireTime }, s1)).toEqual([]);
    expect(decideSchedule({ kind: 'RecordSkippedFiring', fireTime, reason: 'x', missedCount: 1, at: fireTime }, s1)).toEqual([]);
  });
});

describe('fire times', () => {
  it('accepts 5 and 6 field cron expressions and refuses others with a reason', () => {
    expect(cronProblem('0 6 * * 1-5', 'UTC')).toBeNull();
    expect(cronProblem('*/10 * * * * *', 'UTC')).toBeNull();
    expect(cronProblem('* * * *', 'UTC')).toMatch(/5 or 6 fields/);
    expect(cronProblem('0 0 0 * * * *', 'UTC')).toMatch(/5 or 6 fields/);
    expect(cronProblem('61 * * * *', 'UTC')).toMatch(/not a valid expression/);
    expect(isIanaTimeZone('Europe/Berlin')).toBe(true);
    expect(isIanaTimeZone('Mars/Olympus')).toBe(false);
  });

  it('follows the zone across the spring daylight-saving change (02:30 does not exist in Berlin on 29 March 2026)', () => {
    const timing = { cron: '30 2 * * *', intervalSeconds: null, timeZone: 'Europe/Berlin' };
    const times = fireTimesAfter(timing, CREATED_AT, new Date('2026-03-28T00:00:00Z'), 3).map((d) => d.toISOString());
    // 02:30 CET = 01:30Z; on the 29th croner fires at the first valid time after the gap (03:00 CEST = 01:00Z); then 02:30 CEST = 00:30Z.
    expect(times).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('gives strictly increasing fire times, and the latest ones before a time agree with them (property)', () => {
    fc.assert(fc.property(
      fc.oneof(
        fc.integer({ min: 1, max: 7200 }).map((intervalSeconds) => ({ cron: null, intervalSeconds, timeZone: 'UTC' })),
        fc.constantFrom('*/7 * * * *', '0 */3 * * *', '15 9 * * 1-5', '*/20 * * * * *').map((cron) => ({ cron, intervalSeconds: null, timeZone: 'America/New_York' })),
      ),
      fc.integer({ min: 0, max: 30 * 24 * 3600 * 1000 }),
      (timing, offsetMs) => {
        const after = new Date(Date.parse(CREATED_AT) + offsetMs);
        const times = fireTimesAfter(timing, CREATED_AT, after, 6);
        expect(times[0].getTime()).toBeGreaterThan(after.getTime());
        for (let i = 1; i < times.length; i += 1) expect(times[i].getTime()).toBeGreaterThan(times[i - 1].getTime());
        const back = fireTimesAtOrBefore(timing, CREATED_AT, times[5], 5).map((d) => d.getTime()).reverse();
        expect(back).toEqual(times.slice(1).map((d) => d.getTime()));
      },
    ), { numRuns: 60 });
  });
});

describe('firing steps', () => {
  const every10s = (catchUp: ScheduleDefinition['catchUp']) => created(definition({ intervalSeconds: 10, catchUp }));
  const later = (ms: number) => new Date(Date.parse(CREATED_AT) + ms);

  it('fires each due time once, in order, and then nothing (property: any sequence of looks)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 25_000 }), { minLength: 1, maxLength: 8 }), (gaps) => {
      let state = every10s('all');
      let clock = Date.parse(CREATED_AT);
      const fired: string[] = [];
      for (const gap of gaps) {
        clock += gap;
        const result = runSteps(state, new Date(clock));
        state = result.state;
        fired.push(...result.steps.filter((s) => s!.kind === 'fire').map((s) => s!.fireTime));
        expect(nextFiringStep(state, new Date(clock))).toBeNull();
      }
      const expected = Math.floor((clock - Date.parse(CREATED_AT)) / 10_000);
      expect(fired).toHaveLength(expected);
      expect(new Set(fired).size).toBe(fired.length);
      expect([...fired].sort()).toEqual(fired);
    }), { numRuns: 50 });
  });

  it('catchUp none skips missed times in one record and fires only on time', () => {
    const { state, steps } = runSteps(every10s('none'), later(95_000));
    expect(steps).toEqual([{ kind: 'skipMissed', fireTime: later(60_000).toISOString(), missedCount: 6, reason: expect.stringContaining('none') }, { kind: 'fire', fireTime: later(70_000).toISOString() }, { kind: 'fire', fireTime: later(80_000).toISOString() }, { kind: 'fire', fireTime: later(90_000).toISOString() }]);
    expect(MISFIRE_GRACE_MS).toBe(30_000);
    expect(state.lastFiredAt).toBe(later(90_000).toISOString());
  });

  it('catchUp one fires once for the missed times', () => {
    const { steps } = runSteps(every10s('one'), later(95_000));
    expect(steps).toEqual([
      { kind: 'skipMissed', fireTime: later(80_000).toISOString(), missedCount: 8, reason: expect.stringContaining('one') },
      { kind: 'fire', fireTime: later(90_000).toISOString() },
    ]);
  });

  it(`catchUp all fires every missed time up to ${MAX_CATCH_UP_FIRINGS}, recording older ones as skipped`, () => {
    const { steps } = runSteps(every10s('all'), later(10_000 * 150 + 5_000));
    expect(steps[0]).toMatchObject({ kind: 'skipMissed', fireTime: later(10_000 * 50).toISOString(), missedCount: 50 });
    expect(steps.slice(1).every((s) => s!.kind === 'fire')).toBe(true);
    expect(steps).toHaveLength(1 + MAX_CATCH_UP_FIRINGS);
  });

  it('counts missed cron fire times up to a bound, and says null beyond it', () => {
    const everySecond = created(definition({ cron: '* * * * * *', intervalSeconds: null, catchUp: 'one' }));
    expect(nextFiringStep(everySecond, later(50_200))).toMatchObject({ kind: 'skipMissed', missedCount: 49 });
    expect(nextFiringStep(everySecond, later(3_600_200))).toMatchObject({ kind: 'skipMissed', fireTime: later(3_599_000).toISOString(), missedCount: null });
  });

  it('names the same job for the same schedule and fire time, and another for another', () => {
    expect(scheduledJobId('s1', '2026-01-01T00:00:00.000Z')).toBe(scheduledJobId('s1', '2026-01-01T00:00:00.000Z'));
    expect(scheduledJobId('s1', '2026-01-01T00:00:00.000Z')).not.toBe(scheduledJobId('s1', '2026-01-01T00:00:01.000Z'));
    expect(scheduledJobId('s1', '2026-01-01T00:00:00.000Z')).not.toBe(scheduledJobId('s2', '2026-01-01T00:00:00.000Z'));
  });
});

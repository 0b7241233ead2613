import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { automaticRetryJobId, decide, type JobCommand } from './job.decide.js';
import type { JobSubmittedData } from './job.events.js';
import {
  FAILURE_CATEGORIES, MAX_POLICY_RETRY_DELAY_SECONDS, inferredFailure, isTransientIoError, policyRetryDelaySeconds, retryDelaySeconds,
} from './job-failure.js';
import { evolve, type JobState } from './job.state.js';
import { requestedRetryJobId } from './retry-failed-job.js';

const AT = '2024-01-20T10:30:00.000Z';
const submission = (maxAttempts: number | undefined, attempt = 1): JobSubmittedData => ({
  jobId: 'j1', tenantId: 't', projectId: 'p', jobName: 'n', jobDescription: null, jobType: 'Analysis',
  priority: 'Normal', resource: null, parameters: { datasetId: 'd' },
  scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 120, ...(maxAttempts === undefined ? {} : { maxAttempts }) },
  notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
  submittedBy: 'alice', submittedAt: AT, retryOf: null, attempt,
});

function run(commands: JobCommand[]): JobState {
  let state: JobState | null = null;
  let revision = -1;
  for (const command of commands) for (const event of decide(command, state)) state = evolve(state, event, ++revision, AT);
  return state!;
}
const start: JobCommand = { kind: 'StartJob', nodeId: 'n1', at: AT };
const failWith = (errorType: string, category?: keyof typeof FAILURE_CATEGORIES): JobCommand => ({
  kind: 'FailJob', nodeId: 'n1', at: AT, errorType, message: 'boom',
  ...(category ? { failure: { category, retryable: FAILURE_CATEGORIES[category] } } : {}),
});
const schedule = (delaySeconds = 10): JobCommand => ({ kind: 'ScheduleRetry', at: AT, delaySeconds });

describe('failure classification', () => {
  it('reads failures stored without a classification from their error type; an ExecutionError is not retryable', () => {
    expect(inferredFailure('Timeout')).toEqual({ category: 'Timeout', retryable: true });
    expect(inferredFailure('NodeLost')).toEqual({ category: 'NodeLost', retryable: true });
    expect(inferredFailure('InvalidInput')).toEqual({ category: 'InvalidParameters', retryable: false });
    expect(inferredFailure('ExecutionError')).toEqual({ category: 'EngineError', retryable: false });
  });

  it('tells transient I/O errors by their code', () => {
    expect(isTransientIoError(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(true);
    expect(isTransientIoError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isTransientIoError(new Error('plain'))).toBe(false);
    expect(isTransientIoError(null)).toBe(false);
  });

  it('stores the classification on JobFailed, the given one or the inferred one', () => {
    expect(run([{ kind: 'SubmitJob', submission: submission(3) }, start, failWith('ExecutionError', 'TransientIO')]).failure)
      .toMatchObject({ category: 'TransientIO', retryable: true });
    expect(run([{ kind: 'SubmitJob', submission: submission(3) }, start, failWith('InvalidInput')]).failure)
      .toMatchObject({ category: 'InvalidParameters', retryable: false });
  });
});

describe('back-off', () => {
  const policy = { baseSeconds: 2, maxSeconds: 60 };
  it('waits base × 2^(n−1) for the n-th retry, half of it fixed and half drawn, capped', () => {
    expect(retryDelaySeconds(2, policy, () => 0)).toBe(1);
    expect(retryDelaySeconds(2, policy, () => 0.999999)).toBeCloseTo(2, 4);
    expect(retryDelaySeconds(3, policy, () => 0)).toBe(2);
    expect(retryDelaySeconds(4, policy, () => 0.5)).toBe(6);
    expect(retryDelaySeconds(20, policy, () => 1)).toBe(60);
  });

  it('stays within [d/2, d] for d = min(max, base × 2^(n−1)), and below the cap never shrinks from one retry to the next, for any draw', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }),
      (attempt, a, b, baseSeconds, factor) => {
        const p = { baseSeconds, maxSeconds: baseSeconds * factor };
        const d = Math.min(p.maxSeconds, baseSeconds * 2 ** (attempt - 2));
        const delay = retryDelaySeconds(attempt, p, () => a);
        expect(delay).toBeGreaterThanOrEqual(d / 2 - 1e-9);
        expect(delay).toBeLessThanOrEqual(d + 1e-9);
        const nextUncapped = baseSeconds * 2 ** (attempt - 1);
        if (nextUncapped <= p.maxSeconds) expect(retryDelaySeconds(attempt + 1, p, () => b)).toBeGreaterThanOrEqual(delay - 1e-9);
      },
    ));
  });
});

describe('automatic retry rules', () => {
  const failed = (maxAttempts: number | undefined, failure: JobCommand, attempt = 1) =>
    run([{ kind: 'SubmitJob', submission: submission(maxAttempts, attempt) }, start, failure]);

  it('schedules a retryable failure with attempts left at `at` + delay, once', () => {
    const state = failed(3, failWith('Timeout'));
    const events = decide(schedule(12.5), state);
    expect(events).toEqual([{
      type: 'JobRetryScheduled',
      data: { scheduledAt: AT, nextRetryAt: '2024-01-20T10:30:12.500Z', attempt: 2, maxAttempts: 3, delaySeconds: 12.5 },
    }]);
    const scheduled = evolve(state, events[0], state.revision + 1, AT);
    expect(scheduled.nextRetryAt).toBe('2024-01-20T10:30:12.500Z');
    expect(decide(schedule(), scheduled)).toEqual([]);
  });

  it('dead-letters a retryable failure of the last attempt, once; maxAttempts 1 never schedules', () => {
    for (const [maxAttempts, attempt] of [[3, 3], [1, 1]] as const) {
      const state = failed(maxAttempts, failWith('NodeLost'), attempt);
      const events = decide(schedule(), state);
      expect(events.map((e) => e.type)).toEqual(['JobDeadLettered']);
      const dead = evolve(state, events[0], state.revision + 1, AT);
      expect(dead.deadLettered?.reason).toContain(`attempt ${attempt} of ${maxAttempts}`);
      expect(decide(schedule(), dead)).toEqual([]);
    }
  });

  it('neither retries nor dead-letters a failure that is not retryable, a job without maxAttempts, or one not Failed', () => {
    expect(decide(schedule(), failed(3, failWith('InvalidInput')))).toEqual([]);
    expect(decide(schedule(), failed(3, failWith('ExecutionError', 'DatasetUnreadable')))).toEqual([]);
    expect(decide(schedule(), failed(undefined, failWith('Timeout')))).toEqual([]);
    expect(decide(schedule(), run([{ kind: 'SubmitJob', submission: submission(3) }, start]))).toEqual([]);
  });

  it('a retry by request of a job with a pending automatic retry takes its id and clears the due time', () => {
    const state = failed(3, failWith('Timeout'));
    const scheduled = evolve(state, decide(schedule(), state)[0], state.revision + 1, AT);
    expect(requestedRetryJobId(scheduled)).toBe(automaticRetryJobId('j1', 2));
    expect(requestedRetryJobId(state)).not.toBe(automaticRetryJobId('j1', 2));
    const [retried] = decide({ kind: 'RetryJob', at: AT, newJobId: 'j2', reason: null, retriedBy: 'bob' }, scheduled);
    const after = evolve(scheduled, retried, scheduled.revision + 1, AT);
    expect(after).toMatchObject({ retriedBy: 'j2', nextRetryAt: null });
    expect(decide(schedule(), after)).toEqual([]);
  });

  it('refuses an automatic retry when none is scheduled', () => {
    expect(() => decide({ kind: 'RetryJob', at: AT, newJobId: 'j2', reason: null, retriedBy: 'x', automatic: true }, failed(3, failWith('Timeout'))))
      .toThrow(/no automatic retry scheduled/);
  });
});

describe("a job's own retry policy", () => {
  it('waits exactly retryDelay × backoffMultiplier^(n−1) for the n-th retry, capped at a day', () => {
    const policy = { retryDelay: 2, backoffMultiplier: 3 };
    expect(policyRetryDelaySeconds(2, policy)).toBe(2);
    expect(policyRetryDelaySeconds(3, policy)).toBe(6);
    expect(policyRetryDelaySeconds(4, policy)).toBe(18);
    expect(policyRetryDelaySeconds(10, { retryDelay: 86_400, backoffMultiplier: 10 })).toBe(MAX_POLICY_RETRY_DELAY_SECONDS);
    expect(policyRetryDelaySeconds(5, { retryDelay: 7, backoffMultiplier: 1 })).toBe(7);
  });
});

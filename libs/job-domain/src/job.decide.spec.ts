import { describe, expect, it } from '@jest/globals';
import { decide, retrySubmission, type JobCommand } from './job.decide.js';
import { JobRuleViolation } from './job.errors.js';
import { JOB_EVENT_SCHEMA_VERSIONS, type JobEvent, type JobOutcome, type JobRequeuedData, type JobSubmittedData } from './job.events.js';
import { jobEventUpcasters } from './job.upcasters.js';
import { evolve, type JobState } from './job.state.js';
import { queueScore } from './queue-order.js';

const AT = '2024-01-20T10:30:00.000Z';
const submission: JobSubmittedData = {
  jobId: 'j1', tenantId: 't', projectId: 'p', jobName: 'n', jobDescription: null, jobType: 'Analysis',
  priority: 'Normal', resource: null, parameters: { datasetId: 'd' },
  scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 120 },
  notifications: { onCompletion: true, onFailure: true, emailRecipients: [] },
  submittedBy: 'alice', submittedAt: AT, retryOf: null, attempt: 1,
};
const outcome: JobOutcome = {
  recordsProcessed: 42, totalRecords: 42, dataQualityScore: 100, dataValidation: null, warnings: [],
  processingErrors: [], artifacts: [],
  execution: { cpuTimeSeconds: 1, wallTimeSeconds: 2, peakMemoryBytes: 1000, diskIoOperations: 0, diskBytesWritten: 0 },
};

/** Runs commands through decide + evolve the way the write side does. */
function run(commands: JobCommand[]): JobState {
  let state: JobState | null = null;
  let revision = -1;
  for (const command of commands) {
    for (const event of decide(command, state)) state = evolve(state, event, ++revision, AT);
  }
  if (!state) throw new Error('no state');
  return state;
}

const submit: JobCommand = { kind: 'SubmitJob', submission };
const start: JobCommand = { kind: 'StartJob', nodeId: 'n1', at: AT };
const cancel: JobCommand = {
  kind: 'CancelJob', at: AT, request: { reason: 'r', forceTermination: false, preservePartialResults: true, requestedBy: 'alice' },
};
const fail: JobCommand = { kind: 'FailJob', nodeId: 'n1', at: AT, errorType: 'ExecutionError', message: 'boom' };

function expectViolation(fn: () => unknown, rule: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(JobRuleViolation);
    expect((error as JobRuleViolation).rule).toBe(rule);
    return;
  }
  throw new Error(`expected rule violation ${rule}`);
}

describe('job rules', () => {
  it('a submitted job is Queued at revision 0', () => {
    const s = run([submit]);
    expect(s.status).toBe('Queued');
    expect(s.revision).toBe(0);
  });

  it('cancelling a queued job cancels it at once', () => {
    const events = decide(cancel, run([submit]));
    expect(events.map((e) => e.type)).toEqual(['JobCancellationRequested', 'JobCancelled']);
    expect(run([submit, cancel]).status).toBe('Cancelled');
  });

  it('cancelling a running job asks its node, which confirms', () => {
    const s = run([submit, start, cancel]);
    expect(s.status).toBe('Running');
    expect(s.cancellation?.reason).toBe('r');
    expect(decide(cancel, s)).toEqual([]);
    const done = run([submit, start, cancel, { kind: 'ConfirmCancellation', nodeId: 'n1', at: AT, partialOutcome: null }]);
    expect(done.status).toBe('Cancelled');
  });

  it.each([
    ['Completed', [submit, start, { kind: 'CompleteJob', nodeId: 'n1', at: AT, outcome } as JobCommand]],
    ['Failed', [submit, start, fail]],
    ['Cancelled', [submit, cancel]],
  ])('cancelling a %s job is refused', (_status, history) => {
    expectViolation(() => decide(cancel, run(history as JobCommand[])), 'CannotCancel');
  });

  it('only Failed or Cancelled jobs can be retried, once', () => {
    const retry: JobCommand = { kind: 'RetryJob', at: AT, newJobId: 'j2', reason: 'again', retriedBy: 'alice' };
    expectViolation(() => decide(retry, run([submit])), 'CannotRetry');
    expectViolation(() => decide(retry, run([submit, start])), 'CannotRetry');
    const failed = run([submit, start, fail]);
    expect(decide(retry, failed)).toEqual([
      { type: 'JobRetried', data: { retriedAt: AT, newJobId: 'j2', reason: 'again', retriedBy: 'alice' } },
    ]);
    expectViolation(() => decide(retry, run([submit, start, fail, retry])), 'AlreadyRetried');
    const next = retrySubmission(failed, { newJobId: 'j2', at: AT, submittedBy: 'bob', reason: 'again', priority: 'High' });
    expect(next).toMatchObject({ jobId: 'j2', retryOf: 'j1', attempt: 2, priority: 'High', submittedBy: 'bob' });
  });

  it('a node can only report on a job it claimed', () => {
    const s = run([submit, start]);
    expectViolation(() => decide({ ...fail, nodeId: 'other' }, s), 'NotOwner');
    expectViolation(() => decide(start, s), 'NotQueued');
  });

  const requeue = (at = '2024-01-20T11:00:00.000Z'): JobCommand =>
    ({ kind: 'RequeueJob', at, nodeId: 'n1', reason: 'lease expired', nodeLost: true, maxLostAttempts: 3 });

  it('a requeued job goes back to the queue without its node, keeping its place', () => {
    const s = run([submit, start, requeue()]);
    expect(s).toMatchObject({ status: 'Queued', nodeId: null, requeueCount: 1, queuedAt: AT, claimRevision: null });
  });

  it('a job that lost its node maxLostAttempts times fails (NodeLost) instead of going back again', () => {
    const twice = run([submit, start, requeue(), start, requeue()]);
    expect(twice).toMatchObject({ status: 'Queued', requeueCount: 2 });
    const third = run([submit, start, requeue(), start, requeue(), start, requeue()]);
    expect(third.status).toBe('Failed');
    expect(third.failure).toEqual({ errorType: 'NodeLost', message: expect.stringContaining('lost its node 3 times'), category: 'NodeLost', retryable: true });
  });

  it('a job handed back on purpose (its node shutting down) is requeued however often, without using up lost attempts', () => {
    const handback: JobCommand = { kind: 'RequeueJob', at: AT, nodeId: 'n1', reason: 'node shut down', nodeLost: false, maxLostAttempts: 3 };
    const s = run([submit, start, handback, start, handback, start, handback, start, requeue(), start, requeue()]);
    expect(s).toMatchObject({ status: 'Queued', requeueCount: 5, lostAttempts: 2 });
    expect(run([submit, start, handback, start, requeue(), start, requeue(), start, requeue()]).failure?.errorType).toBe('NodeLost');
  });

  it('a JobRequeued stored at version 1, before handbacks were told apart, is upcast to a lost attempt', () => {
    const queued = run([submit, start]);
    const stored = {
      eventId: '00000000-0000-4000-8000-000000000001', type: 'JobRequeued', schemaVersion: 1,
      data: { requeuedAt: AT, previousNodeId: 'n1', reason: 'lease expired' },
      metadata: { tenantId: 't', projectId: 'p', actor: 'supervisor', correlationId: 'c', causationId: 'c', occurredAt: AT },
      streamId: 'job-1', revision: 2n, position: { commit: 1n, prepare: 1n }, recordedAt: AT,
    };
    const current = jobEventUpcasters.upcast(stored);
    expect(current).toMatchObject({ schemaVersion: JOB_EVENT_SCHEMA_VERSIONS.JobRequeued, data: { nodeLost: true, reason: 'lease expired' } });
    const old = evolve(queued, { type: 'JobRequeued', data: current.data as JobRequeuedData }, 2, AT);
    expect(old).toMatchObject({ status: 'Queued', requeueCount: 1, lostAttempts: 1 });
    // A version 2 event is read as stored.
    expect(jobEventUpcasters.upcast({ ...current, data: { ...(current.data as object), nodeLost: false } })).toMatchObject({ data: { nodeLost: false } });
  });

  describe('a pending cancellation wins over every other ending', () => {
    const cancelKeeping = (preservePartialResults: boolean): JobCommand => ({
      kind: 'CancelJob', at: AT, request: { reason: 'r', forceTermination: false, preservePartialResults, requestedBy: 'alice' },
    });
    it('a result computed meanwhile ends it Cancelled, the result kept as its outcome when preserved', () => {
      const complete: JobCommand = { kind: 'CompleteJob', nodeId: 'n1', at: AT, outcome };
      const kept = run([submit, start, cancelKeeping(true), complete]);
      expect(kept).toMatchObject({ status: 'Cancelled', outcome });
      const dropped = run([submit, start, cancelKeeping(false), complete]);
      expect(dropped).toMatchObject({ status: 'Cancelled', outcome: null });
    });
    it('a failure, a timeout or a lost node end it Cancelled too', () => {
      const timeout: JobCommand = { kind: 'FailJob', nodeId: null, at: AT, errorType: 'Timeout', message: 'late' };
      for (const ending of [fail, timeout, requeue()]) {
        const events = decide(ending, run([submit, start, cancel]));
        expect(events.map((e) => e.type)).toEqual(['JobCancelled']);
      }
    });
  });

  it('progress keeps the peak memory measured', () => {
    const progress = (memoryBytes: number): JobEvent => ({
      type: 'JobProgressed',
      data: {
        percentage: 10, currentStage: 'Loading', recordsProcessed: 1, totalRecords: 10, errorCount: 0, warningCount: 0,
        usage: { memoryBytes, cpuPercent: 50, diskBytes: 0 }, reportedAt: AT,
      },
    });
    let s = run([submit, start]);
    s = evolve(s, progress(500), 2, AT);
    s = evolve(s, progress(300), 3, AT);
    expect(s.peakMemoryBytes).toBe(500);
    expect(s.usage?.memoryBytes).toBe(300);
  });
});

describe('queue management of a job', () => {
  const changePriority = (priority: JobState['priority']): JobCommand =>
    ({ kind: 'ChangePriority', at: '2024-01-20T10:40:00.000Z', priority, changedBy: 'olivia', reason: 'month end' });
  const hold: JobCommand = { kind: 'HoldJob', at: '2024-01-20T10:35:00.000Z', heldBy: 'olivia', reason: 'data not ready' };
  const release: JobCommand = { kind: 'ReleaseJob', at: '2024-01-20T10:50:00.000Z', releasedBy: 'olivia', reason: null };

  it('changes a queued job\'s priority, keeping queuedAt so its wait still counts', () => {
    expect(decide(changePriority('High'), run([submit]))).toEqual([{
      type: 'JobPriorityChanged',
      data: { from: 'Normal', to: 'High', changedBy: 'olivia', changedAt: '2024-01-20T10:40:00.000Z', reason: 'month end' },
    }]);
    const s = run([submit, changePriority('High')]);
    expect(s.priority).toBe('High');
    expect(s.queuedAt).toBe(AT);
    expect(s.revision).toBe(1);
    expect(decide(changePriority('High'), s)).toEqual([]); // already so
  });

  it('holds a queued job: still Queued, not startable, and released back as it was', () => {
    const s = run([submit, hold]);
    expect(s.status).toBe('Queued');
    expect(s.hold).toEqual({ heldBy: 'olivia', heldAt: '2024-01-20T10:35:00.000Z', reason: 'data not ready' });
    expectViolation(() => decide(start, s), 'Held');
    expect(decide(hold, s)).toEqual([]); // the first hold stands
    const back = run([submit, hold, release]);
    expect(back.hold).toBeNull();
    expect(back.queuedAt).toBe(AT);
    expect(decide(start, back).map((e) => e.type)).toEqual(['JobStarted']);
    expect(decide(release, back)).toEqual([]); // nothing to release
  });

  it('a held job can still be priority-changed and cancelled; cancelling ends the hold', () => {
    expect(run([submit, hold, changePriority('Low')]).priority).toBe('Low');
    const s = run([submit, hold, cancel]);
    expect(s.status).toBe('Cancelled');
    expect(s.hold).toBeNull();
  });

  it.each([
    ['Running', [submit, start]],
    ['Completed', [submit, start, { kind: 'CompleteJob', nodeId: 'n1', at: AT, outcome } as JobCommand]],
    ['Cancelled', [submit, cancel]],
  ])('refuses priority change, hold and release of a %s job', (_status, history) => {
    const s = run(history as JobCommand[]);
    for (const command of [changePriority('High'), hold, release]) expectViolation(() => decide(command, s), 'NotQueued');
  });
});

describe('queue order', () => {
  const t0 = Date.parse(AT);
  it('higher priority first, FIFO within a priority', () => {
    expect(queueScore(t0 + 1000, 'High')).toBeLessThan(queueScore(t0, 'Normal'));
    expect(queueScore(t0, 'Normal')).toBeLessThan(queueScore(t0 + 1, 'Normal'));
  });
  it('a Low job that waited long enough overtakes a fresh Critical one', () => {
    expect(queueScore(t0, 'Low', 600)).toBeLessThan(queueScore(t0 + 1801_000, 'Critical', 600));
    expect(queueScore(t0, 'Low', 600)).toBeGreaterThan(queueScore(t0 + 1799_000, 'Critical', 600));
  });
});

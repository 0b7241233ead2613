import { describe, expect, it } from '@jest/globals';
import { decide, retryPending, retrySubmission, type JobCommand } from './job.decide.js';
import type { JobSubmittedData } from './job.events.js';
import { classified } from './job-failure.js';
import { evolve, heldFromClaims, type JobState } from './job.state.js';

const AT = '2024-01-20T10:30:00.000Z';
const submission = (overrides: Partial<JobSubmittedData> = {}): JobSubmittedData => ({
  jobId: 'j1', tenantId: 't', projectId: 'p', jobName: 'n', jobDescription: null, jobType: 'Analysis',
  priority: 'Normal', resource: null, parameters: { datasetId: 'd' },
  scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 120, maxAttempts: 3 },
  notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
  submittedBy: 'alice', submittedAt: AT, retryOf: null, attempt: 1, ...overrides,
});

function run(state: JobState | null, commands: JobCommand[]): JobState {
  let revision = state?.revision ?? -1;
  for (const command of commands) {
    for (const event of decide(command, state)) state = evolve(state, event, ++revision, AT);
  }
  return state!;
}
const resolve = (dependencyJobId: string, outcome: Extract<JobCommand, { kind: 'ResolveDependency' }>['outcome']): JobCommand =>
  ({ kind: 'ResolveDependency', at: AT, dependencyJobId, outcome });

describe('job dependencies', () => {
  it('waits for each dependency until it is met, held from claims meanwhile; none means null', () => {
    const plain = run(null, [{ kind: 'SubmitJob', submission: submission() }]);
    expect(plain.waitingFor).toBeNull();
    expect(heldFromClaims(plain)).toBe(false);
    let job = run(null, [{ kind: 'SubmitJob', submission: submission({ dependsOn: ['a', 'b'] }) }]);
    expect(job).toMatchObject({ status: 'Queued', dependsOn: ['a', 'b'], waitingFor: ['a', 'b'] });
    expect(heldFromClaims(job)).toBe(true);
    expect(() => decide({ kind: 'StartJob', nodeId: 'n1', at: AT }, job)).toThrow(/waits for a, b/);
    job = run(job, [resolve('a', { kind: 'Completed', datasetId: null })]);
    expect(job.waitingFor).toEqual(['b']);
    job = run(job, [resolve('b', { kind: 'Completed', datasetId: null })]);
    expect(job.waitingFor).toEqual([]);
    expect(heldFromClaims(job)).toBe(false);
    expect(decide({ kind: 'StartJob', nodeId: 'n1', at: AT }, job).map((e) => e.type)).toEqual(['JobStarted']);
    // Met twice, or a job not waited for: nothing happens.
    expect(decide(resolve('b', { kind: 'Completed', datasetId: null }), job)).toEqual([]);
    expect(decide(resolve('z', { kind: 'Ended', reason: 'was Cancelled' }), job)).toEqual([]);
  });

  it('follows a retried dependency and reads the dataset its DataEnrichment dependency produced', () => {
    let job = run(null, [{ kind: 'SubmitJob', submission: submission({ dependsOn: ['e'], parameters: { datasetId: { fromJob: 'e' } } }) }]);
    job = run(job, [resolve('e', { kind: 'Retried', retryJobId: 'e2' })]);
    expect(job).toMatchObject({ waitingFor: ['e2'], parameters: { datasetId: { fromJob: 'e2' } } });
    job = run(job, [resolve('e2', { kind: 'Completed', datasetId: 'ds-1' })]);
    expect(job).toMatchObject({ waitingFor: [], parameters: { datasetId: 'ds-1' } });
  });

  it('fails, not retryable, when a dependency ended for good or produced no dataset it reads', () => {
    const waiting = run(null, [{ kind: 'SubmitJob', submission: submission({ dependsOn: ['a'] }) }]);
    const failed = run(waiting, [resolve('a', { kind: 'Ended', reason: 'was Cancelled: no' })]);
    expect(failed).toMatchObject({
      status: 'Failed', failure: { errorType: 'DependencyFailed', category: 'DependencyFailed', retryable: false, message: 'dependency a was Cancelled: no' },
    });
    expect(decide({ kind: 'ScheduleRetry', at: AT, delaySeconds: 1 }, failed)).toEqual([]);
    const reads = run(null, [{ kind: 'SubmitJob', submission: submission({ dependsOn: ['e'], parameters: { datasetId: { fromJob: 'e' } } }) }]);
    expect(run(reads, [resolve('e', { kind: 'Completed', datasetId: null })]).failure?.message).toContain('without an enriched dataset');
  });

  it('tells a failure with a retry to come from one for good; a retry keeps the dependencies', () => {
    const failedWith = (category: 'Timeout' | 'EngineError', attempt: number) => run(null, [
      { kind: 'SubmitJob', submission: submission({ attempt, dependsOn: ['x'] }) },
      resolve('x', { kind: 'Completed', datasetId: null }),
      { kind: 'StartJob', nodeId: 'n1', at: AT },
      { kind: 'FailJob', nodeId: 'n1', at: AT, errorType: 'ExecutionError', message: 'boom', failure: classified(category) },
    ]);
    expect(retryPending(failedWith('Timeout', 1))).toBe(true);
    expect(retryPending(failedWith('Timeout', 3))).toBe(false); // its last attempt
    expect(retryPending(failedWith('EngineError', 1))).toBe(false);
    const retry = retrySubmission(failedWith('EngineError', 1), { newJobId: 'j2', at: AT, submittedBy: 'alice', reason: null });
    expect(retry.dependsOn).toEqual(['x']);
  });
});

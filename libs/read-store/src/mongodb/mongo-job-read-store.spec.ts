/**
 * The MongoDB read store's pure parts, without a server: the fields derived from a job
 * document for filters and queue order, checkpoint numbers, and the quartile interpolation
 * that must equal PostgreSQL's percentile_cont (the contract suite checks the same figures
 * on PostgreSQL).
 */
import { describe, expect, it } from '@jest/globals';
import { decide, evolve, queueScore, type JobState, type JobSubmittedData } from '../../../job-domain/src/index.js';
import { fromDecimal, percentileCont, toDecimal, toJobViewDocument } from './mongo-job-read-store.js';

const submission: JobSubmittedData = {
  jobId: '0b6f3c1e-8a59-4c1f-9d55-5f1f3e1d2c3b', tenantId: 't1', projectId: 'p1', jobName: 'mine', jobDescription: null,
  jobType: 'Analysis', priority: 'High', resource: null, parameters: { 'a.b': 1, $c: 2 },
  scheduling: { executeImmediately: false, scheduledTime: '2024-05-06T09:00:00.000Z', timeoutMinutes: 45 },
  notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
  submittedBy: 'alice', submittedAt: '2024-05-06T08:00:00.000Z', retryOf: null, attempt: 1,
};

function apply(state: JobState | null, ...events: ReturnType<typeof decide>): JobState {
  let next = state;
  for (const event of events) next = evolve(next, event, (next?.revision ?? -1) + 1, '2024-05-06T10:00:00.000Z');
  return next!;
}

describe('MongoDB read store mapping', () => {
  it('derives the filter and queue fields of a queued job', () => {
    const queued = apply(null, ...decide({ kind: 'SubmitJob', submission }, null));
    const view = toJobViewDocument(queued, 600);
    expect(view).toMatchObject({
      _id: submission.jobId, tenantId: 't1', projectId: 'p1', status: 'Queued', jobType: 'Analysis', priority: 'High',
      submittedBy: 'alice', revision: 0, nodeId: null, startedAt: null, endedAt: null, timeoutAt: null,
    });
    expect(view.dateCreated).toEqual(new Date('2024-05-06T08:00:00.000Z'));
    expect(view.scheduledAt).toEqual(new Date('2024-05-06T09:00:00.000Z'));
    // epoch seconds of queuedAt − rank(High) = 2 × 600 s
    expect(view.queueScore).toBe(Date.parse('2024-05-06T08:00:00.000Z') / 1000 - 1200);
    expect(view.queueScore).toBe(queueScore(Date.parse(queued.queuedAt), 'High', 600));
    expect(view.doc).toBe(queued);
  });

  it('derives start, timeout and end of a job that ran', () => {
    const queued = apply(null, ...decide({ kind: 'SubmitJob', submission }, null));
    const running = apply(queued, ...decide({ kind: 'StartJob', nodeId: 'n1', at: '2024-05-06T09:00:05.250Z' }, queued));
    const view = toJobViewDocument(running, 600);
    expect(view).toMatchObject({ status: 'Running', nodeId: 'n1', revision: 1 });
    expect(view.startedAt).toEqual(new Date('2024-05-06T09:00:05.250Z'));
    expect(view.timeoutAt).toEqual(new Date('2024-05-06T09:45:05.250Z'));
    expect(() => toJobViewDocument({ ...running, queuedAt: 'yesterday' }, 600)).toThrow(/queuedAt/);
  });

  it('stores checkpoint numbers beyond 64 bits signed exactly', () => {
    for (const value of [-1n, 0n, 9_223_372_036_854_775_807n, 18_446_744_073_709_551_615n]) {
      expect(fromDecimal(toDecimal(value))).toBe(value);
    }
  });

  it('interpolates quartiles like percentile_cont', () => {
    expect(percentileCont([], 0.25)).toBeNull();
    expect(percentileCont([7], 0.75)).toBe(7);
    expect(percentileCont([10, 20, 30, 100], 0.25)).toBeCloseTo(17.5, 10);
    expect(percentileCont([10, 20, 30, 100], 0.75)).toBeCloseTo(47.5, 10);
    expect(percentileCont([10, 20, 30, 100, 1000], 0.25)).toBe(20);
    expect(percentileCont([10, 20, 30, 100, 1000], 0.75)).toBe(100);
  });
});

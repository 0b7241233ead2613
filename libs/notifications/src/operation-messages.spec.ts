/**
 * Async operations as their jobs' states show them: the operation status of each attempt,
 * and which callbacks and Slack message an attempt's end queues (none when a retry follows).
 */
import { describe, expect, it } from '@jest/globals';
import {
  evolve, jobIdOfOperation, operationIdOf, operationStatusOf, retrySubmission, type JobEvent, type JobState,
} from '../../job-domain/src/index.js';
import { jobOutcome, jobProgress, jobSubmission } from '../../../test/support/job-commands.js';
import { operationEndNotifications, operationProgressNotification, slackMessage } from './operation-messages.js';

const scope = { tenantId: 't1', projectId: 'p1' };
const jobId = '11111111-1111-4111-8111-111111111111';
const SLACK = 'https://hooks.slack.example/services/T/B/X';

function fold(events: JobEvent[], start: JobState | null = null): JobState {
  let state = start;
  events.forEach((event, i) => (state = evolve(state, event, (start?.revision ?? -1) + i + 1, `2024-03-01T10:00:0${i}.000Z`)));
  return state!;
}

const submitted: JobEvent = {
  type: 'JobSubmitted',
  data: jobSubmission(jobId, scope, {
    jobName: 'Quarterly', scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 10, maxAttempts: 2 },
    notifications: {
      onCompletion: false, onFailure: false, emailRecipients: [],
      callbacks: { onProgress: 'https://r.example/progress', onCompletion: 'https://r.example/done', onError: 'https://r.example/error', secretRef: 'ref-1' },
      slack: { channel: '#mining', mentionUsers: ['U024BE7LH', 'alice'] },
    },
    operation: { operationId: operationIdOf(jobId), operationType: 'ProcessMiningAnalysis' },
  }),
};
const started: JobEvent = { type: 'JobStarted', data: { nodeId: 'n1', startedAt: '2024-03-01T10:00:01.000Z' } };
const crashed: JobEvent = {
  type: 'JobFailed',
  data: { failedAt: '2024-03-01T10:00:05.000Z', errorType: 'ExecutionError', message: 'ended unexpectedly', failure: { category: 'RunnerCrashed', retryable: true } },
};

describe('async operations over their jobs', () => {
  it('names an operation op-<first job id> and reads the id back only in that form', () => {
    expect(operationIdOf(jobId)).toBe(`op-${jobId}`);
    expect(jobIdOfOperation(`op-${jobId.toUpperCase()}`)).toBe(jobId);
    expect(jobIdOfOperation(jobId)).toBeNull();
    expect(jobIdOfOperation('op-nope')).toBeNull();
  });

  it('is Initiated, Running, then Retrying (not Failed) after a retryable failure with attempts left, and Failed on the last one', () => {
    expect(operationStatusOf(fold([submitted]))).toBe('Initiated');
    expect(operationStatusOf(fold([submitted, started]))).toBe('Running');
    const firstFailed = fold([submitted, started, crashed]);
    expect(operationStatusOf(firstFailed)).toBe('Retrying');
    expect(operationEndNotifications(firstFailed, null, SLACK)).toEqual([]);

    const retry = fold([{ type: 'JobSubmitted', data: retrySubmission(firstFailed, {
      newJobId: '22222222-2222-4222-8222-222222222222', at: '2024-03-01T10:00:08.000Z', submittedBy: 'automatic-retries', reason: null,
    }) }]);
    expect(retry.operation?.operationId).toBe(operationIdOf(jobId));
    expect(operationStatusOf(retry)).toBe('Retrying');
    const lastFailed = fold([started, crashed], retry);
    expect(operationStatusOf(lastFailed)).toBe('Failed');
    const rows = operationEndNotifications(lastFailed, null, SLACK);
    expect(rows.map((r) => [r.channel, r.kind, r.target, r.sequence ?? 0])).toEqual([
      ['callback', 'progress', 'https://r.example/progress', 0],
      ['callback', 'failed', 'https://r.example/error', 0],
      ['slack', 'failed', SLACK, 0],
    ]);
    const error = JSON.parse(rows[1].body);
    expect(error).toMatchObject({ type: 'operation.failed', data: { status: 'Failed', attempt: 2, maxAttempts: 2, error: { type: 'ExecutionError' } } });
  });

  it('a failure that is not retryable ends the operation at once', () => {
    const invalid: JobEvent = { type: 'JobFailed', data: { failedAt: '2024-03-01T10:00:05.000Z', errorType: 'InvalidInput', message: 'bad', failure: { category: 'InvalidParameters', retryable: false } } };
    expect(operationStatusOf(fold([submitted, started, invalid]))).toBe('Failed');
  });

  it('queues one progress callback per window, signed with the callbacks\' secret, and on completion the final progress, onCompletion and Slack', () => {
    const running = fold([submitted, started, { type: 'JobProgressed', data: jobProgress(40, '2024-03-01T10:00:03.000Z') }]);
    const progress = operationProgressNotification(running, 3, 'https://mining.example.com')!;
    expect(progress).toMatchObject({ channel: 'callback', kind: 'progress', sequence: 3, secretRef: 'ref-1', target: 'https://r.example/progress' });
    expect(JSON.parse(progress.body)).toMatchObject({
      type: 'operation.progress', timestamp: '2024-03-01T10:00:03.000Z',
      data: { status: 'Running', progress: { percentage: 40 }, trackingUrl: `https://mining.example.com/api/t1/p1/async/operation/op-${jobId}`, resultsUrl: null },
    });

    const completed = fold([{ type: 'JobCompleted', data: { completedAt: '2024-03-01T10:00:09.000Z', outcome: jobOutcome() } }], running);
    const rows = operationEndNotifications(completed, null, null);
    expect(rows.map((r) => [r.kind, r.target])).toEqual([['progress', 'https://r.example/progress'], ['completed', 'https://r.example/done']]);
    expect(JSON.parse(rows[1].body).data).toMatchObject({ status: 'Completed', resultsUrl: `/api/t1/p1/execution/job/${jobId}/results` });
    const slack = slackMessage(completed, 'completed', null);
    expect(slack).toMatchObject({ channel: '#mining', link_names: true });
    expect(slack.text).toMatch(/^<@U024BE7LH> @alice Operation "Quarterly" \(ProcessMiningAnalysis, op-/);
  });

  it('a plain job queues nothing of an operation', () => {
    const plain = fold([{ type: 'JobSubmitted', data: jobSubmission(jobId, scope) }, started]);
    expect(operationProgressNotification(plain, 1, null)).toBeNull();
    expect(operationEndNotifications(fold([crashed], plain), null, SLACK)).toEqual([]);
  });
});

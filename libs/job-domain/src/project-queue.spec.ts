import { describe, expect, it } from '@jest/globals';
import {
  activeProjectQueue, decideQueue, evolveQueue, projectQueueStreamId, type ProjectQueueCommand, type ProjectQueueState,
} from './project-queue.js';

const AT = '2024-01-20T10:30:00.000Z';
const pause: ProjectQueueCommand = { kind: 'PauseQueue', at: AT, actor: 'olivia', reason: 'database maintenance' };
const resume: ProjectQueueCommand = { kind: 'ResumeQueue', at: '2024-01-20T11:00:00.000Z', actor: 'otto', reason: null };

function run(commands: ProjectQueueCommand[]): ProjectQueueState {
  let state = activeProjectQueue('t', 'p', AT);
  for (const command of commands) {
    for (const event of decideQueue(command, state)) state = evolveQueue(state, event, state.revision + 1, AT);
  }
  return state;
}

describe('project queue rules', () => {
  it('names one stream per tenant and project', () => {
    expect(projectQueueStreamId('t1', 'p1')).toBe('queue-t1-p1');
  });

  it('is Active until paused, and records who paused it, when and why', () => {
    expect(run([]).status).toBe('Active');
    expect(decideQueue(pause, run([]))).toEqual([{
      type: 'QueuePaused', data: { tenantId: 't', projectId: 'p', pausedBy: 'olivia', pausedAt: AT, reason: 'database maintenance' },
    }]);
    const paused = run([pause]);
    expect(paused).toMatchObject({ status: 'Paused', revision: 0, pause: { pausedBy: 'olivia', pausedAt: AT, reason: 'database maintenance' } });
  });

  it('resumes a paused queue; pausing a paused one or resuming an active one changes nothing', () => {
    expect(decideQueue(pause, run([pause]))).toEqual([]);
    expect(decideQueue(resume, run([]))).toEqual([]);
    const resumed = run([pause, resume]);
    expect(resumed).toMatchObject({ status: 'Active', pause: null, revision: 1 });
    expect(run([pause, resume, pause]).revision).toBe(2);
  });

  it('refuses to fold another project\'s event', () => {
    const other = { type: 'QueuePaused', data: { tenantId: 't', projectId: 'q', pausedBy: 'o', pausedAt: AT, reason: null } } as const;
    expect(() => evolveQueue(run([]), other, 0, AT)).toThrow(/queue/);
  });
});

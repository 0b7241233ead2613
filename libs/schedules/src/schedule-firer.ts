/**
 * Fires due schedules. Run as the led `schedules` role (one process fires): it sleeps until
 * the earliest due fire time (re-armed whenever a schedule changes, anywhere), with a slow
 * poll as the fallback, and records each fire time on the schedule's stream. The job of a
 * firing has an id derived from (schedule, fire time), and each fire time is recorded at
 * the revision it was decided on: a second firer, a restart or a retry submits nothing new.
 */
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import { nextFiringStep, scheduledJobId } from './fire-times.js';
import { scheduleCommandMetadata, type ScheduleRepository } from './schedule-repository.js';
import type { DueSchedules } from './schedule-views.port.js';
import type { ScheduleState } from './schedule.state.js';

/** What a firing does to jobs, through the service's own command path. */
export interface ScheduledJobLauncher {
  /** Submits the firing's job as `jobId` (the same job when it exists already), or says why it was refused (a quota, a template no longer valid). */
  submit(schedule: ScheduleState, fireTime: string, jobId: string): Promise<{ readonly jobId: string } | { readonly refused: string }>;
  /** The job's status, null when there is no such job. */
  statusOf(schedule: ScheduleState, jobId: string): Promise<string | null>;
  cancel(schedule: ScheduleState, jobId: string, reason: string): Promise<void>;
}

export interface ScheduleFirerOptions {
  readonly now?: () => Date;
  /** Longest sleep between two looks at the due schedules (a lost wake-up costs at most this). */
  readonly pollIntervalMs?: number;
  readonly logger?: { warn(message: string): void };
}

const DUE_BATCH = 100;
/** A schedule is looked at at most this many steps per wake-up (catch-up of up to MAX_CATCH_UP_FIRINGS, skips, races). */
const MAX_STEPS_PER_SCHEDULE = 250;
const ACTIVE = new Set(['Queued', 'Running']);

export class ScheduleFirer implements BackgroundService {
  readonly name = 'schedule firer';
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly due: DueSchedules,
    private readonly launcher: ScheduledJobLauncher,
    private readonly options: ScheduleFirerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 60_000;
  }

  async start(): Promise<void> {
    this.started = true;
    this.unlisten = await this.due.onChange(() => this.wake());
    this.wake();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    await this.running;
  }

  /** Looks at the due schedules now (coalesced with a look in progress). */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.fireDue();
        } catch (error) {
          this.options.logger?.warn(`schedule firer: ${String(error)}`);
        }
      } while (this.again && this.started);
      await this.arm().catch(() => this.armIn(this.pollIntervalMs));
    })().finally(() => (this.running = null));
  }

  /** Handles every due fire time of every schedule; resolves with the number of firings and skips recorded. */
  async fireDue(): Promise<number> {
    let recorded = 0;
    for (;;) {
      const ids = await this.due.dueScheduleIds(this.now(), DUE_BATCH);
      let recordedThisPass = 0;
      for (const id of ids) {
        try {
          recordedThisPass += await this.fireSchedule(id);
        } catch (error) {
          this.options.logger?.warn(`schedule ${id} not fired, will retry: ${String(error)}`);
        }
      }
      recorded += recordedThisPass;
      // A full batch may have more behind it; a pass that moved nothing would only repeat itself.
      if (ids.length < DUE_BATCH || recordedThisPass === 0) return recorded;
    }
  }

  /** Records the due steps of one schedule, one at a time, each on the state it was decided on. */
  async fireSchedule(scheduleId: string): Promise<number> {
    let recorded = 0;
    for (let step = 0; step < MAX_STEPS_PER_SCHEDULE; step += 1) {
      const state = await this.schedules.load(scheduleId);
      if (!state) return recorded;
      const now = this.now();
      const next = nextFiringStep(state, now);
      if (!next) return recorded;
      const at = now.toISOString();
      const metadata = { ...scheduleCommandMetadata(`schedule:${scheduleId}`), tenantId: state.tenantId, projectId: state.projectId };
      const command = next.kind === 'skipMissed'
        ? { kind: 'RecordSkippedFiring' as const, fireTime: next.fireTime, reason: next.reason, missedCount: next.missedCount, at }
        : await this.launch(state, next.fireTime, at);
      try {
        // No retries: a concurrent append means another firer (or a change) moved the schedule; decide again on it.
        const result = await this.schedules.decideAndAppend(scheduleId, command, metadata, 0);
        recorded += result.events.length;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    return recorded;
  }

  private async launch(state: ScheduleState, fireTime: string, at: string) {
    const jobId = scheduledJobId(state.scheduleId, fireTime);
    const skipped = (reason: string) => ({ kind: 'RecordSkippedFiring' as const, fireTime, reason, missedCount: 1, at });
    // Submitted already (by a firer that stopped before recording it): record that job, whatever the policy.
    const existing = await this.launcher.statusOf(state, jobId);
    let cancelledJobId: string | null = null;
    if (existing === null) {
      const previous = state.lastJobId;
      const previousStatus = previous ? await this.launcher.statusOf(state, previous) : null;
      if (previous && previousStatus && ACTIVE.has(previousStatus)) {
        if (state.definition.overlapPolicy === 'skip') {
          return skipped(`previous job ${previous} still ${previousStatus} (overlapPolicy skip)`);
        }
        if (state.definition.overlapPolicy === 'cancelPrevious') {
          await this.launcher.cancel(state, previous, `superseded by the firing at ${fireTime} of schedule ${state.scheduleId}`);
          cancelledJobId = previous;
        }
      }
      const outcome = await this.launcher.submit(state, fireTime, jobId);
      if ('refused' in outcome) return skipped(outcome.refused);
    }
    return { kind: 'RecordFiring' as const, fireTime, jobId, cancelledJobId, at };
  }

  private async arm(): Promise<void> {
    if (!this.started) return;
    const next = await this.due.earliestDueAt();
    // A schedule still due after a pass failed to fire (its error is logged): look again in a second, not in a loop.
    const delay = next ? Math.max(1000, next.getTime() - this.now().getTime()) : this.pollIntervalMs;
    this.armIn(Math.min(delay, this.pollIntervalMs));
  }

  private armIn(ms: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, ms);
    this.timer.unref();
  }
}

/**
 * The durable timers of running jobs, read from stored due times so a restart loses
 * none: a job past its timeout fails (Timeout); a job whose node stopped heartbeating
 * for longer than the lease, or whose live node no longer reports running it, goes back
 * to the queue (JobRequeued), or fails (NodeLost) once it has lost too many attempts.
 * Lease and reconciliation compare times of the store's own clock only. Every process
 * process may run it (one leads the `supervisor` role); the expected revision makes each
 * decision happen once. A sweep is one read of the store.
 */
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import { JobRepository, JobRuleViolation, classified, systemCommandMetadata, type JobCommand } from '../../job-domain/src/index.js';
import type { ServiceConfig } from '../../config/src/service-config.js';
import type { Stores } from '../../storage/src/open-stores.js';
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import type { NodeLogger } from './execution-node.js';

/** Nodes silent this many leases are dropped from the system status. */
const FORGET_NODE_AFTER_LEASES = 120;
/** Default of JOB_LOG_RETENTION_DAYS. */
export const DEFAULT_JOB_LOG_RETENTION_DAYS = 30;
/** Old job log lines are deleted on the first sweep, then at most this often (a day's lines are one cheap range delete). */
const LOG_RETENTION_EVERY_MS = 3_600_000;

export interface JobSupervisorOptions {
  readonly leaseSeconds: number;
  /**
   * How long after a claim its node's heartbeats must list the job: covers a heartbeat
   * taken just before the claim but stored just after it.
   */
  readonly reconcileGraceSeconds: number;
  readonly maxLostAttempts: number;
  /** Pause between sweeps. Default 2 s. */
  readonly sweepIntervalMs?: number;
  /** Job log lines older than this are deleted (JOB_LOG_RETENTION_DAYS). Default 30 days. */
  readonly logRetentionMs?: number;
}

/** The supervisor's options from the service configuration: a node must list a job within two of its heartbeats. */
export function supervisorOptions(config: ServiceConfig): JobSupervisorOptions {
  return {
    leaseSeconds: config.leaseSeconds,
    reconcileGraceSeconds: Math.max(2, 2 * config.heartbeatSeconds),
    maxLostAttempts: config.maxLostAttempts,
    sweepIntervalMs: config.supervisorSweepSeconds * 1000,
    logRetentionMs: config.jobLogRetentionDays * 86_400_000,
  };
}

export class JobSupervisor implements BackgroundService {
  readonly name = 'job supervisor';
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  /** When old log lines were last deleted (performance.now()); null: not yet. */
  private logsPrunedAt: number | null = null;

  constructor(
    private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly options: JobSupervisorOptions,
    private readonly logger: NodeLogger = console,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs ?? 2000);
  }

  /** Stops sweeping; resolves once a sweep in progress has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** `now` decides timeouts only (their due times are stored); leases use the store's clock. */
  sweep(now = new Date()): Promise<void> {
    this.sweeping ??= this.sweepOnce(now).finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(now: Date): Promise<void> {
    const { leaseSeconds, reconcileGraceSeconds, maxLostAttempts } = this.options;
    try {
      const due = await this.stores.jobs.dueSupervision(now, {
        leaseSeconds, graceSeconds: reconcileGraceSeconds, forgetNodesAfterSeconds: FORGET_NODE_AFTER_LEASES * leaseSeconds,
      });
      for (const job of due.timedOut) {
        await this.runCommand(job.jobId, {
          kind: 'FailJob', nodeId: null, at: now.toISOString(), errorType: 'Timeout', failure: classified('Timeout'),
          message: `the job exceeded its timeout (started ${job.startedAt}, due by ${job.timeoutAt})`,
        });
      }
      for (const job of due.leaseExpired) {
        await this.runCommand(job.jobId, {
          kind: 'RequeueJob', at: new Date().toISOString(), nodeId: job.nodeId, nodeLost: true, maxLostAttempts,
          reason: `node ${job.nodeId} sent no heartbeat for ${leaseSeconds} s`,
        });
      }
      for (const job of due.unreported) {
        await this.runCommand(job.jobId, {
          kind: 'RequeueJob', at: new Date().toISOString(), nodeId: job.nodeId, nodeLost: true, maxLostAttempts,
          reason: `node ${job.nodeId} no longer reports running it`,
        });
      }
    } catch (error) {
      this.logger.warn(`job supervision sweep failed: ${String(error)}`);
    }
    await this.pruneJobLogs(now);
  }

  /** Retention of job execution logs: lines older than the retention go, checked once an hour. */
  private async pruneJobLogs(now: Date): Promise<void> {
    if (this.logsPrunedAt !== null && performance.now() - this.logsPrunedAt < LOG_RETENTION_EVERY_MS) return;
    try {
      const retentionMs = this.options.logRetentionMs ?? DEFAULT_JOB_LOG_RETENTION_DAYS * 86_400_000;
      const deleted = await this.stores.jobLogs.deleteOlderThan(new Date(now.getTime() - retentionMs));
      this.logsPrunedAt = performance.now();
      if (deleted > 0) this.logger.log(`job logs: deleted ${deleted} lines older than ${retentionMs / 86_400_000} days`);
    } catch (error) {
      this.logger.warn(`job log retention failed: ${String(error)}`);
    }
  }

  private async runCommand(jobId: string, command: JobCommand): Promise<void> {
    try {
      const { events } = await this.repository.execute(jobId, command, systemCommandMetadata('system:supervisor'), { retries: 0 });
      this.logger.log(`job ${jobId}: ${command.kind} -> ${events.map((e) => e.type).join(', ')}`);
    } catch (error) {
      // Someone else acted first (the node finished, another supervisor decided): nothing to do.
      if (error instanceof WrongExpectedRevisionError || error instanceof JobRuleViolation) return;
      throw error;
    }
  }
}

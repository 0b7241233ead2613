/**
 * The durable timers of running jobs, read from stored due times so a restart loses
 * none: a job past its timeout fails (Timeout); a job whose node stopped heartbeating
 * for longer than the lease, or whose live node no longer reports running it, goes back
 * to the queue (JobRequeued), or fails (NodeLost) once it has lost too many attempts.
 * Lease and reconciliation compare times of the store's own clock only. Every process
 * may run it; the expected revision makes each decision happen once.
 */
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import { JobRepository, JobRuleViolation, systemCommandMetadata, type JobCommand } from '../../job-domain/src/index.js';
import type { ServiceConfig } from '../../config/src/service-config.js';
import type { Stores } from '../../storage/src/open-stores.js';
import type { NodeLogger } from './execution-node.js';

/** Nodes silent this many leases are dropped from the system status. */
const FORGET_NODE_AFTER_LEASES = 120;

export interface JobSupervisorOptions {
  readonly leaseSeconds: number;
  /**
   * How long after a claim its node's heartbeats must list the job: covers a heartbeat
   * taken just before the claim but stored just after it.
   */
  readonly reconcileGraceSeconds: number;
  readonly maxLostAttempts: number;
}

/** The supervisor's options from the service configuration: a node must list a job within two of its heartbeats. */
export function supervisorOptions(config: ServiceConfig): JobSupervisorOptions {
  return {
    leaseSeconds: config.leaseSeconds,
    reconcileGraceSeconds: Math.max(2, 2 * config.heartbeatSeconds),
    maxLostAttempts: config.maxLostAttempts,
  };
}

export class JobSupervisor {
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly options: JobSupervisorOptions,
    private readonly logger: NodeLogger = console,
  ) {}

  start(intervalMs = 2000): void {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** `now` decides timeouts only (their due times are stored); leases use the store's clock. */
  async sweep(now = new Date()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    const { leaseSeconds, reconcileGraceSeconds, maxLostAttempts } = this.options;
    try {
      for (const job of await this.stores.jobs.timedOutJobs(now)) {
        await this.runCommand(job.jobId, {
          kind: 'FailJob', nodeId: null, at: now.toISOString(), errorType: 'Timeout',
          message: `the job exceeded its timeout (started ${job.startedAt}, due by ${job.timeoutAt})`,
        });
      }
      for (const job of await this.stores.jobs.jobsWithExpiredLease(leaseSeconds)) {
        await this.runCommand(job.jobId, {
          kind: 'RequeueJob', at: new Date().toISOString(), nodeId: job.nodeId, nodeLost: true, maxLostAttempts,
          reason: `node ${job.nodeId} sent no heartbeat for ${leaseSeconds} s`,
        });
      }
      for (const job of await this.stores.jobs.unreportedJobs(reconcileGraceSeconds)) {
        await this.runCommand(job.jobId, {
          kind: 'RequeueJob', at: new Date().toISOString(), nodeId: job.nodeId, nodeLost: true, maxLostAttempts,
          reason: `node ${job.nodeId} no longer reports running it`,
        });
      }
      const forgetBefore = Date.now() - FORGET_NODE_AFTER_LEASES * leaseSeconds * 1000;
      for (const node of await this.stores.jobs.listNodes()) {
        if (Date.parse(node.lastHeartbeat) < forgetBefore) await this.stores.jobs.removeNode(node.nodeId);
      }
    } catch (error) {
      this.logger.warn(`job supervision sweep failed: ${String(error)}`);
    } finally {
      this.sweeping = false;
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

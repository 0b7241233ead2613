/**
 * The durable timers of running jobs, read from stored due times so a restart loses
 * none: a job past its timeout fails (Timeout); a job whose node stopped heartbeating
 * for longer than the lease goes back to the queue (JobRequeued). Every process may
 * run it; the expected revision makes each decision happen once.
 */
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import { JobRepository, JobRuleViolation, systemCommandMetadata, type JobCommand } from '../../job-domain/src/index.js';
import type { Stores } from '../../storage/src/open-stores.js';
import type { NodeLogger } from './execution-node.js';

/** Nodes silent this many leases are dropped from the system status. */
const FORGET_NODE_AFTER_LEASES = 120;

export class JobSupervisor {
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly leaseSeconds: number,
    private readonly logger: NodeLogger = console,
  ) {}

  start(intervalMs = 2000): void {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const job of await this.stores.jobs.timedOutJobs(now)) {
        await this.decide(job.jobId, {
          kind: 'FailJob', nodeId: null, at: now.toISOString(), errorType: 'Timeout',
          message: `the job exceeded its timeout (started ${job.startedAt}, due by ${job.timeoutAt})`,
        });
      }
      const nodes = new Map((await this.stores.jobs.listNodes()).map((n) => [n.nodeId, n]));
      const leaseStart = now.getTime() - this.leaseSeconds * 1000;
      for (const job of await this.stores.jobs.runningJobs()) {
        const node = nodes.get(job.nodeId);
        if (node && Date.parse(node.lastHeartbeat) >= leaseStart) continue;
        if (!node && Date.parse(job.startedAt) >= leaseStart) continue; // claimed before its first heartbeat landed
        await this.decide(job.jobId, {
          kind: 'RequeueJob', at: now.toISOString(), nodeId: job.nodeId,
          reason: `node ${job.nodeId} sent no heartbeat for ${this.leaseSeconds} s`,
        });
      }
      for (const node of nodes.values()) {
        if (Date.parse(node.lastHeartbeat) < now.getTime() - FORGET_NODE_AFTER_LEASES * this.leaseSeconds * 1000) {
          await this.stores.jobs.removeNode(node.nodeId);
        }
      }
    } catch (error) {
      this.logger.warn(`job supervision sweep failed: ${String(error)}`);
    } finally {
      this.sweeping = false;
    }
  }

  private async decide(jobId: string, command: JobCommand): Promise<void> {
    try {
      await this.repository.execute(jobId, command, systemCommandMetadata('system:supervisor'), { retries: 0 });
      this.logger.log(`job ${jobId}: ${command.kind}`);
    } catch (error) {
      // Someone else acted first (the node finished, another supervisor decided): nothing to do.
      if (error instanceof WrongExpectedRevisionError || error instanceof JobRuleViolation) return;
      throw error;
    }
  }
}

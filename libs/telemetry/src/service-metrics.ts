/**
 * The Prometheus metrics of one process (prom-client). Where each figure is observed, so
 * that sums over several API and worker processes are right:
 * - job counters, the duration and queue-wait histograms and the append latency come from
 *   the appends this process makes (JobRepository's observer): the API counts the
 *   submissions and cancellations it appends, a node the starts and outcomes it appends,
 *   so the sum over all processes counts each event once;
 * - queue depth is read from the store at scrape time by API processes (every API
 *   process reports the same cluster-wide figure: aggregate it with max, not sum);
 * - projection lag is reported by the process that runs the job projection (absent elsewhere);
 * - HTTP durations by the process that answered; runner pool state by the node that owns it.
 * No label carries a tenant, project or job id.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobAppendObserver, JobEvent, JobState } from '../../job-domain/src/index.js';
import type { RunnerPoolState } from '../../execution-node/src/runner-pool.js';
import type { JobReadStore } from '../../read-store/src/read-store.port.js';

const JOB_LABELS = ['job_type', 'priority'] as const;
/** Seconds: from a cheap job (tens of ms) to a long one (an hour). */
const JOB_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const SHORT_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class ServiceMetrics implements JobAppendObserver {
  readonly registry = new Registry();
  private readonly jobEvents: Record<string, Counter<(typeof JOB_LABELS)[number]>>;
  private readonly jobDuration: Histogram<'job_type' | 'outcome'>;
  private readonly queueWait: Histogram<(typeof JOB_LABELS)[number]>;
  private readonly appendSeconds: Histogram;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(service: 'api' | 'worker') {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const jobCounter = (name: string, help: string) => new Counter({ name, help, labelNames: JOB_LABELS, registers: [this.registry] });
    this.jobEvents = {
      JobSubmitted: jobCounter('pm_jobs_submitted_total', 'Jobs submitted (JobSubmitted appended by this process; retries included)'),
      JobStarted: jobCounter('pm_jobs_started_total', 'Job attempts started (JobStarted appended by this process)'),
      JobCompleted: jobCounter('pm_jobs_completed_total', 'Jobs completed (JobCompleted appended by this process)'),
      JobFailed: jobCounter('pm_jobs_failed_total', 'Jobs failed, timeouts and lost nodes included (JobFailed appended by this process)'),
      JobCancelled: jobCounter('pm_jobs_cancelled_total', 'Jobs cancelled (JobCancelled appended by this process)'),
    };
    this.jobDuration = new Histogram({
      name: 'pm_job_duration_seconds', help: 'Run time of a job attempt, from its start to its end',
      labelNames: ['job_type', 'outcome'], buckets: JOB_SECONDS_BUCKETS, registers: [this.registry],
    });
    this.queueWait = new Histogram({
      name: 'pm_job_queue_wait_seconds', help: 'Time a job waited in the queue before an attempt started',
      labelNames: JOB_LABELS, buckets: JOB_SECONDS_BUCKETS, registers: [this.registry],
    });
    this.appendSeconds = new Histogram({
      name: 'pm_event_store_append_seconds', help: 'Latency of one job append (or one batch of appends) to the event store, failed ones included',
      buckets: SHORT_SECONDS_BUCKETS, registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'pm_http_request_duration_seconds', help: 'HTTP request duration by route pattern and status',
      labelNames: ['method', 'route', 'status_code'], buckets: SHORT_SECONDS_BUCKETS, registers: [this.registry],
    });
  }

  appendTimed(seconds: number): void {
    this.appendSeconds.observe(seconds);
  }

  jobEventsAppended(events: readonly JobEvent[], state: JobState): void {
    for (const event of events) {
      this.jobEvents[event.type]?.inc({ job_type: state.jobType, priority: state.priority });
      if (event.type === 'JobStarted' && state.startedAt) {
        this.queueWait.observe({ job_type: state.jobType, priority: state.priority }, secondsBetween(state.queuedAt, state.startedAt));
      } else if ((event.type === 'JobCompleted' || event.type === 'JobFailed' || event.type === 'JobCancelled') && state.startedAt && state.endedAt) {
        this.jobDuration.observe({ job_type: state.jobType, outcome: state.status }, secondsBetween(state.startedAt, state.endedAt));
      }
    }
  }

  /** Queued jobs by priority, read through the read store's port at scrape time (any read store). */
  observeQueueDepth(jobs: Pick<JobReadStore, 'queuedJobsByPriority'>): void {
    const registry = this.registry;
    new Gauge({
      name: 'pm_queue_depth', help: 'Jobs waiting in the queue, by priority (cluster-wide, read from the store at scrape time)',
      labelNames: ['priority'], registers: [registry],
      async collect() {
        const counts = await jobs.queuedJobsByPriority();
        this.reset();
        for (const [priority, queued] of Object.entries(counts)) this.set({ priority }, queued);
      },
    });
  }

  /** The job projection's lag where this process runs it; the gauge has no value elsewhere (not measured here). */
  observeProjectionLag(lagSeconds: () => Promise<number | null>): void {
    new Gauge({
      name: 'pm_projection_lag_seconds', help: 'Age of the oldest event the job projection has not applied (0 when caught up); only from the process running it',
      registers: [this.registry],
      async collect() {
        const lag = await lagSeconds();
        this.reset();
        if (lag !== null) this.set(lag);
      },
    });
  }

  /** The job runners of this process's execution node. */
  observeRunnerPool(state: () => RunnerPoolState): void {
    new Gauge({
      name: 'pm_job_runners', help: 'Job runner processes of this node by state', labelNames: ['state'], registers: [this.registry],
      collect() {
        const now = state();
        for (const name of ['busy', 'idle', 'starting'] as const) this.set({ state: name }, now[name]);
      },
    });
    // Counts kept by the pool; a gauge read at scrape time, exposed with counter semantics (they only grow).
    new Counter({
      name: 'pm_job_runners_recycled_total', help: 'Job runners replaced after their share of jobs (RUNNER_MAX_JOBS) or memory (RUNNER_MAX_RSS_MB)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(state().recycled);
      },
    });
    new Counter({
      name: 'pm_job_runners_killed_total', help: 'Job runners that ended during a job (stopped for a cancellation or timeout, or crashed)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(state().endedDuringJob);
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function secondsBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}

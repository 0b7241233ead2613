/**
 * The node's shared buffer of job log lines. Lines of all the node's jobs wait here briefly
 * and are stored together: a line older than `holdMs` goes with the next multi-row insert
 * (at most one every `flushEveryMs`, one in flight at a time), and whatever a job still
 * holds when it ends goes with its final append, in the same statement (the job writer).
 * So a short job pays no statement of its own for its log, and a long one's lines show up
 * within about `holdMs + flushEveryMs`.
 */
import type { JobLogEntry, JobLogLine, JobLogStore } from './job-log.js';

export const DEFAULT_LOG_HOLD_MS = 250;
export const DEFAULT_LOG_FLUSH_EVERY_MS = 50;

interface HeldLine {
  readonly line: JobLogLine;
  readonly heldSince: number;
}

export interface JobLogBufferOptions {
  readonly holdMs?: number;
  readonly flushEveryMs?: number;
}

export class JobLogBuffer {
  private readonly held = new Map<string, HeldLine[]>();
  /** Lines written so far per running job: each line's `sequence`. */
  private readonly written = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly holdMs: number;
  private readonly flushEveryMs: number;

  constructor(
    private readonly store: JobLogStore,
    options: JobLogBufferOptions = {},
    private readonly logger: { warn(message: string): void } = console,
  ) {
    this.holdMs = options.holdMs ?? DEFAULT_LOG_HOLD_MS;
    this.flushEveryMs = options.flushEveryMs ?? DEFAULT_LOG_FLUSH_EVERY_MS;
  }

  write(jobId: string, entries: readonly JobLogEntry[]): void {
    if (entries.length === 0) return;
    const now = Date.now();
    let sequence = this.written.get(jobId) ?? 0;
    for (const entry of entries) this.hold(jobId, { ...entry, jobId, sequence: ++sequence }, now);
    this.written.set(jobId, sequence);
  }

  private hold(jobId: string, line: JobLogLine, heldSince: number): void {
    let lines = this.held.get(jobId);
    if (!lines) this.held.set(jobId, (lines = []));
    lines.push({ line, heldSince });
    this.timer ??= setTimeout(() => this.flushDue(), this.flushEveryMs);
  }

  /**
   * Takes the lines a job still holds, once every insert in flight has committed: given to
   * the job's final append, they are stored before (in fact with) its final event.
   */
  async takeForFinalAppend(jobId: string): Promise<JobLogLine[]> {
    await this.inFlight;
    const lines = this.held.get(jobId) ?? [];
    this.held.delete(jobId);
    this.written.delete(jobId);
    return lines.map((h) => h.line);
  }

  /** Stores lines now (a final append that could not carry them); waits for the inserts before. */
  async storeNow(lines: readonly JobLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    const insert = this.inFlight.then(() => this.store.insert(lines));
    this.inFlight = insert.catch(() => undefined);
    await insert;
  }

  /** Stores every line still held (the node stops). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = [...this.held.values()].flat().map((h) => h.line);
    this.held.clear();
    this.written.clear();
    await this.storeNow(lines).catch((error) => this.logger.warn(`storing job log lines failed: ${String(error)}`));
  }

  private flushDue(): void {
    this.timer = null;
    const dueBefore = Date.now() - this.holdMs;
    const due: JobLogLine[] = [];
    for (const [jobId, lines] of this.held) {
      let taken = 0;
      while (taken < lines.length && lines[taken].heldSince <= dueBefore) due.push(lines[taken++].line);
      if (taken === lines.length) this.held.delete(jobId);
      else if (taken > 0) lines.splice(0, taken);
    }
    if (due.length > 0) {
      this.inFlight = this.inFlight
        .then(() => this.store.insert(due))
        .catch((error) => {
          // Held again (the database briefly away): the next flush or the job's final append takes them.
          this.logger.warn(`storing ${due.length} job log lines failed, will retry: ${String(error)}`);
          for (const line of due) this.hold(line.jobId, line, 0);
        });
    }
    if (this.held.size > 0) this.timer = setTimeout(() => this.flushDue(), this.flushEveryMs);
  }
}

import type { GlobalPosition } from '../../../event-store/src/event-store.port.js';
import type { JobReadStore } from '../read-store.port.js';

/**
 * The stored checkpoint of a reactor (a led role that reacts to job events, such as automatic
 * retries or pipelines). A batch that asked nothing of the reactor moves it in memory only,
 * stored at most every `everyMs` and on stop, so an idle service does not write a checkpoint
 * per batch; a batch that did work stores it at once. Stored through the read store's
 * checkpointed write, so two runners never both move it.
 */
export class ReactorCheckpoint {
  /** What this runner last stored (null: not known, use the position the consumer gives). */
  private stored: GlobalPosition | null = null;
  /** Handled but not yet stored. */
  private pending: GlobalPosition | null = null;
  private writtenAt = 0;

  constructor(
    private readonly name: string,
    private readonly views: Pick<JobReadStore, 'applyJobDocuments'>,
    private readonly everyMs = 5000,
  ) {}

  /** Forgets what this runner stored: after a (re)start the consumer's checkpoint is the truth. */
  reset(): void {
    this.stored = null;
    this.pending = null;
  }

  /** A batch from `expected` to `last` is handled; `didWork` stores the checkpoint now. */
  async passed(expected: GlobalPosition, last: GlobalPosition, didWork: boolean): Promise<void> {
    if (!didWork && this.stored && Date.now() - this.writtenAt < this.everyMs) {
      this.pending = last;
      return;
    }
    try {
      await this.views.applyJobDocuments(this.name, this.stored ?? expected, last, []);
    } catch (error) {
      this.stored = null; // redelivered or resubscribed from what is stored
      throw error;
    }
    this.stored = last;
    this.pending = null;
    this.writtenAt = Date.now();
  }

  /** Stores what is pending (on stop); if that fails, the next start handles those batches again. */
  async flush(): Promise<void> {
    const pending = this.pending;
    if (pending && this.stored) await this.views.applyJobDocuments(this.name, this.stored, pending, []).catch(() => undefined);
    this.pending = null;
  }
}

/**
 * Reading a file while it is still being written, as an upload arrives: the dataset import
 * process reads an uploaded log during its transfer instead of after it, told by the API
 * (`FileGrowth`, forwarded over IPC) when more has arrived, when it is complete and how
 * long, or that it was abandoned.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

export type GrowthNotice =
  | { readonly kind: 'grew' }
  | { readonly kind: 'finished'; readonly bytes: number }
  | { readonly kind: 'abandoned'; readonly reason: string };

/** What the writer of a file says of it while writing; a follower hears every later notice. */
export class FileGrowth {
  private last: GrowthNotice | null = null;
  private readonly listeners = new Set<(notice: GrowthNotice) => void>();

  /** More bytes were written (or are about to be: the follower reads again). */
  grew(): void {
    this.tell({ kind: 'grew' });
  }

  /** The file is complete at `bytes` long. */
  finished(bytes: number): void {
    this.tell({ kind: 'finished', bytes });
  }

  /** The file will not be completed. */
  abandoned(reason: string): void {
    this.tell({ kind: 'abandoned', reason });
  }

  /** Hears every later notice, and the final one at once if the file is already finished or abandoned. */
  follow(listener: (notice: GrowthNotice) => void): () => void {
    if (this.last !== null) listener(this.last);
    else this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Passes on a notice (one heard from the writer in another process). */
  tell(notice: GrowthNotice): void {
    if (this.last !== null) return; // nothing follows the final word
    if (notice.kind !== 'grew') this.last = notice;
    for (const listener of this.listeners) listener(notice);
    if (this.last !== null) this.listeners.clear();
  }
}

const READ_CHUNK_BYTES = 1 << 20;

/**
 * The bytes of `path` as they are written: at the end of what is there so far it waits for
 * the writer's next notice, and ends once it has read the finished length. Fails when the
 * writer abandons the file, or when the file is shorter than its finished length.
 */
export function readGrowingFile(path: string, growth: FileGrowth): Readable {
  return Readable.from(growingFileChunks(path, growth), { objectMode: false });
}

async function* growingFileChunks(path: string, growth: FileGrowth): AsyncGenerator<Buffer> {
  let heard = 0;
  let finalBytes: number | null = null;
  let abandonedFor: string | null = null;
  let wake: (() => void) | null = null;
  const stopFollowing = growth.follow((notice) => {
    heard++;
    if (notice.kind === 'finished') finalBytes = notice.bytes;
    else if (notice.kind === 'abandoned') abandonedFor = notice.reason;
    wake?.();
  });
  const handle = await open(path, 'r');
  try {
    let position = 0;
    // A new buffer only once the last was handed on: a read at the end of what is written fills none.
    let buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    for (;;) {
      if (abandonedFor !== null) throw new Error(`the upload was abandoned: ${abandonedFor}`);
      const heardBefore = heard;
      const finishedBefore: number | null = finalBytes;
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK_BYTES, position);
      if (bytesRead > 0) {
        position += bytesRead;
        const chunk = buffer.subarray(0, bytesRead);
        buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
        yield chunk;
        continue;
      }
      // Finished before this read began: everything is on disk, so this is the end.
      if (finishedBefore !== null) {
        if (position < finishedBefore) throw new Error(`the file ended at ${position} of its ${finishedBefore} bytes`);
        return;
      }
      // A notice that came during the read is acted on by reading again; otherwise wait for one.
      if (heard === heardBefore) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    stopFollowing();
    await handle.close();
  }
}

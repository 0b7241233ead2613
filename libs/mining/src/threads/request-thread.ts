/**
 * A long-lived worker thread that answers requests one at a time (the miner and the model
 * threads): started on first use and again after it failed, with the calling thread's heap
 * limit, and kept from holding an otherwise idle process alive.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, Worker, type TransferListItem } from 'node:worker_threads';

interface Envelope<T> {
  readonly id: number;
  readonly body: T;
}

interface ReplyEnvelope<R> {
  readonly id: number;
  readonly result: R | null;
  readonly error: string | null;
}

/** Sends a request to the thread; resolves with its answer, rejects with its error's message. */
export type ThreadRequest<Q, R> = (body: Q, transfer?: readonly TransferListItem[]) => Promise<R>;

/** The client side: `entry` is the compiled thread's file, `name` what errors call it. */
export function requestThread<Q, R>(entry: string, name: string): ThreadRequest<Q, R> {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (result: R) => void; reject: (error: Error) => void }>();
  const start = (): Worker => {
    // The calling thread's heap limit (a runner's), not the default of a thread.
    const heapMb = Math.ceil(getHeapStatistics().heap_size_limit / (1024 * 1024));
    const started = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    // Only a thread with work to do keeps the process alive: an idle one must not.
    started.unref();
    started.on('message', (reply: ReplyEnvelope<R>) => {
      const request = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      if (reply.error === null) request?.resolve(reply.result as R);
      else request?.reject(new Error(reply.error));
    });
    const fail = (error: Error): void => {
      if (worker === started) worker = null;
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    };
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`the ${name} stopped (exit code ${code})`)));
    return started;
  };
  return (body, transfer = []) =>
    new Promise<R>((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, body } satisfies Envelope<Q>, transfer);
    });
}

/**
 * The thread side: answers every request with `handle`'s result or its error's message;
 * `transferOf` names what of a result moves to the caller instead of being copied.
 */
export function serveRequests<Q, R>(handle: (body: Q) => R, transferOf?: (result: R) => readonly TransferListItem[]): void {
  parentPort!.on('message', ({ id, body }: Envelope<Q>) => {
    let reply: ReplyEnvelope<R>;
    let transfer: readonly TransferListItem[] = [];
    try {
      const result = handle(body);
      reply = { id, result, error: null };
      if (transferOf !== undefined) transfer = transferOf(result);
    } catch (error) {
      reply = { id, result: null, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort!.postMessage(reply, transfer);
  });
}

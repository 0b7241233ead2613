/**
 * The one start/stop lifecycle of everything a process runs in the background: the
 * execution node, the job supervisor, checkpointed subscriptions (the job projection, the
 * notification saga) and the notification sender. The composition roots start and stop
 * them through it, and `whileLeading` runs one only while its process leads its role.
 */
export interface BackgroundService {
  /** For logs: what runs. */
  readonly name: string;
  start(): Promise<void> | void;
  /** Resolves once the service's work in flight is settled; a stopped service may be started again. */
  stop(): Promise<void> | void;
}

/** Starts `services` in order; when one fails, stops those already started (in reverse) and rethrows. */
export async function startAll(services: readonly BackgroundService[]): Promise<void> {
  const started: BackgroundService[] = [];
  try {
    for (const service of services) {
      await service.start();
      started.push(service);
    }
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** Stops `services` in reverse order; every one is stopped even when an earlier stop failed (the first failure is rethrown). */
export async function stopAll(services: readonly BackgroundService[]): Promise<void> {
  let failure: unknown = null;
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

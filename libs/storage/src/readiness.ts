/**
 * Readiness of a process, as `/health/ready` answers it: every store answers within a
 * deadline, and (where the process runs an execution node) the node's heartbeat is fresh,
 * so the supervisor will not take its jobs away.
 */
import type { Stores } from './open-stores.js';

/** A store that does not answer within this long counts as unreachable for readiness. */
export const READY_STORE_TIMEOUT_MS = 2000;

export function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Reasons the stores are not usable now; [] when every one answered. */
export async function storeProblems(stores: Pick<Stores, 'ping'>): Promise<string[]> {
  try {
    await withDeadline(stores.ping(), READY_STORE_TIMEOUT_MS, 'the stores did not answer in time');
    return [];
  } catch (error) {
    return [`store unreachable: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * A worker is ready when its stores answer and its node stored a heartbeat within its
 * current interval (longer while idle) plus one heartbeat interval (and the store
 * deadline): older, its lease is running out.
 */
export async function workerReadiness(
  stores: Pick<Stores, 'ping' | 'layout'>,
  node: { readonly lastHeartbeatAt: Date | null; readonly nodeId: string; readonly heartbeatIntervalSeconds?: number },
  heartbeatSeconds: number,
  now: () => Date = () => new Date(),
): Promise<{ ready: boolean; body: Record<string, unknown> }> {
  const reasons = await storeProblems(stores);
  const last = node.lastHeartbeatAt;
  const heartbeatAgeSeconds = last ? (now().getTime() - last.getTime()) / 1000 : null;
  const limitSeconds = (node.heartbeatIntervalSeconds ?? heartbeatSeconds) + heartbeatSeconds + READY_STORE_TIMEOUT_MS / 1000;
  if (heartbeatAgeSeconds === null) reasons.push('the execution node has not stored a heartbeat yet');
  else if (heartbeatAgeSeconds > limitSeconds) reasons.push(`the node's last heartbeat is ${heartbeatAgeSeconds.toFixed(1)} s old (limit ${limitSeconds} s)`);
  const ready = reasons.length === 0;
  return {
    ready,
    body: { status: ready ? 'ready' : 'unavailable', nodeId: node.nodeId, stores: stores.layout, heartbeatAgeSeconds, reasons },
  };
}

/**
 * What the execution nodes can run, from their heartbeats: a node is live while its last
 * heartbeat is within the lease, and takes new jobs while live and not draining. The system
 * status, the queue view and the start estimates all count capacity this one way.
 */
import type { ExecutionNodeRecord } from '../../../../../libs/read-store/src/read-store.port.js';

export interface NodeCapacity {
  /** Nodes heard from within the lease (draining ones included). */
  readonly liveNodes: readonly ExecutionNodeRecord[];
  /** Live nodes that take new jobs (not draining). */
  readonly activeNodes: readonly ExecutionNodeRecord[];
  /** Job slots of the active nodes. */
  readonly jobSlots: number;
  /** Jobs the live nodes reported running at their last heartbeat. */
  readonly runningOnLiveNodes: number;
  /** Of those, the jobs on active nodes (each node counted up to its slots): what occupies `jobSlots`. */
  readonly runningOnActiveNodes: number;
}

export function isLiveNode(node: ExecutionNodeRecord, now: Date, leaseSeconds: number): boolean {
  return Date.parse(node.lastHeartbeat) >= now.getTime() - leaseSeconds * 1000;
}

export function nodeCapacity(nodes: readonly ExecutionNodeRecord[], now: Date, leaseSeconds: number): NodeCapacity {
  const liveNodes = nodes.filter((n) => isLiveNode(n, now, leaseSeconds));
  const activeNodes = liveNodes.filter((n) => !n.draining);
  return {
    liveNodes,
    activeNodes,
    jobSlots: activeNodes.reduce((sum, n) => sum + n.jobCapacity, 0),
    runningOnLiveNodes: liveNodes.reduce((sum, n) => sum + n.activeJobs, 0),
    runningOnActiveNodes: activeNodes.reduce((sum, n) => sum + Math.min(n.activeJobs, n.jobCapacity), 0),
  };
}

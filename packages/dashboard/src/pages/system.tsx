/** Nodes and system status: node capacity and utilisation, queue statistics, throughput, projection lag. */
import { useEffect, useState } from 'preact/hooks';
import type { ExecutionApi, SystemStatus } from '../api';
import { ErrorNote, ProgressBar, formatTime, orDash } from '../components';
import { Stat } from './jobs';

const REFRESH_MS = 5000;

export function SystemPage({ api }: { api: ExecutionApi }) {
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let gone = false;
    const load = () => api.getSystemStatus().then((s) => { if (!gone) { setStatus(s); setError(null); } }, (e: unknown) => !gone && setError(e));
    void load();
    // Node figures are heartbeats, not events: read them again every few seconds.
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, [api]);

  if (!status) return error ? <ErrorNote error={error} /> : <p>Loading…</p>;
  const q = status.queueStatistics;
  const p = status.performanceMetrics;
  const r = status.resourceUtilization;
  return (
    <>
      <div class="page-head">
        <h1>Nodes and system</h1>
        <span class={`badge badge-${status.systemStatus.toLowerCase()}`}>{status.systemStatus}</span>
        <span class="field-hint">as of {formatTime(status.timestamp)}</span>
      </div>
      <ErrorNote error={error} />
      <section class="card" aria-labelledby="nodes-heading">
        <h2 id="nodes-heading">Execution nodes</h2>
        <table>
          <thead>
            <tr><th scope="col">Node</th><th scope="col">Status</th><th scope="col">Jobs / capacity</th><th scope="col">Slots used</th>
              <th scope="col">CPU</th><th scope="col">Memory</th><th scope="col">Last heartbeat</th></tr>
          </thead>
          <tbody>
            {status.executionNodes.length === 0 ? <tr><td colSpan={7}>No node has reported.</td></tr> : null}
            {status.executionNodes.map((node) => (
              <tr key={node.nodeId} data-node-id={node.nodeId}>
                <td><code>{node.nodeId}</code></td>
                <td>{node.status}</td>
                <td>{node.activeJobs} / {node.jobCapacity}</td>
                <td class="progress-cell">
                  <ProgressBar value={node.jobCapacity > 0 ? Math.round((node.activeJobs / node.jobCapacity) * 100) : null} label={`Job slots used on ${node.nodeId}`} />
                </td>
                <td class="progress-cell"><ProgressBar value={node.cpuUsage} label={`CPU of ${node.nodeId}`} /></td>
                <td class="progress-cell"><ProgressBar value={node.memoryUsage} label={`Memory of ${node.nodeId}`} /></td>
                <td>{formatTime(node.lastHeartbeat)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div class="columns">
        <section class="card" aria-labelledby="queue-heading">
          <h2 id="queue-heading">Queue statistics</h2>
          <div class="stats">
            <Stat label="Queued" value={q.totalQueuedJobs} />
            <Stat label="Critical" value={q.criticalPriorityJobs} />
            <Stat label="High" value={q.highPriorityJobs} />
            <Stat label="Normal" value={q.normalPriorityJobs} />
            <Stat label="Low" value={q.lowPriorityJobs} />
            <Stat label="Average wait" value={orDash(q.averageWaitTime)} />
            <Stat label="Estimated processing" value={orDash(q.estimatedProcessingTime)} />
            <Stat label="Dead-lettered" value={q.deadLetteredJobs} />
          </div>
        </section>
        <section class="card" aria-labelledby="performance-heading">
          <h2 id="performance-heading">Today (UTC)</h2>
          <div class="stats">
            <Stat label="Completed" value={p.jobsCompletedToday} />
            <Stat label="Failed" value={p.jobsFailedToday} />
            <Stat label="Throughput per hour" value={p.throughputPerHour} />
            <Stat label="Success rate" value={p.successRate === null ? '–' : `${p.successRate}%`} />
            <Stat label="Average duration" value={orDash(p.averageJobDuration)} />
          </div>
        </section>
        <section class="card" aria-labelledby="resources-heading">
          <h2 id="resources-heading">Resources of live nodes</h2>
          <div class="stats">
            <Stat label="CPU used" value={`${r.usedCpuCapacity} of ${r.totalCpuCapacity}`} />
            <Stat label="Memory used" value={`${r.usedMemoryCapacity} of ${r.totalMemoryCapacity}`} />
            <Stat label="Disk available" value={orDash(r.diskSpaceAvailable)} />
          </div>
        </section>
      </div>
      <section class="card" aria-labelledby="projections-heading">
        <h2 id="projections-heading">Projections</h2>
        <table>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Checkpoint</th><th scope="col">Lag (events)</th><th scope="col">Lag (seconds)</th>
              <th scope="col">Leader</th><th scope="col">Rebuilding</th></tr>
          </thead>
          <tbody>
            {status.projections.map((projection) => (
              <tr key={projection.name} data-projection={projection.name}>
                <td>{projection.name}</td>
                <td><code>{orDash(projection.checkpoint)}</code></td>
                <td>{orDash(projection.lagEvents)}</td>
                <td>{orDash(projection.lagSeconds)}</td>
                <td>{orDash(projection.leader)}</td>
                <td>{projection.rebuilding ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

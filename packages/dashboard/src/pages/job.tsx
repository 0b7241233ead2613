/**
 * One job: status, progress, measured usage, its event timeline (the history endpoint),
 * cancel and retry with the reference's options, and once it has ended its results: the
 * process map and the report inline, and every output to download.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  PRIORITIES, type Artifact, type CancelJobRequest, type ExecutionApi, type HistoryEvent, type JobResults, type JobStatusView, type Priority,
  type RetryJobRequest,
} from '../api';
import { ErrorNote, Field, ProgressBar, StatusBadge, formatTime, orDash, progressTone } from '../components';
import { useLiveReload } from '../live';
import { hrefOf } from '../router';
import { canWrite, type Session } from '../session';
import { LiveIndicator } from './jobs';

const ENDED = new Set(['Completed', 'Failed', 'Cancelled']);

export function JobPage({ api, session, jobId }: { api: ExecutionApi; session: Session; jobId: string }) {
  const [job, setJob] = useState<JobStatusView | null>(null);
  const [history, setHistory] = useState<HistoryEvent[]>([]);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const [status, events] = await Promise.all([api.getJob(jobId), api.getHistory(jobId)]);
      setJob(status);
      setHistory(events.events);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [api, jobId]);
  const { mode, reload } = useLiveReload(api, { jobId }, load);

  if (!job) {
    return (
      <>
        <p><a href={hrefOf({ page: 'jobs' })}>← Queue and jobs</a></p>
        {error ? <ErrorNote error={error} /> : <p>Loading…</p>}
      </>
    );
  }
  const writable = canWrite(session);
  return (
    <>
      <p><a href={hrefOf({ page: 'jobs' })}>← Queue and jobs</a></p>
      <div class="page-head">
        <h1>{job.jobName}</h1>
        <StatusBadge status={job.status} />
        <LiveIndicator mode={mode} />
      </div>
      <ErrorNote error={error} />
      <section class="card" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <ProgressBar value={job.progress.percentage} label="Job progress" tone={progressTone(job.status)} />
        <dl class="facts">
          <dt>Stage</dt><dd>{orDash(job.progress.currentStage)}</dd>
          <dt>Elapsed</dt><dd>{orDash(job.progress.elapsedTime)}</dd>
          <dt>Estimated completion</dt><dd>{formatTime(job.progress.estimatedCompletion)}</dd>
          {job.status === 'Queued' ? <><dt>Queue position</dt><dd>{orDash(job.queuePosition)}</dd></> : null}
          {job.status === 'Queued' && job.scheduling.scheduledTime ? <><dt>Scheduled for</dt><dd>{formatTime(job.scheduling.scheduledTime)}</dd></> : null}
          {job.hold ? <><dt>Held</dt><dd>by {job.hold.heldBy}{job.hold.reason ? `: ${job.hold.reason}` : ''}</dd></> : null}
          <dt>Records</dt><dd>{job.metrics.recordsProcessed} of {orDash(job.metrics.totalRecords)}</dd>
          <dt>Rate</dt><dd>{orDash(job.metrics.averageProcessingRate)}</dd>
          <dt>Errors / warnings</dt><dd>{job.metrics.errorCount} / {job.metrics.warningCount}</dd>
        </dl>
        {job.error ? <p class="error" role="alert">{job.error.type}: {job.error.message}</p> : null}
        {job.cancellation ? <p>Cancelled{job.cancellation.reason ? `: ${job.cancellation.reason}` : ''}</p> : null}
        {job.retriedAs ? <p>Retried as <a href={hrefOf({ page: 'job', jobId: job.retriedAs })}>{job.retriedAs}</a></p> : null}
        {job.retryOf ? <p>Attempt {job.attempt}, a retry of <a href={hrefOf({ page: 'job', jobId: job.retryOf })}>{job.retryOf}</a></p> : null}
      </section>
      <div class="columns">
        <section class="card" aria-labelledby="details-heading">
          <h2 id="details-heading">Details and measured usage</h2>
          <dl class="facts">
            <dt>Job id</dt><dd><code>{job.jobId}</code></dd>
            <dt>Type</dt><dd>{job.jobType}</dd>
            <dt>Priority</dt><dd>{job.priority}</dd>
            <dt>Submitted</dt><dd>{formatTime(job.dateCreated)} by {job.execution.submittedBy}</dd>
            <dt>Started</dt><dd>{formatTime(job.execution.startTime)}</dd>
            <dt>Ended</dt><dd>{formatTime(job.execution.endTime)}</dd>
            <dt>Node</dt><dd>{orDash(job.execution.executionNode)}</dd>
            <dt>Memory</dt><dd>{orDash(job.execution.memoryUsage)}</dd>
            <dt>CPU</dt><dd>{orDash(job.execution.cpuUsage)}</dd>
            <dt>Disk written</dt><dd>{orDash(job.execution.diskUsage)}</dd>
            <dt>Dataset</dt><dd><code>{orDash(job.parameters['datasetId'] as string | undefined)}</code></dd>
          </dl>
        </section>
        {writable && !ENDED.has(job.status) ? <CancelForm api={api} jobId={jobId} onDone={reload} /> : null}
        {writable && (job.status === 'Failed' || job.status === 'Cancelled') && !job.retriedAs
          ? <RetryForm api={api} job={job} onDone={reload} /> : null}
      </div>
      {job.status === 'Completed' ? <Results api={api} jobId={jobId} /> : null}
      <section class="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol class="timeline">
          {history.map((event) => (
            <li key={event.position}>
              <time dateTime={event.recordedAt}>{formatTime(event.recordedAt)}</time>
              <span class="event-type">{event.type}</span>
              <span class="event-detail">{describeEvent(event)}</span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function describeEvent(event: HistoryEvent): string {
  const d = event.data;
  const parts: string[] = [];
  if (typeof d['percentage'] === 'number') parts.push(`${Math.round(d['percentage'] as number)}%`);
  if (typeof d['currentStage'] === 'string') parts.push(d['currentStage'] as string);
  if (typeof d['nodeId'] === 'string') parts.push(`node ${d['nodeId'] as string}`);
  if (typeof d['reason'] === 'string') parts.push(d['reason'] as string);
  if (typeof d['message'] === 'string') parts.push(d['message'] as string);
  if (event.metadata.actor) parts.push(`by ${event.metadata.actor}`);
  return parts.join(' · ');
}

function CancelForm({ api, jobId, onDone }: { api: ExecutionApi; jobId: string; onDone: () => void }) {
  const [request, setRequest] = useState<CancelJobRequest>({ reason: '', forceTermination: false, preservePartialResults: true });
  const [error, setError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancel = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.cancelJob(jobId, { ...request, reason: request.reason || undefined });
      setAnswer(result.status);
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel</h2>
      <form onSubmit={cancel}>
        <Field label="Reason">
          <input name="reason" maxLength={1000} value={request.reason} onInput={(e) => setRequest({ ...request, reason: e.currentTarget.value })} />
        </Field>
        <label class="check">
          <input type="checkbox" name="forceTermination" checked={request.forceTermination} onChange={(e) => setRequest({ ...request, forceTermination: e.currentTarget.checked })} />
          Force termination (stop the process at once)
        </label>
        <label class="check">
          <input type="checkbox" name="preservePartialResults" checked={request.preservePartialResults} onChange={(e) => setRequest({ ...request, preservePartialResults: e.currentTarget.checked })} />
          Preserve partial results
        </label>
        <ErrorNote error={error} />
        {answer ? <p role="status">Cancellation: {answer}</p> : null}
        <button type="submit" class="danger" disabled={busy}>Cancel job</button>
      </form>
    </section>
  );
}

function RetryForm({ api, job, onDone }: { api: ExecutionApi; job: JobStatusView; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [priority, setPriority] = useState<Priority>(job.priority);
  const [immediateExecution, setImmediate] = useState(true);
  const [modify, setModify] = useState(false);
  const [updated, setUpdated] = useState({ timeoutMinutes: '', retryFailedRecords: false, increaseMemoryLimit: false });
  const [error, setError] = useState<unknown>(null);
  const [retried, setRetried] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const retry = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const request: RetryJobRequest = {
      retryReason: reason || undefined, priority, immediateExecution, modifyParameters: modify,
      ...(modify ? { updatedParameters: {
        ...(updated.timeoutMinutes ? { timeoutMinutes: Number(updated.timeoutMinutes) } : {}),
        retryFailedRecords: updated.retryFailedRecords, increaseMemoryLimit: updated.increaseMemoryLimit,
      } } : {}),
    };
    try {
      const answer = await api.retryJob(job.jobId, request);
      setRetried(answer.jobId);
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="retry-heading">
      <h2 id="retry-heading">Retry</h2>
      <form onSubmit={retry}>
        <Field label="Retry reason">
          <input name="retryReason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <Field label="Priority">
          <select name="priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)}>
            {PRIORITIES.map((p) => <option key={p}>{p}</option>)}
          </select>
        </Field>
        <label class="check">
          <input type="checkbox" name="immediateExecution" checked={immediateExecution} onChange={(e) => setImmediate(e.currentTarget.checked)} />
          Run as soon as a node is free
        </label>
        <label class="check">
          <input type="checkbox" name="modifyParameters" checked={modify} onChange={(e) => setModify(e.currentTarget.checked)} />
          Change parameters
        </label>
        {modify ? (
          <fieldset>
            <legend>Updated parameters</legend>
            <Field label="Timeout (minutes)">
              <input name="timeoutMinutes" type="number" min={1} value={updated.timeoutMinutes} onInput={(e) => setUpdated({ ...updated, timeoutMinutes: e.currentTarget.value })} />
            </Field>
            <label class="check">
              <input type="checkbox" name="retryFailedRecords" checked={updated.retryFailedRecords} onChange={(e) => setUpdated({ ...updated, retryFailedRecords: e.currentTarget.checked })} />
              Retry failed records
            </label>
            <label class="check">
              <input type="checkbox" name="increaseMemoryLimit" checked={updated.increaseMemoryLimit} onChange={(e) => setUpdated({ ...updated, increaseMemoryLimit: e.currentTarget.checked })} />
              Increase the memory limit
            </label>
          </fieldset>
        ) : null}
        <ErrorNote error={error} />
        {retried ? <p role="status">Retried: <a href={hrefOf({ page: 'job', jobId: retried })}>open the new job</a></p> : null}
        <button type="submit" disabled={busy}>Retry job</button>
      </form>
    </section>
  );
}

/** An artifact fetched with the token, as an object URL (revoked when the page goes). */
function useArtifactUrl(api: ExecutionApi, artifact: Artifact | undefined): { url: string | null; text: string | null; error: unknown } {
  const [state, setState] = useState<{ url: string | null; text: string | null; error: unknown }>({ url: null, text: null, error: null });
  useEffect(() => {
    if (!artifact) return;
    let url: string | null = null;
    let gone = false;
    api.download(artifact.downloadUrl).then(async (blob) => {
      if (gone) return;
      url = URL.createObjectURL(blob);
      setState({ url, text: artifact.format === 'html' ? staticView(await blob.text()) : null, error: null });
    }, (error: unknown) => !gone && setState({ url: null, text: null, error }));
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, artifact?.downloadUrl]);
  return state;
}

/** The report without its scripts: they could not run in the sandboxed frame anyway, and would only log refusals. */
function staticView(html: string): string {
  const document = new DOMParser().parseFromString(html, 'text/html');
  for (const script of document.querySelectorAll('script')) script.remove();
  return `<!doctype html>${document.documentElement.outerHTML}`;
}

function Results({ api, jobId }: { api: ExecutionApi; jobId: string }) {
  const [results, setResults] = useState<JobResults | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.getResults(jobId).then(setResults, setError);
  }, [api, jobId]);
  const artifacts = results ? [results.results.primaryOutput, ...results.results.additionalOutputs].filter((a): a is Artifact => a !== null) : [];
  const map = useArtifactUrl(api, artifacts.find((a) => a.format === 'svg'));
  const report = useArtifactUrl(api, artifacts.find((a) => a.format === 'html'));
  if (error) return <ErrorNote error={error} />;
  if (!results) return <p>Loading results…</p>;
  return (
    <section class="card" aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      <dl class="facts">
        <dt>Duration</dt><dd>{orDash(results.totalDuration)}</dd>
        <dt>Records processed</dt><dd>{results.summary.recordsProcessed}</dd>
        <dt>Data quality</dt><dd>{orDash(results.summary.dataQualityScore)}</dd>
        <dt>Processing efficiency</dt><dd>{results.summary.processingEfficiency === null ? '–' : `${results.summary.processingEfficiency}%`}</dd>
        <dt>CPU time</dt><dd>{orDash(results.executionMetrics?.totalCpuTime)}</dd>
        <dt>Peak memory</dt><dd>{orDash(results.executionMetrics?.peakMemoryUsage)}</dd>
      </dl>
      <h3>Downloads</h3>
      <ul class="downloads">
        {artifacts.map((artifact) => <li key={artifact.artifactId}><DownloadLink api={api} artifact={artifact} /></li>)}
      </ul>
      {map.url ? (
        <figure class="map">
          <img src={map.url} alt="Process map of the job's event log" />
          <figcaption>Process map</figcaption>
        </figure>
      ) : <ErrorNote error={map.error} />}
      {report.text !== null ? (
        <figure class="report">
          {/* No scripts run here (sandbox): the report's static view; download it for the interactive one. */}
          <iframe title="Job report" sandbox="" srcDoc={report.text} />
          <figcaption>Report (static view; download it for the interactive controls)</figcaption>
        </figure>
      ) : <ErrorNote error={report.error} />}
    </section>
  );
}

function DownloadLink({ api, artifact }: { api: ExecutionApi; artifact: Artifact }) {
  const [error, setError] = useState<unknown>(null);
  const fileName = `${artifact.title.replace(/[^\w.-]+/g, '-')}.${artifact.format}`;
  const download = async (event: Event) => {
    event.preventDefault();
    try {
      const url = URL.createObjectURL(await api.download(artifact.downloadUrl));
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = fileName;
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <>
      <a href={artifact.downloadUrl} onClick={download} download={fileName} data-artifact-id={artifact.artifactId}>
        {artifact.title}
      </a>{' '}
      <span class="field-hint">{artifact.type}, {artifact.format}, {artifact.size}</span>
      <ErrorNote error={error} />
    </>
  );
}

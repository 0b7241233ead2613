/** Queue and jobs: the queue's figures, the job list with the reference's filters, live progress, and a submit form. */
import { useCallback, useState } from 'preact/hooks';
import {
  JOB_STATUSES, JOB_TYPES, PRIORITIES, type ExecutionApi, type JobList, type JobListFilters, type JobType, type Priority, type QueueView,
} from '../api';
import { ErrorNote, Field, ProgressBar, StatusBadge, formatTime, orDash, progressTone } from '../components';
import { useLiveReload } from '../live';
import { hrefOf } from '../router';
import { canWrite, rememberedDatasets, type Session } from '../session';

/** Analysis types per job type (conformance needs a process model: submit it through the API). */
const ANALYSIS_TYPES: Partial<Record<JobType, string[]>> = {
  ProcessMining: ['comprehensive', 'discovery', 'performance'],
  Analysis: ['statistics', 'variants', 'performance', 'bottlenecks', 'resources', 'discovery'],
};

export function JobsPage({ api, session }: { api: ExecutionApi; session: Session }) {
  const [filters, setFilters] = useState<JobListFilters>({ page: 1, pageSize: 20 });
  const [draft, setDraft] = useState<JobListFilters>({});
  const [list, setList] = useState<JobList | null>(null);
  const [queue, setQueue] = useState<QueueView | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const [jobs, queueView] = await Promise.all([api.listJobs(filters), api.getQueue()]);
      setList(jobs);
      setQueue(queueView);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [api, filters]);
  const { mode, reload } = useLiveReload(api, {}, load);
  // A change of filters loads at once (the feed keeps loading with the latest filters).
  const applyFilters = (next: JobListFilters) => {
    setFilters(next);
    setTimeout(reload, 0);
  };

  return (
    <>
      <div class="page-head">
        <h1>Queue and jobs</h1>
        <LiveIndicator mode={mode} />
      </div>
      {queue ? (
        <section aria-label="Queue" class="stats">
          <Stat label="Queue" value={queue.queueStatus} />
          <Stat label="Queued jobs" value={queue.summary.totalQueuedJobs} />
          <Stat label="Held" value={queue.summary.heldJobs} />
          <Stat label="Average wait" value={orDash(queue.summary.averageWaitTime)} />
          <Stat label="Estimated processing" value={orDash(queue.summary.estimatedProcessingTime)} />
          <Stat label="Running / slots" value={`${queue.processingCapacity.currentlyRunning} / ${queue.processingCapacity.maxConcurrentJobs}`} />
        </section>
      ) : null}
      {canWrite(session) ? <SubmitJobForm api={api} session={session} onSubmitted={reload} /> : null}
      <form class="filters" aria-label="Filter jobs" onSubmit={(e) => { e.preventDefault(); applyFilters({ ...draft, page: 1, pageSize: filters.pageSize }); }}>
        <Field label="Status">
          <select name="status" value={draft.status ?? ''} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value || undefined })}>
            <option value="">Any</option>
            {JOB_STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </Field>
        <Field label="Job type">
          <select name="jobType" value={draft.jobType ?? ''} onChange={(e) => setDraft({ ...draft, jobType: e.currentTarget.value || undefined })}>
            <option value="">Any</option>
            {JOB_TYPES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </Field>
        <Field label="Priority">
          <select name="priority" value={draft.priority ?? ''} onChange={(e) => setDraft({ ...draft, priority: e.currentTarget.value || undefined })}>
            <option value="">Any</option>
            {PRIORITIES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </Field>
        <Field label="Submitted by">
          <input name="submittedBy" value={draft.submittedBy ?? ''} onInput={(e) => setDraft({ ...draft, submittedBy: e.currentTarget.value || undefined })} />
        </Field>
        <Field label="From date">
          <input name="dateFrom" type="date" value={draft.dateFrom ?? ''} onInput={(e) => setDraft({ ...draft, dateFrom: e.currentTarget.value || undefined })} />
        </Field>
        <Field label="To date">
          <input name="dateTo" type="date" value={draft.dateTo ?? ''} onInput={(e) => setDraft({ ...draft, dateTo: e.currentTarget.value || undefined })} />
        </Field>
        <div class="actions">
          <button type="submit">Apply filters</button>
          <button type="button" class="secondary" onClick={() => { setDraft({}); applyFilters({ page: 1, pageSize: filters.pageSize }); }}>Clear</button>
        </div>
      </form>
      <ErrorNote error={error} />
      {list ? (
        <>
          <p class="summary" aria-label="Job counts">
            {list.summary.totalJobs} {list.summary.totalJobs === 1 ? 'job' : 'jobs'}: {list.summary.queuedJobs} queued, {list.summary.runningJobs} running,
            {' '}{list.summary.completedJobs} completed, {list.summary.failedJobs} failed
            {list.summary.cancelledJobs !== undefined ? `, ${list.summary.cancelledJobs} cancelled` : ''}
          </p>
          <table class="jobs">
            <caption class="visually-hidden">Jobs, newest first</caption>
            <thead>
              <tr><th scope="col">Job</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Priority</th>
                <th scope="col">Progress</th><th scope="col">Submitted</th><th scope="col">By</th><th scope="col">Duration</th></tr>
            </thead>
            <tbody>
              {list.jobs.length === 0 ? <tr><td colSpan={8}>No jobs match.</td></tr> : null}
              {list.jobs.map((job) => (
                <tr key={job.jobId} data-job-id={job.jobId}>
                  <td><a href={hrefOf({ page: 'job', jobId: job.jobId })}>{job.jobName}</a></td>
                  <td>{job.jobType}</td>
                  <td><StatusBadge status={job.status} /></td>
                  <td>{job.priority}</td>
                  <td class="progress-cell"><ProgressBar value={job.progress} label={`Progress of ${job.jobName}`} tone={progressTone(job.status)} /></td>
                  <td>{formatTime(job.dateCreated)}</td>
                  <td>{job.submittedBy}</td>
                  <td>{orDash(job.duration)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages of jobs">
            <button type="button" class="secondary" disabled={(filters.page ?? 1) <= 1} onClick={() => applyFilters({ ...filters, page: (filters.page ?? 1) - 1 })}>Previous page</button>
            <span>Page {list.page}</span>
            <button type="button" class="secondary" disabled={!list.hasNextPage} onClick={() => applyFilters({ ...filters, page: (filters.page ?? 1) + 1 })}>Next page</button>
          </nav>
        </>
      ) : <p>Loading…</p>}
    </>
  );
}

export function LiveIndicator({ mode }: { mode: string }) {
  const text = mode === 'live' ? 'Live' : mode === 'polling' ? 'Refreshing every few seconds' : mode === 'ended' ? 'Ended' : 'Connecting…';
  return <span class={`live live-${mode}`} role="status" aria-label={`Updates: ${text}`}>{text}</span>;
}

export function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div class="stat">
      <span class="stat-label">{label}</span>
      <span class="stat-value">{value}</span>
    </div>
  );
}

function SubmitJobForm({ api, session, onSubmitted }: { api: ExecutionApi; session: Session; onSubmitted: () => void }) {
  const datasets = rememberedDatasets(session);
  const [form, setForm] = useState({
    jobName: '', jobType: 'ProcessMining' as JobType, priority: 'Normal' as Priority, datasetId: datasets[0]?.datasetId ?? '',
    analysisType: 'comprehensive', timeoutMinutes: '30',
  });
  const [error, setError] = useState<unknown>(null);
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.submitJob({
        jobName: form.jobName, jobType: form.jobType, priority: form.priority,
        parameters: { datasetId: form.datasetId, ...(ANALYSIS_TYPES[form.jobType] ? { analysisType: form.analysisType } : {}) },
        scheduling: { executeImmediately: true, ...(form.timeoutMinutes ? { timeoutMinutes: Number(form.timeoutMinutes) } : {}) },
      });
      setSubmitted(answer.jobId);
      onSubmitted();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="card submit" open={datasets.length > 0}>
      <summary>Submit a job</summary>
      <form onSubmit={submit} aria-label="Submit a job">
        <div class="grid">
          <Field label="Job name">
            <input name="jobName" required maxLength={200} value={form.jobName} onInput={(e) => setForm({ ...form, jobName: e.currentTarget.value })} />
          </Field>
          <Field label="Job type">
            <select name="jobType" value={form.jobType} onChange={(e) => {
              const jobType = e.currentTarget.value as JobType;
              setForm({ ...form, jobType, analysisType: ANALYSIS_TYPES[jobType]?.[0] ?? '' });
            }}>
              {JOB_TYPES.map((t) => <option key={t}>{t}</option>)}
            </select>
          </Field>
          <Field label="Priority">
            <select name="priority" value={form.priority} onChange={(e) => setForm({ ...form, priority: e.currentTarget.value as Priority })}>
              {PRIORITIES.map((p) => <option key={p}>{p}</option>)}
            </select>
          </Field>
          <Field label="Dataset id" hint={datasets.length ? 'Uploaded from this browser, or any dataset id of the project' : 'Upload one on the Datasets page'}>
            <input name="datasetId" required list="known-datasets" value={form.datasetId} onInput={(e) => setForm({ ...form, datasetId: e.currentTarget.value })} />
            <datalist id="known-datasets">
              {datasets.map((d) => <option key={d.datasetId} value={d.datasetId}>{d.name}</option>)}
            </datalist>
          </Field>
          {ANALYSIS_TYPES[form.jobType] ? (
            <Field label="Analysis type">
              <select name="analysisType" value={form.analysisType} onChange={(e) => setForm({ ...form, analysisType: e.currentTarget.value })}>
                {ANALYSIS_TYPES[form.jobType]!.map((t) => <option key={t}>{t}</option>)}
              </select>
            </Field>
          ) : null}
          <Field label="Timeout (minutes)">
            <input name="timeoutMinutes" type="number" min={1} value={form.timeoutMinutes} onInput={(e) => setForm({ ...form, timeoutMinutes: e.currentTarget.value })} />
          </Field>
        </div>
        <ErrorNote error={error} />
        {submitted ? <p role="status">Submitted: <a href={hrefOf({ page: 'job', jobId: submitted })}>open the job</a></p> : null}
        <button type="submit" disabled={busy}>Submit job</button>
      </form>
    </details>
  );
}

/**
 * pmjobs: the Job Execution API from a terminal or a script, on the TypeScript SDK.
 * Exit codes: 0 done (for `jobs watch`: the job Completed), 1 an error (bad usage, not logged in,
 * the service refused or could not be reached), 2 the watched job Failed, 3 it was Cancelled.
 */
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  PmJobsApiError, PmJobsClient, type JobStatus, type ListJobsQuery, type RetryJobRequest, type SubmitJobRequest,
} from '@pmjobs/sdk';
import { configFile, readConfig, tokenClaims, writeConfig } from './config.js';
import { formatBytes, formatSeconds, printFields, printJson, printTable, progressBar, type OutputMode } from './output.js';

export const EXIT_CODES = { completed: 0, error: 1, failed: 2, cancelled: 3 } as const;

const JOB_TYPES = ['ProcessMining', 'DataEnrichment', 'Notebook', 'Analysis'];
const PRIORITIES = ['Low', 'Normal', 'High', 'Critical'];
const STATUSES = ['Queued', 'Running', 'Completed', 'Failed', 'Cancelled'];

async function client(): Promise<PmJobsClient> {
  const config = await readConfig();
  return new PmJobsClient({ baseUrl: config.url, token: config.token, tenantId: config.tenantId, projectId: config.projectId });
}

function modeOf(command: Command): OutputMode {
  return { json: Boolean(command.optsWithGlobals().json) };
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('must be an integer');
  return parsed;
}

/** `key=value`; the value is read as JSON when it is JSON (`true`, `5`, `["a","b"]`), else kept as text. */
function keyValue(entry: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const at = entry.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('must be key=value');
  const raw = entry.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // plain text
  }
  return { ...previous, [entry.slice(0, at)]: value };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

const program = new Command('pmjobs')
  .description('Upload event logs, submit, watch, list, cancel and retry process-mining jobs')
  .version('0.1.0')
  .option('--json', 'machine-readable output (JSON on stdout, no progress bars)')
  .showHelpAfterError();

program.command('login')
  .description(`check a token against the service and keep both in the config file (PMJOBS_CONFIG, else ${configFile()})`)
  .requiredOption('--url <url>', 'where the service answers, e.g. http://localhost:3000')
  .requiredOption('--token <token>', 'the Bearer token (JWT); - reads it from stdin')
  .option('--tenant <id>', 'tenant id (default: the token\'s tenant)')
  .option('--project <id>', 'project id (default: the token\'s project when it names one)')
  .action(async (options: { url: string; token: string; tenant?: string; project?: string }, command: Command) => {
    const token = options.token === '-' ? await readStdin() : options.token;
    const claims = tokenClaims(token);
    const tenantId = options.tenant ?? claims.tenant;
    const named = (claims.projects ?? []).filter((p) => p !== '*');
    const projectId = options.project ?? (named.length === 1 ? named[0] : undefined);
    if (!tenantId) throw new InvalidArgumentError('--tenant is needed: the token names no tenant');
    if (!projectId) throw new InvalidArgumentError('--project is needed: the token does not name exactly one project');
    const config = { url: options.url.replace(/\/+$/, ''), token, tenantId, projectId };
    // One authorised read proves the address, the token and the tenant before anything is stored.
    const status = await new PmJobsClient({ baseUrl: config.url, token, tenantId, projectId }).systemStatus();
    const file = await writeConfig(config);
    const result = { configFile: file, url: config.url, tenantId, projectId, subject: claims.sub ?? null, systemStatus: status.systemStatus };
    if (modeOf(command).json) printJson(result);
    else process.stdout.write(`Logged in to ${config.url} as ${result.subject ?? 'the token\'s subject'} (tenant ${tenantId}, project ${projectId}); saved in ${file}\n`);
  });

const datasets = program.command('datasets').description('event logs the jobs read');
datasets.command('upload <file>')
  .description('upload an event log (CSV or XES, plain or gzipped) with a progress bar')
  .option('--name <name>', 'display name (default: the file name)')
  .option('--case-column <column>').option('--activity-column <column>').option('--timestamp-column <column>')
  .option('--resource-column <column>').option('--start-timestamp-column <column>').option('--lifecycle-column <column>')
  .action(async (file: string, options: Record<string, string | undefined>, command: Command) => {
    const mode = modeOf(command);
    const bar = progressBar(mode, 'Uploading [{bar}] {percentage}% | {sent} of {size}');
    const columns = Object.fromEntries(Object.entries({
      name: options.name, caseColumn: options.caseColumn, activityColumn: options.activityColumn, timestampColumn: options.timestampColumn,
      resourceColumn: options.resourceColumn, startTimestampColumn: options.startTimestampColumn, lifecycleColumn: options.lifecycleColumn,
    }).filter(([, value]) => value !== undefined)) as Record<string, string>;
    const dataset = await (await client()).uploadDataset(file, {
      ...columns,
      onProgress: ({ bytesSent, totalBytes }) => {
        if (!bar) return;
        if (!bar.isActive) bar.start(totalBytes, 0, { sent: formatBytes(0), size: formatBytes(totalBytes) });
        bar.update(bytesSent, { sent: formatBytes(bytesSent) });
      },
    }).finally(() => bar?.stop());
    if (mode.json) return printJson(dataset);
    printFields([
      ['datasetId', dataset.datasetId], ['name', dataset.name], ['format', dataset.format], ['size', dataset.size],
      ['records', dataset.rowCount], ['cases', dataset.cases], ['events', dataset.events], ['activities', dataset.activities],
      ['data quality', dataset.dataQualityScore], ['warnings', dataset.warnings.map((w) => `${w.message} (${w.count})`).join('; ') || null],
    ]);
  });

const jobs = program.command('jobs').description('submit, follow and manage jobs');

jobs.command('submit')
  .description('submit a job, from flags or a JSON file with the request body (flags win over the file)')
  .option('-f, --file <file>', 'JSON body as the API takes it (jobName, jobType, parameters, scheduling, …)')
  .option('--name <name>', 'jobName')
  .addOption(new Option('--type <type>', 'jobType').choices(JOB_TYPES))
  .addOption(new Option('--priority <priority>', 'priority').choices(PRIORITIES))
  .option('--description <text>', 'jobDescription')
  .option('--dataset <id>', 'parameters.datasetId')
  .option('-p, --param <key=value>', 'a parameter (repeatable; JSON values such as true, 5 or ["a"] are read as JSON)', keyValue)
  .option('--timeout <minutes>', 'scheduling.timeoutMinutes', integer)
  .option('--at <time>', 'scheduling.scheduledTime: not started before this ISO 8601 time')
  .option('--max-attempts <n>', 'scheduling.maxAttempts (automatic retries included)', integer)
  .option('--email <address>', 'notifications.emailRecipients (repeatable; notifies on completion and failure)', collect)
  .action(async (options: {
    file?: string; name?: string; type?: string; priority?: string; description?: string; dataset?: string; param?: Record<string, unknown>;
    timeout?: number; at?: string; maxAttempts?: number; email?: string[];
  }, command: Command) => {
    const base = options.file ? (JSON.parse(await readFile(options.file, 'utf8')) as Partial<SubmitJobRequest>) : {};
    const scheduling = {
      ...base.scheduling,
      ...(options.timeout !== undefined && { timeoutMinutes: options.timeout }),
      ...(options.at !== undefined && { scheduledTime: options.at }),
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
    };
    const body = {
      ...base,
      ...(options.name !== undefined && { jobName: options.name }),
      ...(options.type !== undefined && { jobType: options.type }),
      ...(options.priority !== undefined && { priority: options.priority }),
      ...(options.description !== undefined && { jobDescription: options.description }),
      parameters: { ...base.parameters, ...(options.dataset !== undefined && { datasetId: options.dataset }), ...options.param },
      ...(Object.keys(scheduling).length > 0 && { scheduling }),
      ...(options.email && { notifications: { ...base.notifications, onCompletion: true, onFailure: true, emailRecipients: options.email } }),
    } as SubmitJobRequest;
    const submitted = await (await client()).submit(body);
    if (modeOf(command).json) return printJson(submitted);
    printFields([
      ['jobId', submitted.jobId], ['status', submitted.status], ['queuePosition', submitted.queuePosition],
      ['estimatedStartTime', submitted.estimatedStartTime], ['estimatedDuration', submitted.estimatedDuration],
    ]);
  });

jobs.command('watch <jobId>')
  .description('follow a job until it ends: stage, progress, ETA and records/s; the exit code tells how it ended (0 Completed, 2 Failed, 3 Cancelled)')
  .option('--interval <ms>', 'time between two status reads', integer, 1000)
  .action(async (jobId: string, options: { interval: number }, command: Command) => {
    const mode = modeOf(command);
    const bar = progressBar(mode, '{status} [{bar}] {percentage}% | {stage} | ETA {remaining} | {rate} records/s');
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    let lastLine = '';
    const job = await (await client()).waitForCompletion(jobId, {
      intervalMs: options.interval,
      signal: abort.signal,
      onProgress: (status) => {
        const values = {
          status: status.status, stage: status.progress.currentStage,
          remaining: formatSeconds(status.progress.estimatedRemainingSeconds), rate: status.metrics.recordsPerSecond ?? '-',
        };
        if (bar) {
          if (!bar.isActive) bar.start(100, 0, values);
          bar.update(status.progress.percentage, values);
          return;
        }
        if (mode.json) return;
        // Without a terminal: one plain line whenever the status or the stage changes.
        const line = `${status.status} ${status.progress.percentage}% ${status.progress.currentStage}`;
        if (line !== lastLine) process.stdout.write(`${line}\n`);
        lastLine = line;
      },
    }).finally(() => bar?.stop());
    if (mode.json) printJson(job);
    else if (job.status !== 'Completed') process.stdout.write(`${job.status}${job.error ? `: ${job.error.type}: ${job.error.message}` : ''}\n`);
    process.exitCode = exitCodeOf(job);
  });

jobs.command('list')
  .description('the project\'s jobs, newest first, with the list endpoint\'s filters')
  .addOption(new Option('--status <status>').choices(STATUSES))
  .addOption(new Option('--type <type>', 'jobType').choices(JOB_TYPES))
  .addOption(new Option('--priority <priority>').choices(PRIORITIES))
  .option('--submitted-by <subject>')
  .option('--from <time>', 'dateFrom: submitted at or after (ISO 8601)')
  .option('--to <time>', 'dateTo: submitted at or before (a date alone: the end of that day)')
  .addOption(new Option('--dead-lettered <bool>').choices(['true', 'false']))
  .option('--page <n>', 'page number', integer)
  .option('--page-size <n>', 'jobs per page (at most 100)', integer)
  .action(async (options: {
    status?: string; type?: string; priority?: string; submittedBy?: string; from?: string; to?: string; deadLettered?: string; page?: number; pageSize?: number;
  }, command: Command) => {
    const query = Object.fromEntries(Object.entries({
      status: options.status, jobType: options.type, priority: options.priority, submittedBy: options.submittedBy, dateFrom: options.from,
      dateTo: options.to, deadLettered: options.deadLettered, page: options.page, pageSize: options.pageSize,
    }).filter(([, value]) => value !== undefined)) as ListJobsQuery;
    const list = await (await client()).listJobs(query);
    if (modeOf(command).json) return printJson(list);
    printTable(['jobId', 'name', 'type', 'status', 'priority', 'progress', 'submittedBy', 'created'],
      list.jobs.map((j) => [j.jobId, j.jobName, j.jobType, j.status, j.priority, `${j.progress}%`, j.submittedBy, j.dateCreated]));
    const s = list.summary;
    process.stdout.write(`page ${list.page}${list.hasNextPage ? ' (more: --page ' + (list.page + 1) + ')' : ''}; ${s.totalJobs} jobs: ` +
      `${s.queuedJobs} queued, ${s.runningJobs} running, ${s.completedJobs} completed, ${s.failedJobs} failed, ${s.cancelledJobs} cancelled\n`);
  });

jobs.command('results <jobId>')
  .description('an ended job\'s results; --download saves every output in a folder, named by job (<job name>-<job id prefix>-<file>)')
  .addOption(new Option('--format <format>').choices(['summary', 'detailed']).default('summary'))
  .addOption(new Option('--output-type <type>').choices(['reports', 'data', 'models', 'visualizations']))
  .option('--download <dir>', 'folder to save the outputs in (created when missing)')
  .action(async (jobId: string, options: { format: 'summary' | 'detailed'; outputType?: 'reports' | 'data' | 'models' | 'visualizations'; download?: string }, command: Command) => {
    const api = await client();
    const results = await api.getResults(jobId, { format: options.format, ...(options.outputType && { outputType: options.outputType }) });
    const outputs = results.results ? [results.results.primaryOutput, ...results.results.additionalOutputs].filter((a) => a !== null) : [];
    const downloaded: string[] = [];
    if (options.download) {
      await mkdir(options.download, { recursive: true });
      for (const artifact of outputs) downloaded.push(await api.downloadArtifact(jobId, artifact, options.download));
    }
    if (modeOf(command).json) return printJson({ ...results, ...(options.download && { downloaded }) });
    printFields([
      ['status', results.status], ['completionTime', results.completionTime], ['totalDuration', results.totalDuration],
      ['recordsProcessed', results.summary.recordsProcessed], ['dataQualityScore', results.summary.dataQualityScore],
      ['error', results.error ? `${results.error.type}: ${results.error.message}` : null],
    ]);
    printTable(['type', 'title', 'format', 'size', 'artifactId'], outputs.map((a) => [a.type, a.title, a.format, a.size, a.artifactId]));
    for (const file of downloaded) process.stdout.write(`saved ${file}\n`);
  });

jobs.command('cancel <jobId>')
  .description('cancel a queued or running job')
  .option('--reason <text>', 'why (kept in the job\'s history)')
  .option('--force', 'forceTermination: stop the running process at once')
  .option('--discard-partial-results', 'preservePartialResults false: keep no artifact written before the stop')
  .action(async (jobId: string, options: { reason?: string; force?: boolean; discardPartialResults?: boolean }, command: Command) => {
    const cancelled = await (await client()).cancel(jobId, {
      ...(options.reason !== undefined && { reason: options.reason }),
      forceTermination: Boolean(options.force),
      preservePartialResults: !options.discardPartialResults,
    });
    if (modeOf(command).json) return printJson(cancelled);
    process.stdout.write(`${cancelled.message}\n`);
  });

jobs.command('retry <jobId>')
  .description('retry an ended job as a new job')
  .option('--reason <text>', 'retryReason')
  .addOption(new Option('--priority <priority>').choices(PRIORITIES))
  .option('-p, --param <key=value>', 'updatedParameters entry (repeatable; sets modifyParameters)', keyValue)
  .option('--immediate', 'immediateExecution: start as soon as a node is free, ignoring the original scheduled time')
  .action(async (jobId: string, options: { reason?: string; priority?: string; param?: Record<string, unknown>; immediate?: boolean }, command: Command) => {
    const body: RetryJobRequest = {
      ...(options.reason !== undefined && { retryReason: options.reason }),
      ...(options.priority !== undefined && { priority: options.priority as RetryJobRequest['priority'] }),
      ...(options.param && { modifyParameters: true, updatedParameters: options.param }),
      immediateExecution: Boolean(options.immediate),
    };
    const retried = await (await client()).retry(jobId, body);
    if (modeOf(command).json) return printJson(retried);
    printFields([['jobId', retried.jobId], ['status', retried.status], ['attempt', retried.attempt], ['retryOf', retried.retryOf]]);
  });

program.command('status')
  .description('the tenant\'s system status: nodes, queue and performance')
  .action(async (_options: unknown, command: Command) => {
    const status = await (await client()).systemStatus();
    if (modeOf(command).json) return printJson(status);
    const q = status.queueStatistics;
    const p = status.performanceMetrics;
    printFields([
      ['systemStatus', status.systemStatus], ['queued', q.totalQueuedJobs], ['averageWaitTime', q.averageWaitTime],
      ['estimatedProcessingTime', q.estimatedProcessingTime], ['completedToday', p.jobsCompletedToday], ['successRate', p.successRate],
    ]);
    printTable(['node', 'status', 'cpu %', 'memory %', 'jobs', 'capacity'],
      status.executionNodes.map((n) => [n.nodeId, n.status, n.cpuUsage, n.memoryUsage, n.activeJobs, n.jobCapacity]));
  });

function exitCodeOf(job: JobStatus): number {
  return job.status === 'Completed' ? EXIT_CODES.completed : job.status === 'Cancelled' ? EXIT_CODES.cancelled : EXIT_CODES.failed;
}

try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof PmJobsApiError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`pmjobs: ${message}\n`);
  if (error instanceof PmJobsApiError && program.opts().json) process.stderr.write(`${JSON.stringify(error.body)}\n`);
  process.exitCode = EXIT_CODES.error;
}

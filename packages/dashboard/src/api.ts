/**
 * Every call the dashboard makes to the service, typed with the fields it reads: one place,
 * so it can move to the SDK without touching the pages. Paths, fields and enum values are
 * the Job Execution API's (README, "API notes beyond the reference").
 */
import { createParser } from 'eventsource-parser';

export const JOB_STATUSES = ['Queued', 'Running', 'Completed', 'Failed', 'Cancelled'] as const;
export const JOB_TYPES = ['ProcessMining', 'DataEnrichment', 'Notebook', 'Analysis'] as const;
export const PRIORITIES = ['Low', 'Normal', 'High', 'Critical'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobType = (typeof JOB_TYPES)[number];
export type Priority = (typeof PRIORITIES)[number];

/** The API's error body: `{statusCode, error, message, errors?: [{field, message}]}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message with every named field, as a person reads it. */
  describe(): string {
    if (this.fieldErrors.length === 0) return this.message;
    return `${this.message}: ${this.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
  }
}

export interface JobListItem {
  jobId: string;
  jobType: JobType;
  jobName: string;
  status: JobStatus;
  priority: Priority;
  progress: number;
  startTime: string | null;
  endTime: string | null;
  duration: string | null;
  estimatedCompletion: string | null;
  submittedBy: string;
  dateCreated: string;
  attempt: number;
  deadLettered: boolean;
}

export interface JobList {
  jobs: JobListItem[];
  summary: { totalJobs: number; runningJobs: number; queuedJobs: number; completedJobs: number; failedJobs: number; cancelledJobs?: number };
  page: number;
  pageSize: number;
  hasNextPage: boolean;
}

export interface JobListFilters {
  status?: string;
  jobType?: string;
  priority?: string;
  submittedBy?: string;
  dateFrom?: string;
  dateTo?: string;
  page?: number;
  pageSize?: number;
}

export interface JobStatusView {
  jobId: string;
  jobType: JobType;
  jobName: string;
  jobDescription: string | null;
  status: JobStatus;
  priority: Priority;
  progress: { percentage: number; currentStage: string | null; estimatedCompletion: string | null; elapsedTime: string | null };
  execution: {
    startTime: string | null; endTime: string | null; submittedBy: string; executionNode: string | null;
    memoryUsage: string | null; cpuUsage: string | null; diskUsage: string | null;
  };
  metrics: { recordsProcessed: number; totalRecords: number | null; errorCount: number; warningCount: number; averageProcessingRate: string | null };
  parameters: Record<string, unknown>;
  scheduling: { scheduledTime?: string | null; timeoutMinutes?: number | null; maxAttempts: number };
  queuePosition?: number | null;
  estimatedStartTime?: string | null;
  retryOf: string | null;
  retriedAs: string | null;
  attempt: number;
  cancellation: { reason?: string | null; requestedAt?: string } | null;
  error: { type: string; message: string } | null;
  hold: { heldBy: string; heldAt: string; reason: string | null } | null;
  nextRetryAt: string | null;
  deadLettered: boolean;
  dateCreated: string;
  lastUpdated: string;
}

export interface HistoryEvent {
  revision: number;
  position: string;
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { actor?: string; correlationId?: string } & Record<string, unknown>;
}

export interface Artifact {
  artifactId: string;
  type: string;
  title: string;
  format: string;
  outputType: string;
  size: string;
  downloadUrl: string;
}

export interface JobResults {
  jobId: string;
  status: JobStatus;
  completionTime: string | null;
  totalDuration: string | null;
  success: boolean;
  summary: { recordsProcessed: number; outputsGenerated: number; dataQualityScore: number | null; processingEfficiency: number | null };
  results: { primaryOutput: Artifact | null; additionalOutputs: Artifact[] };
  executionMetrics: { totalCpuTime: string | null; peakMemoryUsage: string | null; diskIoOperations: number | null; networkDataTransfer: string | null } | null;
}

export interface SubmitJobRequest {
  jobName: string;
  jobDescription?: string;
  jobType: JobType;
  priority: Priority;
  parameters: Record<string, unknown>;
  scheduling?: { executeImmediately?: boolean; timeoutMinutes?: number };
}

export interface SubmitJobAnswer {
  jobId: string;
  status: JobStatus;
  queuePosition: number | null;
  estimatedStartTime: string | null;
}

export interface CancelJobRequest {
  reason?: string;
  forceTermination?: boolean;
  preservePartialResults?: boolean;
}

export interface RetryJobRequest {
  retryReason?: string;
  modifyParameters?: boolean;
  updatedParameters?: { timeoutMinutes?: number; retryFailedRecords?: boolean; increaseMemoryLimit?: boolean };
  priority?: Priority;
  immediateExecution?: boolean;
}

export interface ExecutionNode {
  nodeId: string;
  status: 'Active' | 'Draining' | 'Unresponsive';
  cpuUsage: number;
  memoryUsage: number | null;
  activeJobs: number;
  jobCapacity: number;
  lastHeartbeat: string;
}

export interface ProjectionStatus {
  name: string;
  checkpoint: string | null;
  lagEvents: number | null;
  lagSeconds: number | null;
  leader: string | null;
  rebuilding: unknown;
}

export interface SystemStatus {
  systemStatus: 'Healthy' | 'Degraded' | 'Unhealthy';
  timestamp: string;
  executionNodes: ExecutionNode[];
  queueStatistics: {
    totalQueuedJobs: number; criticalPriorityJobs: number; highPriorityJobs: number; normalPriorityJobs: number; lowPriorityJobs: number;
    averageWaitTime: string | null; estimatedProcessingTime: string | null; deadLetteredJobs: number;
  };
  performanceMetrics: {
    jobsCompletedToday: number; jobsFailedToday: number; averageJobDuration: string | null; successRate: number | null; throughputPerHour: number;
  };
  resourceUtilization: {
    totalCpuCapacity: number; usedCpuCapacity: number; totalMemoryCapacity: string; usedMemoryCapacity: string; diskSpaceAvailable: string | null;
  };
  projections: ProjectionStatus[];
}

export interface QueueView {
  queueStatus: 'Active' | 'Paused';
  summary: { totalQueuedJobs: number; heldJobs: number; averageWaitTime: string | null; estimatedProcessingTime: string | null };
  processingCapacity: { activeWorkers: number; totalWorkers: number; currentLoad: number | null; maxConcurrentJobs: number; currentlyRunning: number };
}

export interface Dataset {
  datasetId: string;
  name: string;
  format: string;
  size: string;
  rowCount: number;
  columns: string[];
  columnMapping: Record<string, string | null>;
  cases: number | null;
  events: number | null;
  activities: number | null;
  dataQualityScore: number | null;
  warnings: { type?: string; message: string; count?: number }[];
  createdBy: string;
  createdAt: string;
}

export interface DatasetUpload {
  file: File;
  name?: string;
  caseColumn?: string;
  activityColumn?: string;
  timestampColumn?: string;
  resourceColumn?: string;
}

export interface LocalSignIn {
  tenantId: string;
  projectId: string;
  subject: string;
  role: 'viewer' | 'operator' | 'admin';
}

/** One event of the feed, as the history shows it plus its stream. */
export interface FeedEvent extends HistoryEvent {
  streamId: string;
  jobId: string | null;
}

function errorFrom(status: number, statusText: string, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { message?: string | string[]; errors?: { field: string; message: string }[] };
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    return new ApiError(status, message || statusText, body.errors ?? []);
  } catch {
    return new ApiError(status, text || statusText);
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  return errorFrom(response.status, response.statusText, await response.text());
}

function queryString(values: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Same-origin path of a `downloadUrl` (its base may be PUBLIC_BASE_URL). */
export function pathOf(url: string): string {
  const parsed = new URL(url, location.origin);
  return parsed.pathname + parsed.search;
}

/** The API as one signed-in user of one tenant and project sees it. */
export class ExecutionApi {
  constructor(
    readonly token: string,
    readonly tenantId: string,
    readonly projectId: string,
    /** Called on a 401: the token expired or was revoked. */
    private readonly onUnauthorized: (error: ApiError) => void = () => undefined,
  ) {}

  private get projectBase(): string {
    return `/api/${this.tenantId}/${this.projectId}`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.status === 401) this.onUnauthorized(error);
      throw error;
    }
    return (await response.json()) as T;
  }

  listJobs(filters: JobListFilters): Promise<JobList> {
    return this.request('GET', `${this.projectBase}/execution/jobs${queryString({ ...filters })}`);
  }

  getJob(jobId: string): Promise<JobStatusView> {
    return this.request('GET', `${this.projectBase}/execution/job/${jobId}`);
  }

  getHistory(jobId: string): Promise<{ jobId: string; events: HistoryEvent[] }> {
    return this.request('GET', `${this.projectBase}/execution/job/${jobId}/history`);
  }

  getResults(jobId: string): Promise<JobResults> {
    return this.request('GET', `${this.projectBase}/execution/job/${jobId}/results?format=summary&includeArtifacts=true`);
  }

  submitJob(job: SubmitJobRequest): Promise<SubmitJobAnswer> {
    return this.request('POST', `${this.projectBase}/execution/job`, job);
  }

  cancelJob(jobId: string, request: CancelJobRequest): Promise<{ jobId: string; status: string }> {
    return this.request('DELETE', `${this.projectBase}/execution/job/${jobId}`, request);
  }

  retryJob(jobId: string, request: RetryJobRequest): Promise<{ jobId: string; status: string }> {
    return this.request('POST', `${this.projectBase}/execution/job/${jobId}/retry`, request);
  }

  getQueue(): Promise<QueueView> {
    return this.request('GET', `${this.projectBase}/execution/queue?includeEstimates=true&pageSize=1`);
  }

  getSystemStatus(): Promise<SystemStatus> {
    return this.request('GET', `/api/${this.tenantId}/execution/system/status`);
  }

  getDataset(datasetId: string): Promise<Dataset> {
    return this.request('GET', `${this.projectBase}/datasets/${datasetId}`);
  }

  /** An artifact's bytes (the download needs the token, so a plain link cannot fetch it). */
  async download(downloadUrl: string): Promise<Blob> {
    const response = await fetch(pathOf(downloadUrl), { headers: { Authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw await errorOf(response);
    return response.blob();
  }

  /** Uploads an event log as multipart `file`, reporting the bytes sent (XMLHttpRequest: fetch has no upload progress). */
  uploadDataset(upload: DatasetUpload, onProgress: (sent: number, total: number) => void): Promise<Dataset> {
    const { file, ...options } = upload;
    const url = `${this.projectBase}/datasets${queryString({ ...options, name: options.name || file.name })}`;
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('Authorization', `Bearer ${this.token}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
      xhr.onerror = () => reject(new ApiError(0, 'The upload was interrupted (network error)'));
      xhr.onload = () => {
        if (xhr.status === 201) resolve(JSON.parse(xhr.responseText) as Dataset);
        else reject(errorFrom(xhr.status, xhr.statusText, xhr.responseText));
      };
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  }

  /**
   * Follows the project's event feed (or one job's) as server-sent events after `from`.
   * EventSource cannot send the Authorization header, so this reads the stream with fetch and
   * parses it with eventsource-parser. Resolves when the stream ends; rejects on an HTTP error.
   */
  async followEvents(options: { jobId?: string; from?: string | null; signal: AbortSignal; onEvent: (event: FeedEvent) => void }): Promise<void> {
    const path = options.jobId
      ? `${this.projectBase}/execution/job/${options.jobId}/events`
      : `${this.projectBase}/execution/events${queryString({ from: options.from ?? undefined })}`;
    const response = await fetch(path, {
      headers: { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' },
      signal: options.signal,
    });
    if (!response.ok || !response.body) throw await errorOf(response);
    const parser = createParser({
      onEvent: (message) => {
        if (message.data) options.onEvent(JSON.parse(message.data) as FeedEvent);
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  }
}

/** Local sign-in on the embedded service: whether this browser may, and the token it mints. */
export const localSignIn = {
  async availability(): Promise<{ available: boolean; reason: string | null }> {
    const response = await fetch('/dashboard/local-sign-in', { headers: { Accept: 'application/json' } });
    if (!response.ok) return { available: false, reason: (await errorOf(response)).message };
    return (await response.json()) as { available: boolean; reason: string | null };
  },
  async mint(request: LocalSignIn): Promise<{ token: string; expiresAt: string }> {
    const response = await fetch('/dashboard/local-sign-in', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(request),
    });
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as { token: string; expiresAt: string };
  },
};

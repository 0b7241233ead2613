/**
 * A typed client of the Job Execution API. `api` is the openapi-fetch client over the generated
 * `paths` (every endpoint, typed); the methods beside it are the common flows, with the tenant and
 * project filled in and errors thrown as `PmJobsApiError`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api-types.js';

export type { components, paths } from './api-types.js';
export type Schemas = components['schemas'];
export type SubmitJobRequest = Schemas['SubmitJobRequestDto'];
export type SubmitJobResponse = Schemas['SubmitJobResponseDto'];
export type JobStatus = Schemas['JobStatusDto'];
export type JobListItem = Schemas['JobListItemDto'];
export type JobList = Schemas['JobListDto'];
export type JobResults = Schemas['JobResultsDto'];
export type Artifact = Schemas['ArtifactDto'];
export type Dataset = Schemas['DatasetDto'];
export type SystemStatus = Schemas['SystemStatusDto'];
export type CancelJobRequest = Schemas['CancelJobRequestDto'];
export type CancelJobResponse = Schemas['CancelJobResponseDto'];
export type RetryJobRequest = Schemas['RetryJobRequestDto'];
export type ApiErrorBody = Schemas['ApiErrorDto'];
export type ListJobsQuery = NonNullable<paths['/api/{tenantId}/{projectId}/execution/jobs']['get']['parameters']['query']>;
export type JobResultsQuery = NonNullable<paths['/api/{tenantId}/{projectId}/execution/job/{jobId}/results']['get']['parameters']['query']>;
export type UploadDatasetOptions = NonNullable<paths['/api/{tenantId}/{projectId}/datasets']['post']['parameters']['query']> & {
  /** Called as the file is read into the request: bytes so far and the file's size. */
  readonly onProgress?: (progress: { readonly bytesSent: number; readonly totalBytes: number }) => void;
  readonly signal?: AbortSignal;
};

export type JobStatusValue = JobStatus['status'];
/** A job in one of these has ended; nothing changes it any more (a retry is a new job). */
export const TERMINAL_STATUSES: readonly JobStatusValue[] = ['Completed', 'Failed', 'Cancelled'];

export function isTerminal(status: JobStatusValue): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export interface PmJobsClientOptions {
  /** Where the service answers, e.g. http://localhost:3000 (no /api). */
  readonly baseUrl: string;
  /** The Bearer token (JWT) sent with every request. */
  readonly token: string;
  readonly tenantId: string;
  readonly projectId: string;
  /** Another fetch (a proxy agent, a test double of the network); the global one by default. */
  readonly fetch?: typeof fetch;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface WaitOptions extends RequestOptions {
  /** Time between two status reads, ms (default 1000). */
  readonly intervalMs?: number;
  /** Every status read, the last (ended) one included. */
  readonly onProgress?: (job: JobStatus) => void;
}

/** A 4xx or 5xx answer: its status and the service's error body (`{statusCode, error, message, errors?}`). */
export class PmJobsApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody | null) {
    const fields = body?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    super(`HTTP ${status}: ${body?.message ?? 'no error body'}${fields ? ` (${fields})` : ''}`);
    this.name = 'PmJobsApiError';
  }
}

const UPLOAD_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.csv': 'text/csv', '.xes': 'application/xml', '.xml': 'application/xml', '.gz': 'application/gzip',
};

export class PmJobsClient {
  /** Every endpoint of the OpenAPI document, typed (paths, parameters, bodies and answers). */
  readonly api: Client<paths>;
  private readonly scope: { readonly tenantId: string; readonly projectId: string };
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: PmJobsClientOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.api = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { Authorization: `Bearer ${options.token}` },
      fetch: (request) => this.fetchImpl(request),
    });
    this.scope = { tenantId: options.tenantId, projectId: options.projectId };
  }

  async submit(body: SubmitJobRequest, options: RequestOptions = {}): Promise<SubmitJobResponse> {
    return answer(await this.api.POST('/api/{tenantId}/{projectId}/execution/job', { params: { path: this.scope }, body, signal: options.signal }));
  }

  async getJob(jobId: string, options: RequestOptions = {}): Promise<JobStatus> {
    return answer(await this.api.GET('/api/{tenantId}/{projectId}/execution/job/{jobId}', {
      params: { path: { ...this.scope, jobId } }, signal: options.signal,
    }));
  }

  async listJobs(query: ListJobsQuery = {}, options: RequestOptions = {}): Promise<JobList> {
    return answer(await this.api.GET('/api/{tenantId}/{projectId}/execution/jobs', { params: { path: this.scope, query }, signal: options.signal }));
  }

  async getResults(jobId: string, query: JobResultsQuery = {}, options: RequestOptions = {}): Promise<JobResults> {
    return answer(await this.api.GET('/api/{tenantId}/{projectId}/execution/job/{jobId}/results', {
      params: { path: { ...this.scope, jobId }, query }, signal: options.signal,
    }));
  }

  async cancel(jobId: string, body: CancelJobRequest = {}, options: RequestOptions = {}): Promise<CancelJobResponse> {
    return answer(await this.api.DELETE('/api/{tenantId}/{projectId}/execution/job/{jobId}', {
      params: { path: { ...this.scope, jobId } }, body, signal: options.signal,
    }));
  }

  async retry(jobId: string, body: RetryJobRequest = {}, options: RequestOptions = {}): Promise<SubmitJobResponse> {
    return answer(await this.api.POST('/api/{tenantId}/{projectId}/execution/job/{jobId}/retry', {
      params: { path: { ...this.scope, jobId } }, body, signal: options.signal,
    }));
  }

  async systemStatus(options: RequestOptions = {}): Promise<SystemStatus> {
    return answer(await this.api.GET('/api/{tenantId}/execution/system/status', {
      params: { path: { tenantId: this.scope.tenantId } }, signal: options.signal,
    }));
  }

  /** Reads the job's status every `intervalMs` until it has ended; resolves with that last status. Rejects when `signal` aborts. */
  async waitForCompletion(jobId: string, options: WaitOptions = {}): Promise<JobStatus> {
    const intervalMs = options.intervalMs ?? 1000;
    for (;;) {
      options.signal?.throwIfAborted();
      const job = await this.getJob(jobId, { signal: options.signal });
      options.onProgress?.(job);
      if (isTerminal(job.status)) return job;
      await sleep(intervalMs, undefined, { signal: options.signal });
    }
  }

  /**
   * Streams an artifact of the job's results into `dir` under the name the server gives, which
   * names the job (e.g. `weekly-3f2a9c1d-report.html`), written beside it first so that no half
   * file ever has that name.
   * Resolves with the file's path.
   */
  async downloadArtifact(jobId: string, artifact: Pick<Artifact, 'artifactId'> | string, dir: string, options: RequestOptions = {}): Promise<string> {
    const artifactId = typeof artifact === 'string' ? artifact : artifact.artifactId;
    const { data, error, response } = await this.api.GET('/api/{tenantId}/{projectId}/execution/job/{jobId}/artifacts/{artifactId}', {
      params: { path: { ...this.scope, jobId, artifactId } }, parseAs: 'stream', signal: options.signal,
    });
    if (error !== undefined || !data) throw new PmJobsApiError(response.status, errorBody(error));
    // The server names a download by its job (name and id prefix); without a name, by job id and artifact.
    const target = path.join(dir, fileNameOf(response.headers.get('content-disposition')) ?? `${jobId}-${artifactId}`);
    const partial = `${target}.part`;
    try {
      await pipeline(Readable.fromWeb(data as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(partial));
      await rename(partial, target);
    } catch (failure) {
      await rm(partial, { force: true });
      throw failure;
    }
    return target;
  }

  /** Uploads an event log (CSV or XES, plain or gzipped), streamed from the file; resolves with the dataset as registered. */
  async uploadDataset(file: string, options: UploadDatasetOptions = {}): Promise<Dataset> {
    const { onProgress, signal, ...query } = options;
    const totalBytes = (await stat(file)).size;
    const chunks = createReadStream(file)[Symbol.asyncIterator]();
    let bytesSent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) return controller.close();
        const chunk = next.value as Buffer;
        bytesSent += chunk.length;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        onProgress?.({ bytesSent, totalBytes });
      },
      async cancel() {
        await chunks.return?.();
      },
    });
    const search = new URLSearchParams({ name: path.basename(file) });
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/api/${encodeURIComponent(this.scope.tenantId)}/${encodeURIComponent(this.scope.projectId)}/datasets?${search}`;
    const response = await this.fetchImpl(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.options.token}`, 'Content-Type': UPLOAD_CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'text/csv' },
      body,
      duplex: 'half',
      signal,
    } as RequestInit);
    const parsed: unknown = await response.json().catch(() => null);
    if (!response.ok) throw new PmJobsApiError(response.status, errorBody(parsed));
    return parsed as Dataset;
  }
}

function answer<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) throw new PmJobsApiError(result.response.status, errorBody(result.error));
  return result.data;
}

function errorBody(error: unknown): ApiErrorBody | null {
  return typeof error === 'object' && error !== null && 'message' in error ? (error as ApiErrorBody) : null;
}

/** The (ASCII) `filename` parameter, quoted or a bare token as the server may send either. */
function fileNameOf(contentDisposition: string | null): string | null {
  const match = contentDisposition ? /filename=(?:"([^"]+)"|([^;\s]+))/.exec(contentDisposition) : null;
  const name = match?.[1] ?? match?.[2];
  return name ? path.basename(name) : null;
}

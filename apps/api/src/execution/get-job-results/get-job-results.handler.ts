import { readFile } from 'node:fs/promises';
import { ConflictException, Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FIGURES_ARTIFACT_TYPE, type JobArtifact, type JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { formatBytes, formatDuration } from '../../../../../libs/human-format/src/human-format.js';
import { STORES } from '../shared/execution.tokens.js';
import { GetJobResultsQuery } from './get-job-results.query.js';


export function artifactDownloadPath(job: JobState, artifactId: string): string {
  return `/api/${job.tenantId}/${job.projectId}/execution/job/${job.jobId}/artifacts/${artifactId}`;
}

function artifactView(job: JobState, artifact: JobArtifact, baseUrl: string) {
  return {
    artifactId: artifact.artifactId,
    type: artifact.type,
    title: artifact.title,
    format: artifact.format,
    outputType: artifact.outputType,
    size: formatBytes(artifact.sizeBytes),
    sizeBytes: artifact.sizeBytes,
    ...(artifact.recordCount !== undefined ? { recordCount: artifact.recordCount } : {}),
    ...(artifact.accuracy !== undefined ? { accuracy: artifact.accuracy } : {}),
    ...(artifact.metrics ? { metrics: artifact.metrics } : {}),
    ...(artifact.datasetId ? { datasetId: artifact.datasetId } : {}),
    downloadUrl: `${baseUrl}${artifactDownloadPath(job, artifact.artifactId)}`,
  };
}

@QueryHandler(GetJobResultsQuery)
export class GetJobResultsHandler implements IQueryHandler<GetJobResultsQuery> {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  /** The job with its outcome, or the reason there is none yet. */
  async loadFinishedJob(query: GetJobResultsQuery): Promise<JobState> {
    const job = await this.stores.jobs.getJob(query.tenantId, query.projectId, query.jobId);
    if (!job) throw new NotFoundException('Job not found');
    if (job.status === 'Queued' || job.status === 'Running') {
      throw new ConflictException(`Job is ${job.status}; results are available once it has ended`);
    }
    return job;
  }

  async execute(query: GetJobResultsQuery) {
    const job = await this.loadFinishedJob(query);
    const outcome = job.outcome;
    const includeArtifacts = query.request.includeArtifacts ?? true;
    const wanted = (a: JobArtifact) => !query.request.outputType || a.outputType === query.request.outputType;
    const artifacts = (outcome?.artifacts ?? []).filter(wanted);
    const primary = artifacts.find((a) => a.primary) ?? null;
    const durationSeconds = job.startedAt && job.endedAt ? (Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000 : null;
    const execution = outcome?.execution;
    const response: Record<string, unknown> = {
      jobId: job.jobId,
      status: job.status,
      completionTime: job.endedAt,
      totalDuration: durationSeconds === null ? null : formatDuration(durationSeconds),
      totalDurationSeconds: durationSeconds,
      success: job.status === 'Completed',
      error: job.failure ? { type: job.failure.errorType, message: job.failure.message } : null,
      summary: {
        recordsProcessed: outcome?.recordsProcessed ?? 0,
        outputsGenerated: outcome?.artifacts.length ?? 0,
        dataQualityScore: outcome?.dataQualityScore ?? null,
        // Share of the job's wall time its process spent on the CPU (measured).
        processingEfficiency: execution && execution.cpuTimeSeconds !== null && execution.wallTimeSeconds > 0
          ? Math.round((execution.cpuTimeSeconds / execution.wallTimeSeconds) * 1000) / 10
          : null,
      },
      results: includeArtifacts
        ? {
          primaryOutput: primary ? artifactView(job, primary, query.baseUrl) : null,
          additionalOutputs: artifacts.filter((a) => a !== primary).map((a) => artifactView(job, a, query.baseUrl)),
        }
        : null,
      executionMetrics: execution
        ? {
          // null where the job's process could not be measured (e.g. killed before its first sample).
          totalCpuTime: execution.cpuTimeSeconds === null ? null : formatDuration(execution.cpuTimeSeconds),
          totalCpuSeconds: execution.cpuTimeSeconds,
          peakMemoryUsage: execution.peakMemoryBytes === null ? null : formatBytes(execution.peakMemoryBytes),
          peakMemoryBytes: execution.peakMemoryBytes,
          diskIoOperations: execution.diskIoOperations,
          diskBytesWritten: execution.diskBytesWritten,
          // Jobs read local files only; network transfer is not measured.
          networkDataTransfer: null,
        }
        : null,
      qualityMetrics: {
        dataValidation: outcome?.dataValidation ?? null,
        processingErrors: outcome?.processingErrors ?? [],
        warnings: outcome?.warnings ?? [],
      },
    };
    if (query.request.format === 'detailed') response.figures = await this.readFigures(job);
    return response;
  }

  private async readFigures(job: JobState): Promise<unknown> {
    const artifact = job.outcome?.artifacts.find((a) => a.type === FIGURES_ARTIFACT_TYPE);
    if (!artifact) return null;
    const file = this.stores.files.jobArtifactPath(job.tenantId, job.projectId, job.jobId, artifact.fileName, job.outcome);
    return JSON.parse(await readFile(file, 'utf8'));
  }
}

import { BadRequestException, Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { JobLogEntry, JobLogSummary } from '../../../../../libs/job-logs/src/job-log.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { parseApiDate } from '../../http/api-dates.js';
import { STORES } from '../shared/execution.tokens.js';
import { DEFAULT_LOG_LIMIT } from './get-job-logs.request.dto.js';
import { GetJobLogsQuery } from './get-job-logs.query.js';

export interface JobLogsView {
  readonly jobId: string;
  readonly jobName: string;
  readonly jobStatus: string;
  /** Counts over the job's whole log, whatever the filters. */
  readonly logsSummary: JobLogSummary;
  /** The lines passing the filters, oldest first, at most `limit`. */
  readonly logs: readonly JobLogEntry[];
}

@QueryHandler(GetJobLogsQuery)
export class GetJobLogsHandler implements IQueryHandler<GetJobLogsQuery, JobLogsView> {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async execute(query: GetJobLogsQuery): Promise<JobLogsView> {
    const { level = 'INFO', fromTime, toTime, limit = DEFAULT_LOG_LIMIT } = query.request;
    const from = fromTime === undefined ? undefined : parseApiDate(fromTime);
    const to = toTime === undefined ? undefined : parseApiDate(toTime, 'end of day');
    if (from && to && from > to) {
      const message = 'fromTime must not be after toTime';
      throw new BadRequestException({ message, errors: [{ field: 'fromTime', message }] });
    }
    const job = await this.stores.jobs.getJob(query.tenantId, query.projectId, query.jobId);
    if (!job) throw new NotFoundException('Job not found');
    const [logsSummary, lines] = await Promise.all([
      this.stores.jobLogs.summarize(job.jobId),
      this.stores.jobLogs.read(job.jobId, { minLevel: level, fromTime: from, toTime: to, limit }),
    ]);
    return {
      jobId: job.jobId, jobName: job.jobName, jobStatus: job.status, logsSummary,
      logs: lines.map(({ timestamp, level: lineLevel, component, stage, message, details }) => ({ timestamp, level: lineLevel, component, stage, message, details })),
    };
  }
}

/** One line of the raw format: time, level, component, stage, message, and the details as JSON when there are any. */
export function rawLogLine(line: JobLogEntry): string {
  const details = Object.keys(line.details).length > 0 ? ` ${JSON.stringify(line.details)}` : '';
  return `${line.timestamp} ${line.level.padEnd(5)} [${line.component}] (${line.stage}) ${line.message.replace(/\r?\n/g, ' ')}${details}`;
}

import { Controller, Get, Inject, NotFoundException, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { JobArtifact, JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { JobResultsDto } from '../shared/job-views.dto.js';
import { STORES } from '../shared/execution.tokens.js';
import { publicBaseUrl } from '../shared/request-context.js';
import { GetJobResultsHandler } from './get-job-results.handler.js';
import { GetJobResultsQuery } from './get-job-results.query.js';
import { GetJobResultsRequestDto } from './get-job-results.request.dto.js';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', svg: 'image/svg+xml', csv: 'text/csv; charset=utf-8', json: 'application/json',
};

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class GetJobResultsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly resultsHandler: GetJobResultsHandler,
    @Inject(STORES) private readonly stores: Stores,
  ) {}

  @Get('job/:jobId/results')
  @ApiOperation({
    summary: 'Get Job Results',
    description: 'Outputs of an ended job. format=detailed adds `figures` (every computed figure); format=download streams the primary output. A job still Queued or Running: 409.',
  })
  @ApiResponse({ status: 200, type: JobResultsDto })
  @ApiErrorResponses(400, 401, 404, 409)
  async results(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Query() query: GetJobResultsRequestDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const q = new GetJobResultsQuery(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), query, publicBaseUrl(request));
    if (query.format !== 'download') {
      response.json(await this.queries.execute(q));
      return;
    }
    const job = await this.resultsHandler.loadFinishedJob(q);
    const primary = job.outcome?.artifacts.find((a) => a.primary && (!query.outputType || a.outputType === query.outputType));
    if (!primary) throw new NotFoundException('The job has no primary output to download');
    this.stream(job, primary, response);
  }

  @Get('job/:jobId/artifacts/:artifactId')
  @ApiOperation({ summary: 'Download an artifact', description: 'The file behind a `downloadUrl` of the results.' })
  @ApiProduces('text/html', 'image/svg+xml', 'text/csv', 'application/json')
  @ApiResponse({ status: 200, description: 'The artifact file' })
  @ApiErrorResponses(400, 401, 404)
  async artifact(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Param('artifactId') artifactId: string,
    @Res() response: Response,
  ): Promise<void> {
    const job = await this.stores.jobs.getJob(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase());
    const artifact = job?.outcome?.artifacts.find((a) => a.artifactId === artifactId.toLowerCase());
    if (!job || !artifact) throw new NotFoundException('Artifact not found');
    this.stream(job, artifact, response);
  }

  private stream(job: JobState, artifact: JobArtifact, response: Response): void {
    const file = this.stores.files.jobArtifactPath(job.tenantId, job.projectId, job.jobId, artifact.fileName);
    response.setHeader('Content-Type', CONTENT_TYPES[artifact.format] ?? 'application/octet-stream');
    response.setHeader('Content-Length', String(artifact.sizeBytes));
    response.setHeader('Content-Disposition', `attachment; filename="${artifact.fileName}"`);
    // Reports are self-contained: forbid anything they might try to load or run from elsewhere.
    response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'");
    const stream = this.stores.files.open(file);
    stream.on('error', () => {
      if (!response.headersSent) response.status(404).json({ statusCode: 404, error: 'Not Found', message: 'Artifact file is missing' });
      else response.destroy();
    });
    stream.pipe(response);
  }
}

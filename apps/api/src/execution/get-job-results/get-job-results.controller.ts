import { Controller, Get, Inject, NotFoundException, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { JobArtifact, JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { binaryContent } from '../../http/binary-content.js';
import { attachment } from '../../http/attachment.js';
import { JobResultsDto } from '../shared/job-views.dto.js';
import { STORES } from '../shared/execution.tokens.js';
import { publicBaseUrl } from '../shared/request-context.js';
import { artifactDownloadName } from './artifact-download-name.js';
import { GetJobResultsHandler } from './get-job-results.handler.js';
import { GetJobResultsQuery } from './get-job-results.query.js';
import { GetJobResultsRequestDto } from './get-job-results.request.dto.js';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', svg: 'image/svg+xml', csv: 'text/csv; charset=utf-8', json: 'application/json',
  // Process models: PNML and BPMN 2.0 are XML documents without registered media types of their own.
  pnml: 'application/xml; charset=utf-8', bpmn: 'application/xml; charset=utf-8',
};
const mediaTypeOf = (contentType: string): string => contentType.split(';')[0]!;

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
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async results(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Query() query: GetJobResultsRequestDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const q = new GetJobResultsQuery(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), query, publicBaseUrl(request));
    if (query.format !== 'download') {
      await reply.send(await this.queries.execute(q));
      return;
    }
    const job = await this.resultsHandler.loadFinishedJob(q);
    const primary = job.outcome?.artifacts.find((a) => a.primary && (!query.outputType || a.outputType === query.outputType));
    if (!primary) throw new NotFoundException('The job has no primary output to download');
    await this.stream(job, primary, reply);
  }

  @Get('job/:jobId/artifacts/:artifactId')
  @ApiOperation({ summary: 'Download an artifact', description: 'The file behind a `downloadUrl` of the results.' })
  @ApiOkResponse({ description: 'The artifact file (Content-Disposition names it)', content: binaryContent(...new Set(Object.values(CONTENT_TYPES).map(mediaTypeOf)), 'application/octet-stream') })
  @ApiErrorResponses(400, 401, 403, 404)
  async artifact(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Param('artifactId') artifactId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const job = await this.stores.jobs.getJob(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase());
    const artifact = job?.outcome?.artifacts.find((a) => a.artifactId === artifactId.toLowerCase());
    if (!job || !artifact) throw new NotFoundException('Artifact not found');
    await this.stream(job, artifact, reply);
  }

  private async stream(job: JobState, artifact: JobArtifact, reply: FastifyReply): Promise<void> {
    const file = this.stores.files.jobArtifactPath(job.tenantId, job.projectId, job.jobId, artifact.fileName, job.outcome);
    if (!(await this.stores.files.exists(file))) throw new NotFoundException('Artifact file is missing');
    const { fileName, asciiFileName } = artifactDownloadName(job, artifact.fileName);
    await reply
      .header('Content-Type', CONTENT_TYPES[artifact.format] ?? 'application/octet-stream')
      .header('Content-Length', String(artifact.sizeBytes))
      .header('Content-Disposition', attachment(fileName, asciiFileName))
      // Reports are self-contained: forbid anything they might try to load or run from elsewhere.
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'")
      .send(this.stores.files.open(file));
  }
}

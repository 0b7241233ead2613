/**
 * Builds the whole service of one process: stores, the job projection, the job
 * supervisor and the notifications (each run only while this process leads its role), an
 * optional in-process execution node, and the HTTP app. `main.ts` runs
 * it; end-to-end tests start the built server as a real process.
 */
import { NestFactory } from '@nestjs/core';
import { LogController } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { resolveSigningSecret, signingKeyId } from '../../../libs/auth/src/token.js';
import type { ServiceConfig } from '../../../libs/config/src/service-config.js';
import { checkStoreLocations } from '../../../libs/config/src/store-locations.js';
import { DEFAULT_IMPORTER_OPTIONS, DatasetImporter } from '../../../libs/datasets/src/import/dataset-importer.js';
import { ExecutionNode, jobRunnerOptions } from '../../../libs/execution-node/src/execution-node.js';
import { JobSupervisor, supervisorOptions } from '../../../libs/execution-node/src/job-supervisor.js';
import { createNotifications, loadNotificationConfig } from '../../../libs/notifications/src/index.js';
import { JobRepository } from '../../../libs/job-domain/src/index.js';
import { AutomaticRetries, automaticRetriesOptions } from '../../../libs/automatic-retries/src/automatic-retries.js';
import { Pipelines } from '../../../libs/pipelines/src/pipelines.js';
import { LEADER_ROLES, startAll, stopAll, whileLeading } from '../../../libs/lifecycle/src/index.js';
import { JobProjection } from '../../../libs/read-store/src/projections/job-projection.js';
import { openLeaderElection } from '../../../libs/storage/src/open-leader-election.js';
import { openStores } from '../../../libs/storage/src/open-stores.js';
import { openProjectionRebuilds } from '../../../libs/storage/src/open-projection-rebuilds.js';
import { JOB_PROJECTION } from '../../../libs/read-store/src/projections/job-projection.js';
import { AppModule } from './app.module.js';
import { CommandBus } from '@nestjs/cqrs';
import { ScheduleFirer, ScheduleRepository } from '../../../libs/schedules/src/index.js';
import { CommandBusJobLauncher } from './schedules/shared/command-bus-job-launcher.js';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { RAW_UPLOAD_CONTENT_TYPES } from './datasets/upload-dataset/upload-dataset.controller.js';
import { ApiErrorFilter, sendClientError, sendFrameworkError } from './http/api-error.filter.js';
import { RequestShapeInterceptor, registerBodyLimits } from './http/request-limits.js';
import { createValidationPipe } from './http/validation.js';
import { buildOpenApiDocument } from './http/openapi-document.js';
import { generateRequestId, registerRequestTelemetry } from './http/request-telemetry.js';
import { NestPinoLogger, ServiceMetrics, type Logger, type TelemetryConfig } from '../../../libs/telemetry/src/index.js';

export interface RunningService {
  readonly app: NestFastifyApplication;
  readonly url: string;
  /** The `kid` of tokens signed with this service's secret (`npm run token` prints its own). */
  readonly signingKeyId: string;
  /** Rebuilds the job views blue/green (a fresh copy, then a switch) while the API keeps serving; resolves with the job events folded once switched. */
  rebuildJobProjection(): Promise<number>;
  close(): Promise<void>;
}

/** The process's logger and telemetry settings (main.ts makes them; tests may pass their own). */
export interface ServiceTelemetry {
  readonly config: TelemetryConfig;
  readonly logger: Logger;
}

export async function startService(config: ServiceConfig, telemetry: ServiceTelemetry): Promise<RunningService> {
  // First, so a too-short secret stops the start before any store is opened.
  const signingSecret = resolveSigningSecret(config.jwtSecret, config.dataDir);
  checkStoreLocations(config.stores, 'api');
  const stores = await openStores(config);
  const metrics = new ServiceMetrics('api');
  const repository = new JobRepository(stores.events, stores.jobWriter, metrics);
  const projection = new JobProjection(stores.events, stores.jobs, console, { jobViewsWrittenWithAppend: repository.viewsWrittenWithAppend });
  metrics.observeQueueDepth(stores.jobs);
  metrics.observeProjectionLag(() => projection.lagSeconds());
  const projectionRebuilds = openProjectionRebuilds(config, stores, projection);
  const supervisor = new JobSupervisor(stores, repository, supervisorOptions(config));
  const notifications = createNotifications(stores, loadNotificationConfig());
  await notifications.migrate();
  // One process at a time runs each of these; the others wait for the stored checkpoints.
  const election = openLeaderElection(config);
  const ledServices = [
    whileLeading(election, 'job-projection', projection),
    whileLeading(election, 'notifications', notifications),
    whileLeading(election, 'supervisor', supervisor),
    whileLeading(election, 'retries', new AutomaticRetries(stores.events, stores.jobs, repository, automaticRetriesOptions(config, stores))),
    whileLeading(election, 'pipelines', new Pipelines(stores.events, stores.jobs, repository)),
  ];
  await election.start(LEADER_ROLES);
  await startAll(ledServices);
  // Uploaded logs are read in import processes: seconds of parsing and a large log's memory stay out of this one.
  const datasetImporter = new DatasetImporter({ ...DEFAULT_IMPORTER_OPTIONS, readyProcesses: config.datasetImportReadyProcesses, readThreads: config.datasetImportReadThreads });
  const node = config.embeddedWorkerCapacity > 0
    ? new ExecutionNode(stores, repository, { nodeId: config.nodeId, capacity: config.embeddedWorkerCapacity, heartbeatSeconds: config.heartbeatSeconds,
      idleHeartbeatSeconds: config.idleHeartbeatSeconds, maxLostAttempts: config.maxLostAttempts, pollIntervalMs: config.claimPollSeconds * 1000, ...jobRunnerOptions(config),
      describeDataset: (request) => datasetImporter.describe(request) })
    : null;
  if (node) metrics.observeRunnerPool(() => node.runnerPoolState);

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({
      config, stores, projection, repository, notifications, signingSecret, datasetImporter,
      telemetry: { config: telemetry.config, metrics }, projectionRebuilds,
    }),
    new FastifyAdapter({
      bodyLimit: 10 * 1024 * 1024,
      requestTimeout: config.limits.requestTimeoutMs,
      keepAliveTimeout: config.limits.keepAliveTimeoutMs,
      frameworkErrors: sendFrameworkError,
      clientErrorHandler: sendClientError,
      loggerInstance: telemetry.logger,
      // Per-request lines come from request-telemetry.ts, at the levels it picks.
      logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
      genReqId: generateRequestId,
    }),
    { logger: new NestPinoLogger(telemetry.logger) },
  );
  await app.register(fastifyMultipart);
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestTelemetry(fastify, metrics);
  registerBodyLimits(fastify, config.limits);
  await serveDashboard(fastify);
  // Event-log uploads arrive as the raw body stream; the controller streams it to disk. Other routes never
  // get here: the body limits answer 415 first.
  fastify.addContentTypeParser(RAW_UPLOAD_CONTENT_TYPES, (_request, payload, done) => done(null, payload));
  app.useGlobalInterceptors(new RequestShapeInterceptor(config.limits));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  // Firings submit through the app's command bus, so the firer starts once the app exists.
  if (stores.schedules) {
    const firer = new ScheduleFirer(new ScheduleRepository(stores.events, stores.schedules), stores.schedules,
      new CommandBusJobLauncher(app.get(CommandBus), stores), { pollIntervalMs: config.schedulePollSeconds * 1000, logger: console });
    const ledFirer = whileLeading(election, 'schedules', firer);
    ledServices.push(ledFirer);
    await ledFirer.start();
  }
  await app.listen(config.port, config.host);
  await node?.start();
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    signingKeyId: signingKeyId(signingSecret),
    async rebuildJobProjection() {
      const { done } = await projectionRebuilds.start(JOB_PROJECTION);
      return (await done).jobEventsFolded;
    },
    async close() {
      // Give the roles up first, so another process takes them over while this one winds down.
      await stopAll(ledServices);
      await election.stop();
      await node?.stop(0);
      // Requests still open after the grace (a slow upload, a long ingest) must not hold the shutdown.
      const cutOff = setTimeout(() => app.getHttpServer().closeAllConnections(), config.limits.shutdownGraceMs);
      await app.close().finally(() => clearTimeout(cutOff));
      await datasetImporter.close();
      await stores.close();
    },
  };
}

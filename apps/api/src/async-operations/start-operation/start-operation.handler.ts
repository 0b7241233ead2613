/**
 * Starts an async operation: one job submitted through the job submit path (validation,
 * priority policy, quota, estimates, read-your-writes), carrying the operation's type, its
 * callbacks and its Slack message. The operation's id is `op-<jobId>`; there is no second
 * state machine.
 */
import { BadRequestException, Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  JOB_PARAMETER_KEYS, validateJobParameters,
} from '../../../../../libs/mining/src/jobs/index.js';
import {
  operationIdOf, operationStatusOf, type OperationCallbacks, type OperationOutputOptions, type SlackNotification,
} from '../../../../../libs/job-domain/src/index.js';
import { webhookSecretProblem, type Notifications } from '../../../../../libs/notifications/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { NOTIFICATIONS, STORES } from '../../execution/shared/execution.tokens.js';
import { SubmitJobCommand } from '../../execution/submit-job/submit-job.command.js';
import type { SubmitJobRequestDto } from '../../execution/submit-job/submit-job.request.dto.js';
import type { SubmitJobResponseDto } from '../../execution/submit-job/submit-job.response.dto.js';
import { EXPORT_FORMATS, OPERATION_TYPES, type OperationTypeDefinition } from '../shared/operation-types.js';
import { StartOperationCommand } from './start-operation.command.js';
import type { OperationCallbacksDto, OperationSlackDto } from './start-operation.request.dto.js';
import type { StartOperationResponseDto } from './start-operation.response.dto.js';

interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

const CALLBACK_NAMES = ['onProgress', 'onCompletion', 'onError'] as const;
const MAX_CALLBACK_URL_LENGTH = 2000;
const ALGORITHM_SETTING_KEYS = ['algorithm', 'noiseThreshold'];
const OUTPUT_OPTION_KEYS = ['generateReports', 'createVisualizations', 'exportFormats'];

@CommandHandler(StartOperationCommand)
export class StartOperationHandler implements ICommandHandler<StartOperationCommand, StartOperationResponseDto> {
  constructor(
    private readonly commands: CommandBus,
    @Inject(STORES) private readonly stores: Stores,
    @Inject(NOTIFICATIONS) private readonly notifications: Notifications,
  ) {}

  async execute(command: StartOperationCommand): Promise<StartOperationResponseDto> {
    const { request, tenantId, projectId } = command;
    const definition: OperationTypeDefinition = OPERATION_TYPES[request.operationType];
    const translated = jobParametersOf(request.operationType, definition, request.parameters);
    const callbacks = this.callbacksOf(request.callbacks);
    const problems = [...translated.problems, ...callbacks.problems];
    if (request.notifications?.slack && !this.notifications.slackConfigured) {
      problems.push({ field: 'notifications.slack', message: 'Slack messages need SLACK_WEBHOOK_URL set on the service' });
    }
    if (problems.length > 0) throw new BadRequestException({ message: 'Validation failed', errors: problems });

    const secret = request.callbacks?.secret;
    // Stored before the job exists (as for webhooks): an acknowledged operation always finds its secret.
    const secretRef = callbacks.value && secret ? await this.notifications.webhookSecrets.save(tenantId, secret) : null;
    const email = request.notifications?.email ?? [];
    const submit: SubmitJobRequestDto = {
      jobName: request.operationName, jobDescription: request.operationDescription, jobType: definition.jobType,
      priority: request.priority, parameters: translated.parameters,
      ...(request.timeout !== undefined ? { scheduling: { timeoutMinutes: Math.ceil(request.timeout / 60) } } : {}),
      ...(email.length > 0 ? { notifications: { onCompletion: true, onFailure: true, emailRecipients: email } } : {}),
      ...(request.retryPolicy ? { retryPolicy: request.retryPolicy } : {}),
    };
    const submitted = await this.commands.execute<SubmitJobCommand, SubmitJobResponseDto>(new SubmitJobCommand(
      tenantId, projectId, submit, command.principal, command.metadata,
      // Its own namespace of keys: the same key on a job submit names another job.
      command.idempotencyKey ? `async operation\n${command.idempotencyKey}` : null, null,
      {
        operationType: request.operationType, ...(translated.outputOptions ? { outputOptions: translated.outputOptions } : {}),
        callbacks: callbacks.value ? { ...callbacks.value, secretRef } : null, slack: slackOf(request.notifications?.slack),
      },
    ));
    const job = await this.stores.jobs.getJob(tenantId, projectId, submitted.jobId);
    const operationId = operationIdOf(submitted.jobId);
    const range = submitted.estimatedDurationSeconds;
    return {
      operationId, operationType: job?.operation?.operationType ?? request.operationType, operationName: submitted.jobName,
      // The job as the submit left it (a repeated key: as it is now); a node may have claimed it since.
      status: submitted.status === 'Queued' || !job ? 'Initiated' : operationStatusOf(job),
      estimatedDuration: submitted.estimatedDuration, estimatedDurationSeconds: range,
      estimatedCompletion: submitted.estimatedStartTime && range
        ? new Date(Date.parse(submitted.estimatedStartTime) + range.high * 1000).toISOString() : null,
      trackingUrl: `/api/${tenantId}/${projectId}/async/operation/${operationId}`,
      webhooksRegistered: CALLBACK_NAMES.filter((name) => (job?.notifications.callbacks ?? callbacks.value)?.[name]).length,
      jobId: submitted.jobId, queuePosition: submitted.queuePosition, estimatedStartTime: submitted.estimatedStartTime,
      dateSubmitted: submitted.dateSubmitted, submittedBy: submitted.submittedBy,
    };
  }

  /** The callback URLs, each checked against WEBHOOK_ALLOWED_HOSTS; null when none is given. */
  private callbacksOf(dto: OperationCallbacksDto | undefined): { value: Omit<OperationCallbacks, 'secretRef'> | null; problems: FieldProblem[] } {
    const problems: FieldProblem[] = [];
    if (!dto) return { value: null, problems };
    const urls: Record<(typeof CALLBACK_NAMES)[number], string | null> = { onProgress: null, onCompletion: null, onError: null };
    for (const name of CALLBACK_NAMES) {
      const raw = dto[name]?.trim();
      if (raw === undefined) continue;
      const field = `callbacks.${name}`;
      if (raw === '') problems.push({ field, message: 'must be an http:// or https:// URL' });
      else if (raw.length > MAX_CALLBACK_URL_LENGTH) problems.push({ field, message: `must be at most ${MAX_CALLBACK_URL_LENGTH} characters` });
      else {
        const problem = this.notifications.webhookPolicy.urlProblem(raw);
        if (problem) problems.push({ field, message: problem });
        else urls[name] = new URL(raw).href;
      }
    }
    if (dto.secret !== undefined) {
      // The message names the rule, never the value.
      const problem = webhookSecretProblem(dto.secret);
      if (problem) problems.push({ field: 'callbacks.secret', message: problem });
    }
    const any = CALLBACK_NAMES.some((name) => urls[name] !== null);
    return { value: problems.length === 0 && any ? urls : null, problems };
  }
}

function slackOf(dto: OperationSlackDto | undefined): SlackNotification | null {
  return dto ? { channel: dto.channel ?? null, mentionUsers: dto.mentionUsers ?? [] } : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The job's parameters: the operation's, with `algorithmSettings` as the job's `discovery`,
 * the type's analysisType, and `outputOptions` taken out (the operation keeps them). A 400
 * names the fields as the client sent them.
 */
function jobParametersOf(
  operationType: string, definition: OperationTypeDefinition, given: Record<string, unknown>,
): { parameters: Record<string, unknown>; outputOptions: OperationOutputOptions | null; problems: FieldProblem[] } {
  const { algorithmSettings, outputOptions: options, ...parameters } = given;
  const problems: FieldProblem[] = [];
  if (definition.fixedAnalysisType) {
    if (parameters.analysisType !== undefined && parameters.analysisType !== definition.fixedAnalysisType) {
      problems.push({ field: 'parameters.analysisType', message: `${operationType} operations run analysisType ${definition.fixedAnalysisType}` });
    }
    parameters.analysisType = definition.fixedAnalysisType;
  } else if (definition.defaultAnalysisType && parameters.analysisType === undefined) {
    parameters.analysisType = definition.defaultAnalysisType;
  }
  if (algorithmSettings !== undefined) {
    if (!JOB_PARAMETER_KEYS[definition.jobType].includes('discovery')) {
      problems.push({ field: 'parameters.algorithmSettings', message: `${operationType} operations discover no process model` });
    } else if (!isPlainObject(algorithmSettings)) {
      problems.push({ field: 'parameters.algorithmSettings', message: 'must be an object {algorithm, noiseThreshold}' });
    } else if (parameters.discovery !== undefined) {
      problems.push({ field: 'parameters.algorithmSettings', message: 'give either algorithmSettings or discovery, not both' });
    } else {
      for (const key of Object.keys(algorithmSettings)) {
        if (!ALGORITHM_SETTING_KEYS.includes(key)) problems.push({ field: `parameters.algorithmSettings.${key}`, message: `is not an algorithm setting (${ALGORITHM_SETTING_KEYS.join(', ')})` });
      }
      parameters.discovery = algorithmSettings;
    }
  }
  const outputOptions = outputOptionsOf(options, problems);
  if (problems.length === 0) {
    for (const p of validateJobParameters(definition.jobType, parameters)) {
      const field = algorithmSettings !== undefined ? p.field.replace(/^parameters\.discovery\b/, 'parameters.algorithmSettings') : p.field;
      problems.push({ field, message: p.message });
    }
  }
  return { parameters, outputOptions, problems };
}

function outputOptionsOf(value: unknown, problems: FieldProblem[]): OperationOutputOptions | null {
  if (value === undefined) return null;
  const field = 'parameters.outputOptions';
  if (!isPlainObject(value)) {
    problems.push({ field, message: 'must be an object {generateReports, createVisualizations, exportFormats}' });
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!OUTPUT_OPTION_KEYS.includes(key)) problems.push({ field: `${field}.${key}`, message: `is not an output option (${OUTPUT_OPTION_KEYS.join(', ')})` });
  }
  for (const key of ['generateReports', 'createVisualizations']) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') problems.push({ field: `${field}.${key}`, message: 'must be a boolean' });
  }
  const formats = value.exportFormats;
  if (formats !== undefined && (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => !(EXPORT_FORMATS as readonly unknown[]).includes(f)))) {
    problems.push({ field: `${field}.exportFormats`, message: `must be a non-empty array of ${EXPORT_FORMATS.join(', ')}` });
  }
  return {
    generateReports: value.generateReports !== false,
    createVisualizations: value.createVisualizations !== false,
    exportFormats: Array.isArray(formats) ? [...new Set(formats as string[])] : null,
  };
}

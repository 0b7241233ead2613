/** What creating and changing a schedule check before anything is appended. */
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import type { ScheduleDefinition } from '../../../../../libs/schedules/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { assertPriorityAllowed } from '../../execution/shared/priority-policy.js';
import { assertRunnableParameters } from '../../execution/submit-job/submit-job.handler.js';
import type { SubmitJobRequestDto } from '../../execution/submit-job/submit-job.request.dto.js';
import { checkedDefinition } from './schedule-definition.js';

@Injectable()
export class ScheduleChecks {
  constructor(@Inject(STORES) private readonly stores: Stores, @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  /**
   * The definition, refused (400/403) where the firer would fail: the template must be a
   * submit this caller may make now, since each firing submits it in the caller's name.
   */
  async check(principal: Principal, tenantId: string, projectId: string, definition: ScheduleDefinition): Promise<ScheduleDefinition> {
    checkedDefinition(definition);
    const template = definition.jobTemplate as unknown as SubmitJobRequestDto;
    try {
      assertPriorityAllowed(principal, template.priority ?? 'Normal', this.config.maxOperatorPriority);
      await assertRunnableParameters(this.stores, tenantId, projectId, template.jobType, template.parameters);
    } catch (error) {
      throw prefixFields(error, 'jobTemplate');
    }
    return definition;
  }
}

/** The same error with each field error named under `prefix` (`jobTemplate.parameters.datasetId`). */
function prefixFields(error: unknown, prefix: string): unknown {
  const response = (error as { getResponse?: () => unknown }).getResponse?.() as { errors?: Array<{ field: string; message: string }> } | undefined;
  if (response && Array.isArray(response.errors)) {
    response.errors = response.errors.map((e) => ({ ...e, field: `${prefix}.${e.field}` }));
  }
  return error;
}

/** A plain JSON copy of a validated template, as stored in the schedule's events. */
export function plainTemplate(template: SubmitJobRequestDto): Readonly<Record<string, unknown>> {
  return JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
}

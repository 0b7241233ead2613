/** Recurring schedules: their controllers and handlers, on the stores' schedule store. */
import { Module, type DynamicModule } from '@nestjs/common';
import { SIGNING_SECRET, TenantScopeGuard } from '../../../../libs/auth/src/tenant-scope.guard.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../libs/config/src/service-config.js';
import { ScheduleRepository } from '../../../../libs/schedules/src/index.js';
import type { Stores } from '../../../../libs/storage/src/open-stores.js';
import type { PostgresScheduleStore } from '../../../../libs/schedules/src/postgres/postgres-schedule-store.js';
import { STORES } from '../execution/shared/execution.tokens.js';
import { ChangeScheduleController } from './change-schedule/change-schedule.controller.js';
import { ChangeScheduleHandler } from './change-schedule/change-schedule.handler.js';
import { CreateScheduleController } from './create-schedule/create-schedule.controller.js';
import { CreateScheduleHandler } from './create-schedule/create-schedule.handler.js';
import { DeleteScheduleController } from './delete-schedule/delete-schedule.controller.js';
import { DeleteScheduleHandler } from './delete-schedule/delete-schedule.handler.js';
import { GetScheduleController } from './get-schedule/get-schedule.controller.js';
import { GetScheduleHandler } from './get-schedule/get-schedule.handler.js';
import { ListSchedulesController } from './list-schedules/list-schedules.controller.js';
import { ListSchedulesHandler } from './list-schedules/list-schedules.handler.js';
import { ScheduleChecks } from './shared/schedule-commands.js';
import { SCHEDULE_VIEWS } from './shared/schedules.tokens.js';

export interface SchedulesRuntime {
  readonly config: ServiceConfig;
  readonly stores: Stores;
  readonly signingSecret: Uint8Array;
  readonly schedules: PostgresScheduleStore;
}

@Module({})
export class SchedulesModule {
  static register(runtime: SchedulesRuntime): DynamicModule {
    return {
      module: SchedulesModule,
      controllers: [CreateScheduleController, ListSchedulesController, GetScheduleController, ChangeScheduleController, DeleteScheduleController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: runtime.config },
        { provide: STORES, useValue: runtime.stores },
        { provide: SIGNING_SECRET, useValue: runtime.signingSecret },
        { provide: SCHEDULE_VIEWS, useValue: runtime.schedules },
        { provide: ScheduleRepository, useValue: new ScheduleRepository(runtime.stores.events, runtime.schedules) },
        TenantScopeGuard, ScheduleChecks,
        CreateScheduleHandler, ChangeScheduleHandler, DeleteScheduleHandler, ListSchedulesHandler, GetScheduleHandler,
      ],
    };
  }
}

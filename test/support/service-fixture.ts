/**
 * One service process per test file, with a token for a tenant and project and the
 * running example uploaded: the setup every end-to-end file starts from.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { removeDataDir, startServiceProcess, uploadDataset, type ServiceProcess } from './service-process.js';

export interface ServiceFixture {
  readonly service: ServiceProcess;
  readonly token: string;
  readonly datasetId: string;
}

/** Registers beforeAll/afterAll; `ready` receives the started service, its token and the dataset id. */
export function useServiceWithRunningExample(
  scope: { tenant: string; project: string; subject: string; env?: Record<string, string>; freshStore?: boolean },
  ready: (fixture: ServiceFixture) => void,
): void {
  let service: ServiceProcess | undefined;
  beforeAll(async () => {
    service = await startServiceProcess(scope.env, undefined, [], { freshStore: scope.freshStore });
    const token = await service.token(scope.tenant, [scope.project], scope.subject);
    ready({ service, token, datasetId: await uploadDataset(service, token, `/api/${scope.tenant}/${scope.project}`) });
  });
  afterAll(async () => {
    if (!service) return;
    await service.stop();
    removeDataDir(service.dataDir);
  });
}

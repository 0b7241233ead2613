/**
 * The process model registry on PostgreSQL and on the embedded PGlite store: a registered
 * model is found in its own tenant and project only, and registering is idempotent.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactStore } from '../../artifacts/src/artifact-store.js';
import { openSqlClient, type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { RUNNING_EXAMPLE_BPMN } from '../../../test/support/fixtures.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { PostgresProcessModelRegistry } from './postgres-process-model-registry.js';
import { processModelFilePath, registerProcessModel } from './register-process-model.js';

const server = await resolveTestPostgres('process model registry');

const stores: { name: string; open: (dir: string) => Promise<{ sql: SqlClient; drop: () => Promise<void> }>; run: boolean }[] = [
  {
    name: 'PostgreSQL',
    run: server !== null,
    open: async () => {
      const schema = randomSchemaName('models_test');
      const sql = await openSqlClient({ kind: 'pg', connectionString: server!.url, schema });
      return { sql, drop: () => dropSchema(server!.url, schema) };
    },
  },
  { name: 'PGlite', run: true, open: async (dir) => ({ sql: await openSqlClient({ kind: 'pglite', dataDir: path.join(dir, 'pglite') }), drop: async () => undefined }) },
];

for (const store of stores) {
  (store.run ? describe : describe.skip)(`process model registry on ${store.name}`, () => {
    let dir: string;
    let sql: SqlClient;
    let drop: () => Promise<void>;
    let registry: PostgresProcessModelRegistry;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'models-'));
      ({ sql, drop } = await store.open(dir));
      registry = new PostgresProcessModelRegistry(sql);
      await registry.migrate();
      await registry.migrate(); // a second start finds the table in place
    });
    afterAll(async () => {
      await sql.close();
      await drop();
      await rm(dir, { recursive: true, force: true });
    });

    it('registers an uploaded model, keeps its file, and finds it only in its own scope', async () => {
      const tenantId = randomUUID();
      const projectId = randomUUID();
      const files = new ArtifactStore(dir);
      const xml = await readFile(RUNNING_EXAMPLE_BPMN, 'utf8');
      const model = await registerProcessModel(files, registry, {
        tenantId, projectId, xml, sizeBytes: Buffer.byteLength(xml), format: 'bpmn', originalName: 'running-example.bpmn', name: 're', uploadedBy: 'analyst',
      });
      expect(model).toMatchObject({ format: 'bpmn', places: 9, transitions: 10, silentTransitions: 2, name: 're' });
      expect(await readFile(processModelFilePath(files, model), 'utf8')).toBe(xml);
      await registry.register(model); // idempotent
      const fresh = new PostgresProcessModelRegistry(sql); // not served from the first registry's memory
      expect(await fresh.get(tenantId, projectId, model.modelId)).toEqual(model);
      expect(await fresh.get(randomUUID(), projectId, model.modelId)).toBeNull();
      expect(await fresh.get(tenantId, randomUUID(), model.modelId)).toBeNull();
    });
  });
}

/**
 * Blue/green rebuilds of the job read model on PostgreSQL and PGlite (same SQL).
 *
 * The copy lives in a schema of its own beside the live one (`<live>_jv_next`), made by the
 * read store's own migration run with the copy's schema first on the search_path: the copy
 * gets its own tables, indexes, count triggers and trigger functions, while unqualified event
 * store tables still resolve to the live schema. The switch, in one transaction: lock the
 * projection's checkpoint row and the live tables against writers (EXCLUSIVE: readers keep
 * reading; writers take job_views first, at statement start, before they append, so none is
 * half-way), fold the last events into the copy, move the live tables out to `<live>_jv_old`
 * and the copy's in, point the copy's count triggers at the live schema's functions, and set
 * the checkpoint. Statements cached by name see the DDL and are planned again against the
 * tables now under the names. The old tables and the copy's schema are dropped after the commit.
 */
import type { GlobalPosition } from '../../../event-store/src/event-store.port.js';
import type { PostgresEventStore } from '../../../event-store/src/postgres/postgres-event-store.js';
import { quoteIdentifier, type SqlClient, type SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import type { JobState, ProjectQueueState } from '../../../job-domain/src/index.js';
import type { JobViewRebuilds, ReadModelCopy } from '../job-view-rebuilds.port.js';
import { READ_STORE_SCHEMA, UPSERT_PROJECT_QUEUES } from './job-read-store.schema.js';
import { createJobCountTriggers, migrateJobCounts } from './job-counts.js';
import { writeJobDocuments } from './write-job-documents.js';

/** The tables of the job read model, in the order writers lock them (job_views first, then the counts its triggers write). */
export const JOB_READ_MODEL_TABLES = ['job_views', 'project_queues', 'job_count_totals', 'job_count_days', 'job_count_months'] as const;

/** The read store's migration as the copy runs it: one statement at a time, without its DROPs (the live store's past only). */
const COPY_SCHEMA = READ_STORE_SCHEMA.split(';').map((x) => x.trim()).filter((x) => x && !x.startsWith('DROP'));
const isSecondaryIndex = (statement: string) => /^CREATE INDEX/i.test(statement);

interface Schemas {
  readonly live: string;
  readonly copy: string;
  readonly retired: string;
  /** The session's search_path as configured (the live one). */
  readonly path: string;
}

async function schemasOf(sql: SqlExecutor): Promise<Schemas> {
  const [row] = await sql.query<{ live: string; path: string }>(`SELECT current_schema() AS live, current_setting('search_path') AS path`);
  const live = row.live;
  return { live, copy: quoteIdentifier(`${live}_jv_next`).slice(1, -1), retired: quoteIdentifier(`${live}_jv_old`).slice(1, -1), path: row.path };
}

/** Puts the copy's schema first, for the rest of the transaction. */
async function searchCopyFirst(tx: SqlExecutor, schemas: Schemas): Promise<void> {
  await tx.query(`SELECT set_config('search_path', $1, true)`, [`${quoteIdentifier(schemas.copy)}, ${schemas.path}`]);
}

export class PostgresJobViewRebuilds implements JobViewRebuilds {
  private schemas: Promise<Schemas> | null = null;

  constructor(
    private readonly sql: SqlClient,
    private readonly events: PostgresEventStore,
    private readonly agingSecondsPerLevel: number,
  ) {}

  async createCopy(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const schemas = await schemasOf(tx);
      await tx.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schemas.copy)} CASCADE`);
      await tx.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schemas.retired)} CASCADE`);
      await tx.query(`CREATE SCHEMA ${quoteIdentifier(schemas.copy)}`);
      await searchCopyFirst(tx, schemas);
      // The live store's own migration, into the copy's schema (its DROPs concern the live store's past
      // only). The secondary indexes and the counts come once the copy is filled: built whole, not
      // row by row (the count triggers' work per batch was a good part of its write).
      for (const statement of COPY_SCHEMA.filter((x) => !isSecondaryIndex(x))) await tx.query(statement);
      await migrateJobCounts(tx, { triggers: false });
    });
  }

  readEvents(after: GlobalPosition, maxCount: number) {
    return this.events.readAllToFold(after, maxCount);
  }

  inCopy<T>(step: (copy: ReadModelCopy) => Promise<T>): Promise<T> {
    return this.sql.transaction(async (tx) => {
      // The client's schemas, the same for every batch: asked once (a batch is only a few statements).
      this.schemas ??= schemasOf(tx).catch((error: unknown) => {
        this.schemas = null;
        throw error;
      });
      const schemas = await this.schemas;
      // The copy's schema first, as searchCopyFirst. A commit need not wait for its WAL to reach the
      // disk: a crash loses the copy's last batches with their checkpoint (the WAL stays in order), and
      // a rebuild after a crash starts a fresh copy. Documents are compressed with lz4 where the
      // server has it: with pglz a document's insert took about 25 µs more.
      await tx.query(`SELECT set_config('search_path', $1, true), set_config('synchronous_commit', 'off', true),
        (SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings
          WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))`, [`${quoteIdentifier(schemas.copy)}, ${schemas.path}`]);
      return step(this.copyOn(tx));
    });
  }

  async switchToCopy(projection: string, finish: (copy: ReadModelCopy) => Promise<GlobalPosition>): Promise<void> {
    const schemas = await schemasOf(this.sql);
    await this.sql.transaction(async (tx) => {
      await searchCopyFirst(tx, schemas);
      for (const statement of COPY_SCHEMA.filter(isSecondaryIndex)) await tx.query(statement);
      // Counts the copy's documents and adds the count triggers, before the last events are folded in.
      await migrateJobCounts(tx);
    });
    // Planner statistics for the freshly filled tables, before they serve queries.
    for (const table of JOB_READ_MODEL_TABLES) await this.sql.query(`ANALYZE ${quoteIdentifier(schemas.copy)}.${table}`);
    await this.sql.transaction(async (tx) => {
      // The order the projection's batch takes them (its checkpoint row, then the tables), and
      // writers' (job_views, then the counts): nobody waits for us while we wait for them.
      await tx.query(`SELECT 1 FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`, [projection]);
      await tx.query(`LOCK TABLE ${JOB_READ_MODEL_TABLES.join(', ')} IN EXCLUSIVE MODE`);
      await searchCopyFirst(tx, schemas);
      const checkpoint = await finish(this.copyOn(tx));
      await tx.query(`SELECT set_config('search_path', $1, true)`, [schemas.path]);
      await tx.query(`CREATE SCHEMA ${quoteIdentifier(schemas.retired)}`);
      // Readers wait from here to the commit: a few catalogue updates.
      await tx.query(`LOCK TABLE ${JOB_READ_MODEL_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      for (const table of JOB_READ_MODEL_TABLES) {
        await tx.query(`ALTER TABLE ${quoteIdentifier(schemas.live)}.${table} SET SCHEMA ${quoteIdentifier(schemas.retired)}`);
      }
      for (const table of JOB_READ_MODEL_TABLES) {
        await tx.query(`ALTER TABLE ${quoteIdentifier(schemas.copy)}.${table} SET SCHEMA ${quoteIdentifier(schemas.live)}`);
      }
      // The moved triggers still call the copy's functions (dropped with its schema): point them at the live ones.
      await createJobCountTriggers(tx);
      await tx.query(
        `INSERT INTO projection_checkpoints (projection, commit_position, prepare_position, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (projection) DO UPDATE SET commit_position = $2, prepare_position = $3, updated_at = now()`,
        [projection, checkpoint.commit.toString(), checkpoint.prepare.toString()],
      );
    });
    await this.sql.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schemas.retired)} CASCADE`);
    await this.sql.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schemas.copy)} CASCADE`);
  }

  async dropCopy(): Promise<void> {
    const schemas = await schemasOf(this.sql);
    await this.sql.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schemas.copy)} CASCADE`);
  }

  /** The copy as seen from `tx`, whose search_path puts the copy's schema first. */
  private copyOn(tx: SqlExecutor): ReadModelCopy {
    return {
      getJobsByIds: async (jobIds) => {
        if (jobIds.length === 0) return [];
        const rows = await tx.query<{ doc: JobState }>(`SELECT doc FROM job_views WHERE job_id = ANY($1::text[])`, [jobIds]);
        return rows.map((r) => r.doc);
      },
      getProjectQueue: async (tenantId, projectId) => {
        const rows = await tx.query<{ doc: ProjectQueueState }>(
          `SELECT doc FROM project_queues WHERE tenant_id = $1 AND project_id = $2`, [tenantId, projectId],
        );
        return rows[0]?.doc ?? null;
      },
      readEvents: (after, maxCount) => this.events.readAllToFold(after, maxCount, tx),
      write: async (checkpoint, documents, queues) => {
        await writeJobDocuments(tx, documents, this.agingSecondsPerLevel);
        if (queues.length > 0) await tx.query(UPSERT_PROJECT_QUEUES, [JSON.stringify(queues)]);
        await tx.query(
          `INSERT INTO projection_checkpoints (projection, commit_position, prepare_position, updated_at) VALUES ('job_views', $1, $2, now())
           ON CONFLICT (projection) DO UPDATE SET commit_position = $1, prepare_position = $2, updated_at = now()`,
          [checkpoint.commit.toString(), checkpoint.prepare.toString()],
        );
      },
    };
  }
}

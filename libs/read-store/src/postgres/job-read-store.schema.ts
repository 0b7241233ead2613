/**
 * Read-store tables (PostgreSQL and PGlite run the same SQL). Typed columns are
 * derived from the JSONB document in SQL at write time, so a document and its
 * indexed columns can never disagree.
 */
export const READ_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection text PRIMARY KEY,
  commit_position numeric(20,0) NOT NULL,
  prepare_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS job_views (
  job_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  project_id text NOT NULL,
  status text NOT NULL,
  job_type text NOT NULL,
  priority text NOT NULL,
  submitted_by text NOT NULL,
  date_created timestamptz NOT NULL,
  queued_at timestamptz NOT NULL,
  queue_score double precision NOT NULL,
  scheduled_at timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  timeout_at timestamptz,
  node_id text,
  revision integer NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS job_views_scope_created ON job_views (tenant_id, project_id, date_created DESC, job_id);
CREATE INDEX IF NOT EXISTS job_views_scope_status ON job_views (tenant_id, project_id, status, date_created DESC);
CREATE INDEX IF NOT EXISTS job_views_scope_type ON job_views (tenant_id, project_id, job_type, date_created DESC);
CREATE INDEX IF NOT EXISTS job_views_scope_priority ON job_views (tenant_id, project_id, priority, date_created DESC);
CREATE INDEX IF NOT EXISTS job_views_scope_submitter ON job_views (tenant_id, project_id, submitted_by, date_created DESC);
CREATE INDEX IF NOT EXISTS job_views_queue ON job_views (queue_score, job_id) WHERE status = 'Queued';
CREATE INDEX IF NOT EXISTS job_views_tenant_running ON job_views (tenant_id) WHERE status = 'Running';
CREATE INDEX IF NOT EXISTS job_views_running ON job_views (node_id) WHERE status = 'Running';
CREATE INDEX IF NOT EXISTS job_views_ended ON job_views (tenant_id, ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS job_views_started ON job_views (tenant_id, started_at) WHERE started_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS job_views_scheduled ON job_views (scheduled_at) WHERE status = 'Queued' AND scheduled_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS execution_nodes (
  node_id text PRIMARY KEY,
  job_capacity integer NOT NULL,
  active_jobs integer NOT NULL,
  cpu_percent double precision NOT NULL,
  cpu_cores integer NOT NULL,
  memory_used_bytes bigint NOT NULL,
  memory_total_bytes bigint NOT NULL,
  disk_available_bytes bigint,
  draining boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL,
  last_heartbeat timestamptz NOT NULL
);
ALTER TABLE execution_nodes ADD COLUMN IF NOT EXISTS running_job_ids text[];

ALTER TABLE job_views ADD COLUMN IF NOT EXISTS held boolean NOT NULL DEFAULT false;
-- Replaced by job_views_tenant_claim_queue (held jobs left out, project_id included for the paused-queue check).
DROP INDEX IF EXISTS job_views_tenant_queue;
CREATE INDEX IF NOT EXISTS job_views_tenant_claim_queue ON job_views (tenant_id, queue_score, job_id)
  INCLUDE (scheduled_at, job_type, project_id) WHERE status = 'Queued' AND NOT held;
CREATE INDEX IF NOT EXISTS job_views_project_queue ON job_views (tenant_id, project_id, held, queue_score, job_id)
  INCLUDE (scheduled_at, priority, job_type) WHERE status = 'Queued';

-- Automatic retries: due times (ISO text, which sorts as time) and dead letters, read from the document.
CREATE INDEX IF NOT EXISTS job_views_retry_due ON job_views ((doc->>'nextRetryAt'))
  WHERE status = 'Failed' AND doc->>'nextRetryAt' IS NOT NULL;
CREATE INDEX IF NOT EXISTS job_views_dead_lettered ON job_views (tenant_id, project_id, date_created DESC)
  WHERE jsonb_typeof(doc->'deadLettered') = 'object';
-- Pipelines: the queued jobs waiting for a given dependency (GIN over the document's waitingFor ids).
CREATE INDEX IF NOT EXISTS job_views_waiting_for ON job_views USING gin ((doc->'waitingFor'))
  WHERE status = 'Queued' AND jsonb_typeof(doc->'waitingFor') = 'array';

CREATE TABLE IF NOT EXISTS project_queues (
  tenant_id text NOT NULL,
  project_id text NOT NULL,
  paused boolean NOT NULL,
  revision integer NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, project_id)
);
`;

/**
 * The document `doc` (a JSONB expression) lists dependencies not completed yet. Such a job is
 * `held` as an on-hold one is (job-domain's heldFromClaims), so every claim path skips it
 * through the indexes it already uses.
 */
export const WAITS_FOR_DEPENDENCIES = (doc: string) =>
  `coalesce(jsonb_typeof(${doc}->'waitingFor') = 'array' AND ${doc}->'waitingFor' <> '[]'::jsonb, false)`;

/** The document marks the job dead-lettered (a predicate over job_views `alias`). */
export const DEAD_LETTERED = (alias: string) => `coalesce(jsonb_typeof(${alias}.doc->'deadLettered') = 'object', false)`;

/**
 * Upsert of job documents: each row `d` of `source` (a FROM item) is a document, `aging` the
 * aging step in seconds. A document never replaces a newer one (guarded by revision), so
 * writers of the same job in any order (a command's append, a replay from position 0) end
 * with the latest revision. At most one document per job in one statement.
 */
export const upsertJobDocumentsFrom = (source: string, aging: string) => `
INSERT INTO job_views AS v (job_id, tenant_id, project_id, status, job_type, priority, submitted_by, date_created,
  queued_at, queue_score, scheduled_at, started_at, ended_at, timeout_at, node_id, revision, held, doc)
SELECT d->>'jobId', d->>'tenantId', d->>'projectId', d->>'status', d->>'jobType', d->>'priority', d->>'submittedBy',
  (d->>'submittedAt')::timestamptz,
  (d->>'queuedAt')::timestamptz,
  extract(epoch FROM (d->>'queuedAt')::timestamptz)
    - (CASE d->>'priority' WHEN 'Critical' THEN 3 WHEN 'High' THEN 2 WHEN 'Normal' THEN 1 ELSE 0 END) * ${aging}::double precision,
  (d->'scheduling'->>'scheduledTime')::timestamptz,
  (d->>'startedAt')::timestamptz,
  (d->>'endedAt')::timestamptz,
  (d->>'startedAt')::timestamptz + make_interval(mins => (d->'scheduling'->>'timeoutMinutes')::int),
  d->>'nodeId',
  (d->>'revision')::int,
  coalesce(jsonb_typeof(d->'hold') = 'object', false) OR ${WAITS_FOR_DEPENDENCIES('d')},
  d
FROM ${source}
ON CONFLICT (job_id) DO UPDATE SET
  status = EXCLUDED.status, priority = EXCLUDED.priority, queued_at = EXCLUDED.queued_at,
  queue_score = EXCLUDED.queue_score, scheduled_at = EXCLUDED.scheduled_at, started_at = EXCLUDED.started_at,
  ended_at = EXCLUDED.ended_at, timeout_at = EXCLUDED.timeout_at, node_id = EXCLUDED.node_id,
  revision = EXCLUDED.revision, held = EXCLUDED.held, doc = EXCLUDED.doc
WHERE v.revision < EXCLUDED.revision
`;

/** Job documents given as one JSONB array ($1), the aging step in seconds $2. */
export const UPSERT_JOB_DOCUMENTS = upsertJobDocumentsFrom('jsonb_array_elements($1::jsonb) AS d', '$2');

/** Upsert of project queue documents (ProjectQueueState) given as one JSONB array ($1); never replaces a newer one. */
export const UPSERT_PROJECT_QUEUES = `
INSERT INTO project_queues AS q (tenant_id, project_id, paused, revision, doc)
SELECT d->>'tenantId', d->>'projectId', d->>'status' = 'Paused', (d->>'revision')::int, d
FROM jsonb_array_elements($1::jsonb) AS d
ON CONFLICT (tenant_id, project_id) DO UPDATE SET paused = EXCLUDED.paused, revision = EXCLUDED.revision, doc = EXCLUDED.doc
WHERE q.revision < EXCLUDED.revision
`;

/**
 * A queued job that claims may take once due: not on hold, and its project's queue not
 * paused. Every query of the claim order filters with it (the partial index
 * job_views_tenant_claim_queue holds exactly the jobs that are not held).
 */
const CLAIMABLE_QUEUED = (alias: string) => `${alias}.status = 'Queued' AND NOT ${alias}.held AND NOT EXISTS (
  SELECT 1 FROM project_queues pq WHERE pq.tenant_id = ${alias}.tenant_id AND pq.project_id = ${alias}.project_id AND pq.paused)`;

/**
 * Each tenant's running cap as SQL over `tenant` (a column) where some tenants have one of
 * their own (TENANT_QUOTAS), written into the text as literals, `defaultCap` for the others;
 * null when none has: then the statements read $3 alone, as they always did (a claim's
 * literal cap folds away when it is NULL).
 */
export function runningCapSql(capsByTenant: Readonly<Record<string, number | null>>, tenant: string, defaultCap = '$3::int'): string | null {
  const entries = Object.entries(capsByTenant);
  if (entries.length === 0) return null;
  const when = entries.map(([tenantId, cap]) => {
    if (cap !== null && (!Number.isInteger(cap) || cap < 1)) throw new Error(`invalid running cap of tenant ${tenantId}: ${cap}`);
    return `WHEN '${tenantId.replaceAll("'", "''")}' THEN ${cap === null ? 'NULL' : String(cap)}`;
  });
  return `(CASE ${tenant} ${when.join(' ')} ELSE ${defaultCap} END)`;
}

/** A tenant's cap in a statement: the `cap` column of `tenants` where tenants have their own (`ownCaps`), else $3. */
const capOf = (alias: string, ownCaps: string | null) => (ownCaps === null ? '$3::int' : `${alias}.cap`);

/**
 * The tenants of the queue with their running count, latest start and, where tenants have
 * caps of their own, running cap (`ownCaps`, see runningCapSql) (the rule of job-domain's
 * queue-order.ts). Found by a skip scan of job_views_tenant_claim_queue (one index probe per
 * tenant, not a scan of the queue), looked up once per tenant (MATERIALIZED).
 */
const queueTenantsCte = (ownCaps: string | null) => `
WITH RECURSIVE queued_tenants AS (
  (SELECT tenant_id FROM job_views WHERE status = 'Queued' AND NOT held ORDER BY tenant_id LIMIT 1)
  UNION ALL
  SELECT (SELECT v.tenant_id FROM job_views v WHERE v.status = 'Queued' AND NOT v.held AND v.tenant_id > q.tenant_id
          ORDER BY v.tenant_id LIMIT 1)
  FROM queued_tenants q WHERE q.tenant_id IS NOT NULL
), tenants AS MATERIALIZED (
  SELECT q.tenant_id,
    (SELECT count(*) FROM job_views r WHERE r.tenant_id = q.tenant_id AND r.status = 'Running') AS running,
    coalesce((SELECT extract(epoch FROM max(s.started_at))::float8 FROM job_views s
              WHERE s.tenant_id = q.tenant_id AND s.started_at IS NOT NULL), '-Infinity'::float8) AS last_started${
  ownCaps === null ? '' : `,
    ${ownCaps} AS cap`}
  FROM queued_tenants q WHERE q.tenant_id IS NOT NULL
)`;

/** −level: ⌊(now − score) / aging⌋ with $1 now and $2 aging seconds per level, negated to sort ascending. */
const LEVEL_DESC = (score: string) => `-floor((extract(epoch FROM $1::timestamptz)::float8 - ${score}) / $2::float8)`;

/**
 * `ordered`: the due queued jobs with their queue-order key, read per tenant in the order of
 * job_views_tenant_claim_queue (no sort of the whole queue). $1 now, $2 aging seconds per level,
 * $3 the cap of running jobs of a tenant without its own (null = none), `ownCaps` the
 * tenants' own (runningCapSql). `perTenant` filters and limits each
 * tenant's jobs: its key only grows along the tenant's own order, so the first n jobs of
 * the queue are among the first n of each tenant.
 */
const orderedDueJobs = (perTenant: string, ownCaps: string | null) => `${queueTenantsCte(ownCaps)}, ordered AS (
  SELECT t.tenant_id, d.job_id, d.job_type, d.queue_score, t.running + d.tenant_rank AS round, t.last_started,
    NOT (${capOf('t', ownCaps)} IS NULL OR t.running + d.tenant_rank <= ${capOf('t', ownCaps)}) AS held_back,
    ${LEVEL_DESC('d.queue_score')} AS level_desc
  FROM tenants t CROSS JOIN LATERAL (
    SELECT * FROM (
      SELECT v.job_id, v.job_type, v.queue_score, row_number() OVER (ORDER BY v.queue_score, v.job_id) AS tenant_rank
      FROM job_views v
      WHERE ${CLAIMABLE_QUEUED('v')} AND v.tenant_id = t.tenant_id AND (v.scheduled_at IS NULL OR v.scheduled_at <= $1::timestamptz)
      ORDER BY v.queue_score, v.job_id
    ) ranked ${perTenant}
  ) d
)`;

/** The queue-order key over the columns of `ordered`, ascending: claimable first, then the rule. */
const QUEUE_ORDER_KEY = (alias: string) =>
  ['held_back', 'level_desc', 'round', 'last_started', 'queue_score', 'job_id'].map((c) => `${alias}.${c}`).join(', ');

/** $1 now, $2 aging, $3 cap, $4 limit, $5 job types (null = all): `columns` of the first claimable jobs. */
const nextQueued = (columns: string, ownCaps: string | null) => `${orderedDueJobs('WHERE $5::text[] IS NULL OR ranked.job_type = ANY($5::text[]) LIMIT $4', ownCaps)}
SELECT ${columns}
FROM (SELECT * FROM ordered o WHERE NOT o.held_back ORDER BY ${QUEUE_ORDER_KEY('o')} LIMIT $4) o
JOIN job_views v ON v.job_id = o.job_id
ORDER BY ${QUEUE_ORDER_KEY('o')}`;

export const nextQueuedJobsSql = (ownCaps: string | null = null) => nextQueued('v.job_id, v.tenant_id, v.project_id, v.revision, v.priority, v.job_type', ownCaps);
/** The same jobs as whole documents (their JobState): a claim decides on them without reading the streams. */
const nextQueuedJobDocumentsSql = (ownCaps: string | null) => nextQueued('v.doc', ownCaps);

/** What a node's claim fixes for many claims in a row; only the time changes from one to the next. */
export interface ClaimShape {
  readonly agingSecondsPerLevel: number;
  readonly tenantMaxRunningJobs: number | null;
  /** Tenants with a running cap of their own (see runningCapSql). */
  readonly runningCapsByTenant?: Readonly<Record<string, number | null>>;
  readonly limit: number;
  readonly jobTypes: readonly string[] | null;
}

/**
 * The claim's read (the first claimable jobs as documents) with everything but the time ($1) written into the text, as a
 * statement of its own per shape. With a parameter for its LIMIT the planner cannot tell
 * a claim of one job from a scan of the queue: each run was planned anew (about 1 ms of
 * server CPU, several under load, more than running it), and the generic plan it would
 * cache instead joined the whole table. With the shape fixed, the plan is cached per
 * connection after a few runs and is the same nested loop over the claim index.
 */
export function claimStatement(shape: ClaimShape): string {
  const literal = (n: number) => {
    if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
    return String(n);
  };
  if (!Number.isInteger(shape.limit) || shape.limit < 1) throw new Error(`invalid claim limit: ${shape.limit}`);
  const types = shape.jobTypes === null ? 'NULL'
    : `ARRAY[${shape.jobTypes.map((t) => {
      if (!/^[A-Za-z]+$/.test(t)) throw new Error(`invalid job type: ${t}`);
      return `'${t}'`;
    }).join(', ')}]`;
  const values: Record<string, string> = {
    $2: literal(shape.agingSecondsPerLevel),
    $3: shape.tenantMaxRunningJobs === null ? 'NULL' : literal(shape.tenantMaxRunningJobs),
    $4: literal(shape.limit),
    $5: shape.jobTypes !== null && shape.jobTypes.length === 0 ? 'ARRAY[]' : types,
  };
  // The tenants' own caps go in last, so no tenant id is ever read as a placeholder.
  const ownCaps = runningCapSql(shape.runningCapsByTenant ?? {}, 'q.tenant_id', `${values.$3}::int`);
  const capsPlaceholder = '/* own running caps */';
  return nextQueuedJobDocumentsSql(ownCaps === null ? null : capsPlaceholder)
    .replace(/\$([2-5])(?!\d)/g, (placeholder) => values[placeholder])
    .replace(capsPlaceholder, () => ownCaps!);
}

const DUE = (alias: string) => `(${alias}.scheduled_at IS NULL OR ${alias}.scheduled_at <= $1::timestamptz)`;

/**
 * $1 now, $2 aging, $3 cap, $4 job ids (text[]): per job that claims may take, its job_id and
 * `position`, 1 + the jobs ahead by the very key NEXT_QUEUED_JOBS
 * sorts on. The key grows along each tenant's own order, so each tenant's count ahead is
 * where its stream of jobs first reaches the target's key (the whole tenant when never):
 * reads stop there instead of ranking the whole queue. A job not due yet comes after every
 * due one, by level, score and id.
 */
export const queuePositionSql = (ownCaps: string | null = null) => `${queueTenantsCte(ownCaps)},
target AS MATERIALIZED (
  SELECT j.job_id, j.queue_score, ${DUE('j')} AS due, ${LEVEL_DESC('j.queue_score')} AS level_desc, tt.last_started,${ownCaps === null ? '' : ' tt.cap,'}
    tt.running + (SELECT count(*) FROM job_views v WHERE ${CLAIMABLE_QUEUED('v')} AND v.tenant_id = j.tenant_id AND ${DUE('v')}
                    AND (v.queue_score, v.job_id) <= (j.queue_score, j.job_id)) AS round
  FROM job_views j JOIN tenants tt ON tt.tenant_id = j.tenant_id
  WHERE j.job_id = ANY($4::text[]) AND ${CLAIMABLE_QUEUED('j')}
), target_key AS (
  SELECT *, NOT (${capOf('target', ownCaps)} IS NULL OR round <= ${capOf('target', ownCaps)}) AS held_back FROM target
)
SELECT k.job_id, 1 + CASE WHEN k.due
  THEN (SELECT coalesce(sum(x.ahead), 0) FROM tenants t CROSS JOIN LATERAL (SELECT coalesce(
          (SELECT r.tenant_rank - 1 FROM (
             SELECT v.job_id, v.queue_score, row_number() OVER (ORDER BY v.queue_score, v.job_id) AS tenant_rank
             FROM job_views v WHERE ${CLAIMABLE_QUEUED('v')} AND v.tenant_id = t.tenant_id AND ${DUE('v')}
             ORDER BY v.queue_score, v.job_id) r
           WHERE (NOT (${capOf('t', ownCaps)} IS NULL OR t.running + r.tenant_rank <= ${capOf('t', ownCaps)}), ${LEVEL_DESC('r.queue_score')},
                  t.running + r.tenant_rank, t.last_started, r.queue_score, r.job_id)
              >= (k.held_back, k.level_desc, k.round, k.last_started, k.queue_score, k.job_id)
           LIMIT 1),
          (SELECT count(*) FROM job_views v WHERE ${CLAIMABLE_QUEUED('v')} AND v.tenant_id = t.tenant_id AND ${DUE('v')})) AS ahead) x)
  ELSE (SELECT count(*) FROM job_views d WHERE ${CLAIMABLE_QUEUED('d')} AND ${DUE('d')})
     + (SELECT count(*) FROM job_views l WHERE ${CLAIMABLE_QUEUED('l')} AND NOT ${DUE('l')}
          AND (${LEVEL_DESC('l.queue_score')}, l.queue_score, l.job_id) < (k.level_desc, k.queue_score, k.job_id))
  END AS position
FROM target_key k`;
export const QUEUE_POSITION = queuePositionSql();

/** Its scheduled time is still to come ($3 now). */
const NOT_DUE_AT_3 = (alias: string) => `(${alias}.scheduled_at IS NOT NULL AND ${alias}.scheduled_at > $3::timestamptz)`;

/** The project's queued jobs matching the view's filters: $1 tenant, $2 project, $5 priority, $6 job type (null = all). */
const IN_PROJECT_VIEW = (alias: string) => `${alias}.status = 'Queued' AND ${alias}.tenant_id = $1 AND ${alias}.project_id = $2
  AND ($5::text IS NULL OR ${alias}.priority = $5::text) AND ($6::text IS NULL OR ${alias}.job_type = $6::text)`;

/**
 * One page of a project's queue view. $1 tenant, $2 project, $3 now, $4 aging, $5 priority
 * (null = all), $6 job type (null = all), $7 limit, $8 offset. Within one tenant the claim
 * order is the tenant's own order (its key only grows along it, see QUEUE_POSITION), so the
 * project's due jobs come by (score, id), then those not due yet by (level, score, id), then
 * the held ones. Each part reads job_views_project_queue in its order and stops after
 * offset + limit rows: a page never sorts the project's whole queue.
 */
export const QUEUE_VIEW_PAGE = `
SELECT p.job_id, p.held, v.doc FROM (
  (SELECT 0 AS part, 0::float8 AS level_desc, v.queue_score, v.job_id, v.held FROM job_views v
   WHERE ${IN_PROJECT_VIEW('v')} AND NOT v.held AND NOT ${NOT_DUE_AT_3('v')}
   ORDER BY v.queue_score, v.job_id LIMIT $7::int + $8::int)
  UNION ALL
  (SELECT 1, -floor((extract(epoch FROM $3::timestamptz)::float8 - v.queue_score) / $4::float8), v.queue_score, v.job_id, v.held
   FROM job_views v WHERE ${IN_PROJECT_VIEW('v')} AND NOT v.held AND ${NOT_DUE_AT_3('v')}
   ORDER BY 2, v.queue_score, v.job_id LIMIT $7::int + $8::int)
  UNION ALL
  (SELECT 2, 0, v.queue_score, v.job_id, v.held FROM job_views v
   WHERE ${IN_PROJECT_VIEW('v')} AND v.held
   ORDER BY v.queue_score, v.job_id LIMIT $7::int + $8::int)
) p JOIN job_views v ON v.job_id = p.job_id
ORDER BY p.part, p.level_desc, p.queue_score, p.job_id
LIMIT $7 OFFSET $8`;

/** Counts of the project's queue view by priority, held ones (and those of them waiting for dependencies) apart. $1 tenant, $2 project, $3 priority, $4 job type (null = all). */
export const QUEUE_VIEW_COUNTS = `
SELECT priority, count(*)::int AS n, count(*) FILTER (WHERE held)::int AS held,
  count(*) FILTER (WHERE held AND ${WAITS_FOR_DEPENDENCIES('doc')})::int AS waiting FROM job_views
WHERE status = 'Queued' AND tenant_id = $1 AND project_id = $2
  AND ($3::text IS NULL OR priority = $3::text) AND ($4::text IS NULL OR job_type = $4::text)
GROUP BY priority`;

/** Mean measured wait (queuedAt to start) of the project's jobs started since $5. $1 tenant, $2 project, $3 priority, $4 job type. */
export const QUEUE_VIEW_WAITS = `
SELECT count(*)::int AS n, avg(extract(epoch FROM started_at - queued_at))::float8 AS wait FROM job_views
WHERE tenant_id = $1 AND started_at >= $5 AND project_id = $2
  AND ($3::text IS NULL OR priority = $3::text) AND ($4::text IS NULL OR job_type = $4::text)`;

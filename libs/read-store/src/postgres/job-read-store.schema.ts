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
`;

/** Upsert of job documents given as one JSONB array ($1) with the aging step in seconds ($2). */
export const UPSERT_JOB_DOCUMENTS = `
INSERT INTO job_views AS v (job_id, tenant_id, project_id, status, job_type, priority, submitted_by, date_created,
  queued_at, queue_score, scheduled_at, started_at, ended_at, timeout_at, node_id, revision, doc)
SELECT d->>'jobId', d->>'tenantId', d->>'projectId', d->>'status', d->>'jobType', d->>'priority', d->>'submittedBy',
  (d->>'submittedAt')::timestamptz,
  (d->>'queuedAt')::timestamptz,
  extract(epoch FROM (d->>'queuedAt')::timestamptz)
    - (CASE d->>'priority' WHEN 'Critical' THEN 3 WHEN 'High' THEN 2 WHEN 'Normal' THEN 1 ELSE 0 END) * $2::double precision,
  (d->'scheduling'->>'scheduledTime')::timestamptz,
  (d->>'startedAt')::timestamptz,
  (d->>'endedAt')::timestamptz,
  (d->>'startedAt')::timestamptz + make_interval(mins => (d->'scheduling'->>'timeoutMinutes')::int),
  d->>'nodeId',
  (d->>'revision')::int,
  d
FROM jsonb_array_elements($1::jsonb) AS d
ON CONFLICT (job_id) DO UPDATE SET
  status = EXCLUDED.status, priority = EXCLUDED.priority, queued_at = EXCLUDED.queued_at,
  queue_score = EXCLUDED.queue_score, scheduled_at = EXCLUDED.scheduled_at, started_at = EXCLUDED.started_at,
  ended_at = EXCLUDED.ended_at, timeout_at = EXCLUDED.timeout_at, node_id = EXCLUDED.node_id,
  revision = EXCLUDED.revision, doc = EXCLUDED.doc
`;

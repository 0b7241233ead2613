/**
 * A submit's `dependsOn` (and the job `parameters.datasetId: {fromJob}` names, which joins
 * them when not listed): each a job of this project that may still complete. Problems are
 * 400s naming the entry (`dependsOn[i]`, `parameters.datasetId.fromJob`).
 *
 * No cycle can be made: a dependency must exist when the job is submitted, and a job's id is
 * fixed before its submission (random, or derived from an Idempotency-Key), so only a job on
 * itself could close one, and that is refused.
 */
import { BadRequestException } from '@nestjs/common';
import { datasetFromJobOf, retryPending, type JobState } from '../../../../../libs/job-domain/src/index.js';
import type { JobReadStore } from '../../../../../libs/read-store/src/read-store.port.js';

/** Most jobs one job may depend on. */
export const MAX_DEPENDENCIES = 50;
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Why a job cannot be waited for (it ended for good without completing); null when it may still complete. */
function endedForGood(dependency: JobState): string | null {
  if (dependency.status === 'Cancelled') return `job ${dependency.jobId} was Cancelled, so it will never complete`;
  if (dependency.status === 'Failed' && !dependency.retriedBy && !retryPending(dependency)) {
    return `job ${dependency.jobId} Failed and no retry is pending, so it will never complete (retry it first)`;
  }
  return null;
}

/**
 * The job ids `jobId` waits for, checked: `dependsOn` as given (lower case), then the job
 * `parameters.datasetId.fromJob` names if it is not among them. Empty for a job without any.
 */
export async function submittedDependencies(
  jobs: Pick<JobReadStore, 'getJob'>, scope: { tenantId: string; projectId: string; jobId: string },
  dependsOn: readonly unknown[] | undefined, parameters: Readonly<Record<string, unknown>>,
): Promise<string[]> {
  const problems: FieldProblem[] = [];
  const entries: { jobId: string; field: string }[] = [];
  const listed = dependsOn ?? [];
  if (listed.length > MAX_DEPENDENCIES) {
    problems.push({ field: 'dependsOn', message: `lists ${listed.length} jobs; a job may depend on at most ${MAX_DEPENDENCIES}` });
  }
  listed.slice(0, MAX_DEPENDENCIES).forEach((entry, i) => {
    const field = `dependsOn[${i}]`;
    if (typeof entry !== 'string' || !JOB_ID.test(entry)) return void problems.push({ field, message: 'must be a job id (a GUID string)' });
    const id = entry.toLowerCase();
    if (id === scope.jobId) return void problems.push({ field, message: 'a job cannot depend on itself' });
    if (entries.some((e) => e.jobId === id)) return void problems.push({ field, message: `lists job ${id} a second time` });
    entries.push({ jobId: id, field });
  });
  const fromJob = datasetFromJobOf({ parameters });
  if (fromJob !== null && !entries.some((e) => e.jobId === fromJob)) {
    if (fromJob === scope.jobId) problems.push({ field: 'parameters.datasetId.fromJob', message: 'a job cannot read its own output' });
    else entries.push({ jobId: fromJob, field: 'parameters.datasetId.fromJob' });
  }
  if (entries.length > MAX_DEPENDENCIES && listed.length <= MAX_DEPENDENCIES) {
    problems.push({ field: 'parameters.datasetId.fromJob', message: `adds a dependency beyond the ${MAX_DEPENDENCIES} a job may have` });
  }
  if (problems.length === 0) {
    const found = await Promise.all(entries.map((e) => jobs.getJob(scope.tenantId, scope.projectId, e.jobId)));
    entries.forEach((entry, i) => {
      const dependency = found[i];
      // Another project's or tenant's job reads as no job at all: its existence is not told.
      if (!dependency) return void problems.push({ field: entry.field, message: 'no job with this id in this project' });
      const ended = endedForGood(dependency);
      if (ended) return void problems.push({ field: entry.field, message: ended });
      if (entry.jobId === fromJob && dependency.jobType !== 'DataEnrichment') {
        problems.push({
          field: 'parameters.datasetId.fromJob',
          message: `job ${entry.jobId} is a ${dependency.jobType} job; fromJob names a DataEnrichment job, whose enriched dataset this job reads`,
        });
      }
    });
  }
  if (problems.length > 0) throw new BadRequestException({ message: 'Invalid job dependencies', errors: problems });
  return entries.map((e) => e.jobId);
}

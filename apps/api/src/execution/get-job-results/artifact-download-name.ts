import { fileNameSlug } from '../../http/attachment.js';

/**
 * The name a downloaded artifact is saved under: the job's name and the start of its id
 * before the artifact's own (`running-example-3f2a9c1d-report.html`), so the downloads of
 * many jobs do not overwrite each other. The ASCII twin serves clients that read only `filename`.
 */
export function artifactDownloadName(job: { jobName: string; jobId: string }, fileName: string): { fileName: string; asciiFileName: string } {
  const named = (slug: string) => [slug, job.jobId.slice(0, 8), fileName].filter(Boolean).join('-');
  return { fileName: named(fileNameSlug(job.jobName)), asciiFileName: named(fileNameSlug(job.jobName, { ascii: true })) };
}

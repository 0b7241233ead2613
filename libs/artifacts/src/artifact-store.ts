/**
 * Files produced by jobs and uploaded as datasets live under one root folder
 * (FILES_DIR; by default inside DATA_DIR). Several API and worker processes on
 * different machines share it as a mounted volume. Paths are always derived from
 * validated ids, never from user-supplied names.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function segment(value: string): string {
  if (!SAFE_SEGMENT.test(value) || value.includes('..')) throw new Error(`unsafe path segment: ${value}`);
  return value;
}

/** Where an outcome's files are: `outputFolder` since attempts have folders of their own in the project's folder, `attemptFolder` inside the job's folder before, neither for the oldest outcomes. */
export interface ArtifactLocation {
  readonly outputFolder?: string;
  readonly attemptFolder?: string;
}

export class ArtifactStore {
  constructor(readonly root: string) {}

  /**
   * Folder one attempt of a job writes its outputs into (its job runner creates it empty),
   * directly in the project's folder. Each claim has a folder of its own, so a node that
   * lost the job (and may still be writing) never touches the files of the attempt that
   * replaced it; results point at the winner's folder. One folder per attempt, not one per
   * job with one per attempt inside: making a directory is the costliest file-system step
   * of a short job.
   */
  attemptOutputDir(tenantId: string, projectId: string, outputFolder: string): string {
    return path.join(this.projectArtifactsDir(tenantId, projectId), segment(outputFolder));
  }

  private projectArtifactsDir(tenantId: string, projectId: string): string {
    return path.join(this.root, 'artifacts', segment(tenantId), segment(projectId));
  }

  /** A published artifact of an outcome stored at `location` (see ArtifactLocation). */
  jobArtifactPath(tenantId: string, projectId: string, jobId: string, fileName: string, location?: ArtifactLocation | null): string {
    const project = this.projectArtifactsDir(tenantId, projectId);
    if (location?.outputFolder) return path.join(project, segment(location.outputFolder), segment(fileName));
    const job = path.join(project, segment(jobId));
    return path.join(location?.attemptFolder ? path.join(job, segment(location.attemptFolder)) : job, segment(fileName));
  }

  datasetDir(tenantId: string, projectId: string): string {
    return path.join(this.root, 'datasets', segment(tenantId), segment(projectId));
  }

  datasetPath(tenantId: string, projectId: string, datasetId: string, extension: string): string {
    return path.join(this.datasetDir(tenantId, projectId), `${segment(datasetId)}.${segment(extension)}`);
  }

  /** Uploaded process models (PNML, BPMN), next to the datasets. */
  modelDir(tenantId: string, projectId: string): string {
    return path.join(this.root, 'models', segment(tenantId), segment(projectId));
  }

  modelPath(tenantId: string, projectId: string, modelId: string, extension: string): string {
    return path.join(this.modelDir(tenantId, projectId), `${segment(modelId)}.${segment(extension)}`);
  }

  async sizeOf(filePath: string): Promise<number> {
    return (await stat(filePath)).size;
  }

  /** Total bytes in a folder (the job's disk usage so far). */
  async folderBytes(dir: string): Promise<number> {
    let total = 0;
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, entry.name);
      total += entry.isDirectory() ? await this.folderBytes(full) : (await stat(full).catch(() => ({ size: 0 }))).size;
    }
    return total;
  }

  async exists(filePath: string): Promise<boolean> {
    return stat(filePath).then((s) => s.isFile(), () => false);
  }

  open(filePath: string): ReadStream {
    return createReadStream(filePath);
  }
}

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

export class ArtifactStore {
  constructor(readonly root: string) {}

  /**
   * Folder one attempt of a job writes its outputs into (its job runner creates it empty).
   * Each claim has a folder of its own, so a node that lost the job (and may still be
   * writing) never touches the files of the attempt that replaced it; results point at the
   * winner's folder.
   */
  attemptOutputDir(tenantId: string, projectId: string, jobId: string, attemptFolder: string): string {
    return path.join(this.jobOutputDir(tenantId, projectId, jobId), segment(attemptFolder));
  }

  jobOutputDir(tenantId: string, projectId: string, jobId: string): string {
    return path.join(this.root, 'artifacts', segment(tenantId), segment(projectId), segment(jobId));
  }

  /** A published artifact: in its attempt's folder, or directly in the job's folder for outcomes stored before attempts had folders. */
  jobArtifactPath(tenantId: string, projectId: string, jobId: string, fileName: string, attemptFolder?: string): string {
    const dir = this.jobOutputDir(tenantId, projectId, jobId);
    return path.join(attemptFolder ? path.join(dir, segment(attemptFolder)) : dir, segment(fileName));
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

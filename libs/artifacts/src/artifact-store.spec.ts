import path from 'node:path';
import { ArtifactStore } from './artifact-store.js';

describe('ArtifactStore paths', () => {
  const store = new ArtifactStore(path.join(path.sep, 'data', 'files'));
  const project = path.join(path.sep, 'data', 'files', 'artifacts', 'acme', 'p1');

  it('puts an attempt\'s folder directly in the project\'s folder, named by job and attempt', () => {
    expect(store.attemptOutputDir('acme', 'p1', 'job-1.attempt-3')).toBe(path.join(project, 'job-1.attempt-3'));
    expect(store.jobArtifactPath('acme', 'p1', 'job-1', 'report.html', { outputFolder: 'job-1.attempt-3' }))
      .toBe(path.join(project, 'job-1.attempt-3', 'report.html'));
  });

  it('still finds the files of outcomes stored in the earlier layouts', () => {
    // An attempt folder inside the job's folder, then files directly in the job's folder.
    expect(store.jobArtifactPath('acme', 'p1', 'job-1', 'report.html', { attemptFolder: 'attempt-3' }))
      .toBe(path.join(project, 'job-1', 'attempt-3', 'report.html'));
    expect(store.jobArtifactPath('acme', 'p1', 'job-1', 'report.html', null)).toBe(path.join(project, 'job-1', 'report.html'));
  });

  it('refuses path segments that could leave the root', () => {
    expect(() => store.attemptOutputDir('acme', 'p1', '..')).toThrow(/unsafe path segment/);
    expect(() => store.jobArtifactPath('acme', 'p1', 'job-1', 'x', { outputFolder: '../other' })).toThrow(/unsafe path segment/);
  });
});

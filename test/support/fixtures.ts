/**
 * The event logs kept in test/fixtures (origins and licences in test/fixtures/README.md).
 * Every test and bench names its input through these constants, so nothing outside the
 * repository is read. Paths resolve from the repository root, where npm runs everything.
 */
import path from 'node:path';

export const FIXTURES_DIR = path.resolve(process.cwd(), 'test/fixtures');
export const DIRTY_FIXTURES_DIR = path.join(FIXTURES_DIR, 'dirty');
export const RUNNING_EXAMPLE_CSV = path.join(FIXTURES_DIR, 'running-example.csv');
export const RUNNING_EXAMPLE_XES = path.join(FIXTURES_DIR, 'running-example.xes');
export const BPIC_2012_XES_GZ = path.join(FIXTURES_DIR, 'bpic2012.xes.gz');
/** The running example's process as BPMN, and the Petri net it stands for as PNML (written for this project). */
export const RUNNING_EXAMPLE_BPMN = path.join(FIXTURES_DIR, 'models/running-example.bpmn');
export const RUNNING_EXAMPLE_PNML = path.join(FIXTURES_DIR, 'models/running-example.pnml');

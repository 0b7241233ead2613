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
export const INTERVAL_EVENT_LOG_CSV = path.join(FIXTURES_DIR, 'interval-event-log.csv');
/** Hand-made: the same 16 lifecycle records (two cases) as CSV and XES; figures in test/fixtures/README.md. */
export const LIFECYCLE_TRANSITIONS_CSV = path.join(FIXTURES_DIR, 'lifecycle/transitions.csv');
export const LIFECYCLE_TRANSITIONS_XES = path.join(FIXTURES_DIR, 'lifecycle/transitions.xes');
/** Published grammars the model writers are validated against (PNML: RELAX NG; BPMN 2.0: XSD). */
export const PNML_SCHEMA_DIR = path.join(FIXTURES_DIR, 'schemas/pnml');
export const BPMN_SCHEMA_DIR = path.join(FIXTURES_DIR, 'schemas/bpmn');
/** The OCEL 2.0 JSON schema (draft-07) the OCEL export is validated against. */
export const OCEL_20_JSON_SCHEMA = path.join(FIXTURES_DIR, 'schemas/ocel/ocel20-schema-json.json');
/** The running example's process as BPMN, and the Petri net it stands for as PNML (written for this project). */
export const RUNNING_EXAMPLE_BPMN = path.join(FIXTURES_DIR, 'models/running-example.bpmn');
export const RUNNING_EXAMPLE_PNML = path.join(FIXTURES_DIR, 'models/running-example.pnml');

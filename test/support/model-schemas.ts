/**
 * Validates PNML and BPMN documents against the published grammars kept in
 * test/fixtures/schemas, with libxml2's xmllint (WebAssembly build, no network): PNML against
 * the RELAX NG P/T-net type definition ptnet.pntd, BPMN against OMG's BPMN20.xsd.
 * The grammar files are kept as published; ptnet.pntd and pnmlcoremodel.rng include their
 * parts by pnml.org URL, which are pointed at the local copies here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateXML, type XMLValidationError } from 'xmllint-wasm';
import { BPMN_SCHEMA_DIR, PNML_SCHEMA_DIR } from './fixtures.js';

export interface SchemaValidation {
  readonly valid: boolean;
  readonly errors: readonly string[];
}

const PNML_GRAMMAR_URL = 'http://www.pnml.org/version-2009/grammar/';
const PNML_PARTS = ['conventions.rng', 'pnmlcoremodel.rng', 'anyElement.rng'] as const;
const BPMN_PARTS = ['Semantic.xsd', 'BPMNDI.xsd', 'DC.xsd', 'DI.xsd'] as const;
// xmllint needs room for the BPMN schemas and a BPIC-sized document.
const MEMORY_PAGES = 4096;

function messages(errors: readonly XMLValidationError[]): string[] {
  return errors.map((e) => e.rawMessage);
}

export async function validatePnml(xml: string): Promise<SchemaValidation> {
  const local = async (name: string): Promise<string> =>
    (await readFile(path.join(PNML_SCHEMA_DIR, name), 'utf8')).replaceAll(`href="${PNML_GRAMMAR_URL}`, 'href="');
  const result = await validateXML({
    xml: [{ fileName: 'model.pnml', contents: xml }],
    schema: [{ fileName: 'ptnet.pntd', contents: await local('ptnet.pntd') }],
    preload: await Promise.all(PNML_PARTS.map(async (fileName) => ({ fileName, contents: await local(fileName) }))),
    extension: 'relaxng',
    initialMemoryPages: MEMORY_PAGES,
    maxMemoryPages: MEMORY_PAGES,
  });
  return { valid: result.valid, errors: messages(result.errors) };
}

export async function validateBpmn(xml: string): Promise<SchemaValidation> {
  const read = (name: string): Promise<string> => readFile(path.join(BPMN_SCHEMA_DIR, name), 'utf8');
  const result = await validateXML({
    xml: [{ fileName: 'model.bpmn', contents: xml }],
    schema: [{ fileName: 'BPMN20.xsd', contents: await read('BPMN20.xsd') }],
    preload: await Promise.all(BPMN_PARTS.map(async (fileName) => ({ fileName, contents: await read(fileName) }))),
    initialMemoryPages: MEMORY_PAGES,
    maxMemoryPages: MEMORY_PAGES,
  });
  return { valid: result.valid, errors: messages(result.errors) };
}

/**
 * Checks JSON answers against the component schemas of the service's OpenAPI document with Ajv.
 * OpenAPI 3.0's `nullable: true` becomes `anyOf: [schema, {type: null}]`: Ajv accepts `nullable`
 * only beside `type`, and the document also sets it beside `allOf: [{$ref}]`.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

function withNullAsJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullAsJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withNullAsJsonSchema(value)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

export interface OpenApiValidator {
  /** Ajv's errors for `value` against components.schemas[name]; empty when it conforms. */
  errors(schemaName: string, value: unknown): ErrorObject[];
}

export function openApiValidator(document: { components: { schemas: Record<string, unknown> } }): OpenApiValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: 'openapi', components: withNullAsJsonSchema(document.components) }, 'openapi');
  return {
    errors(schemaName, value) {
      const validate = ajv.getSchema(`openapi#/components/schemas/${schemaName}`);
      if (!validate) throw new Error(`no schema ${schemaName} in the document`);
      return validate(value) ? [] : [...(validate.errors ?? [])];
    },
  };
}

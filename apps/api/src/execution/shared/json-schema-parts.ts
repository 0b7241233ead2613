/** Small builders for the response schemas written as plain JSON-schema objects (OpenAPI 3.0 dialect). */
export type Schema = Record<string, unknown>;

export const string: Schema = { type: 'string' };
export const dateTime: Schema = { type: 'string', format: 'date-time' };
export const uuid: Schema = { type: 'string', format: 'uuid' };
export const number: Schema = { type: 'number' };
export const integer: Schema = { type: 'integer' };
export const boolean: Schema = { type: 'boolean' };
export const strings: Schema = { type: 'array', items: string };
export const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
export const enumOf = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
/** A JSON object not described further. */
export const anyObject = (description?: string): Schema => ({ type: 'object', additionalProperties: true, ...(description && { description }) });
export const numbersByName: Schema = { type: 'object', additionalProperties: number };
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
/** OpenAPI 3.0 allows `nullable` only beside a type, so a `$ref` is wrapped in `allOf`. */
export const nullable = (schema: Schema): Schema => ('$ref' in schema ? { allOf: [schema], nullable: true } : { ...schema, nullable: true });

/** An object whose `required` fields are always present and whose `optional` ones may be absent. */
export function object(required: Record<string, Schema>, optional: Record<string, Schema> = {}, description?: string): Schema {
  return {
    type: 'object',
    ...(description && { description }),
    properties: { ...required, ...optional },
    ...(Object.keys(required).length > 0 && { required: Object.keys(required) }),
  };
}

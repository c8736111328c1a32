/**
 * A small vocabulary for the schemas of success answers, declared next to each route (`success.schema`)
 * so that one place describes each answer. Members of an object are required unless listed as optional:
 * an answer always carries them. A schema given a name with `named` is listed once under
 * `components.schemas` and referenced wherever it appears.
 */
export type JsonSchema = Record<string, unknown>;

const names = new WeakMap<object, string>();

/** The component name given to a schema, if any. */
export function schemaName(schema: object): string | undefined {
  return names.get(schema);
}

const described = (schema: JsonSchema, description?: string): JsonSchema => (description ? { ...schema, description } : schema);

export const r = {
  string: (description?: string) => described({ type: 'string' }, description),
  int: (description?: string) => described({ type: 'integer' }, description),
  number: (description?: string) => described({ type: 'number' }, description),
  boolean: (description?: string) => described({ type: 'boolean' }, description),
  /** A closed set of values (statuses, types, aliases). */
  enum: (values: readonly (string | number)[], description?: string) =>
    described({ type: typeof values[0] === 'number' ? 'integer' : 'string', enum: [...values] }, description),
  /** A date-time in the ISO 8601 form the API emits. */
  dateTime: (description?: string) => described({ type: 'string', format: 'date-time' }, description),
  /** The value, or `null`. */
  nullable: (schema: JsonSchema): JsonSchema => {
    if (schema.$ref) return { anyOf: [schema, { type: 'null' }] };
    const out: JsonSchema = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
    return out;
  },
  array: (items: JsonSchema, description?: string) => described({ type: 'array', items }, description),
  object: (properties: Record<string, JsonSchema>, opts: { optional?: string[]; description?: string } = {}): JsonSchema => {
    const required = Object.keys(properties).filter((k) => !opts.optional?.includes(k));
    return described({ type: 'object', properties, ...(required.length ? { required } : {}) }, opts.description);
  },
  /** An object used as a map: any keys, values of one schema. */
  map: (values: JsonSchema, description?: string) => described({ type: 'object', additionalProperties: values }, description),
  /** A string holding JSON (fields the original API emits encoded, e.g. `spec_info`). */
  jsonString: (content: JsonSchema, description?: string) =>
    described({ type: 'string', contentMediaType: 'application/json', contentSchema: content }, description),
  /** Lists the schema under `components.schemas` with this name. */
  named: <S extends JsonSchema>(name: string, schema: S): S => {
    names.set(schema, name);
    return schema;
  },
};

/**
 * `--param NAME=VALUE` to a query's parameters, typed by the JSON Schema GET /v1/queries gives for
 * the query: a number for integer and number, true/false for boolean, a comma-separated list for
 * an array. A value that does not read as its type, and a name the schema lacks, are sent as
 * text: the server is the one judge of parameters, and its 400 names each bad field.
 */
import { UsageError } from './errors.js';

/** The part of a JSON Schema this module reads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
}

/** The one type a schema admits, looking through anyOf/oneOf whose members all agree. */
const typeOf = (schema: JsonSchema | undefined): string | undefined => {
  if (!schema) return undefined;
  if (typeof schema.type === 'string') return schema.type;
  const members = schema.anyOf ?? schema.oneOf;
  if (!members) return undefined;
  const types = new Set(members.map(typeOf));
  return types.size === 1 ? [...types][0] : undefined;
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const typedValue = (text: string, schema: JsonSchema | undefined): unknown => {
  switch (typeOf(schema)) {
    case 'integer':
    case 'number':
      return NUMBER.test(text.trim()) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
      return text === '' ? [] : text.split(',').map((item) => typedValue(item.trim(), schema?.items));
    default:
      return text;
  }
};

/**
 * Each `NAME=VALUE`, split at the first `=`: checked before anything is sent, so that a malformed
 * one is a usage error whether or not the endpoint answers.
 */
export const splitParams = (params: readonly string[], command: string): [string, string][] => {
  const seen = new Set<string>();
  return params.map((text) => {
    const at = text.indexOf('=');
    if (at <= 0) throw new UsageError(`--param takes NAME=VALUE, not '${text}'`, command);
    const name = text.slice(0, at);
    if (seen.has(name)) throw new UsageError(`--param ${name} is given twice`, command);
    seen.add(name);
    return [name, text.slice(at + 1)];
  });
};

/** The parameters, each value typed by its property in the query's schema (text when unknown). */
export const typedParameters = (
  pairs: readonly (readonly [string, string])[],
  schema: JsonSchema | undefined,
): Record<string, unknown> =>
  Object.fromEntries(pairs.map(([name, value]) => [name, typedValue(value, schema?.properties?.[name])]));

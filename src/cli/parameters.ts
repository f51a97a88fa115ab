/**
 * `--param NAME=VALUE` to a query's parameters, typed by the JSON Schema GET /v1/queries gives for
 * the query: a number for integer and number, true/false for boolean, a comma-separated list for
 * an array. A name the query does not take is refused before anything is sent (naming those it
 * takes), and so is a name like `__proto__` whatever the schema; a value that does not read as
 * its type is sent as text: the server judges values, and its 400 names each bad field.
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

/** Names that are members of every JavaScript object: never a parameter's. */
const OBJECT_MEMBERS = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
]);

/**
 * The parameters, each value typed by its property in the query's schema (text when the schema
 * is not known: an unknown query, which the start's 404 names).
 */
export const typedParameters = (
  pairs: readonly (readonly [string, string])[],
  schema: JsonSchema | undefined,
  query: string,
): Record<string, unknown> => {
  const properties = schema?.properties;
  for (const [name] of pairs) {
    const known = properties === undefined || Object.hasOwn(properties, name);
    if (OBJECT_MEMBERS.has(name) || !known) {
      const takes = properties ? Object.keys(properties).join(', ') || 'none' : 'see trailhound queries';
      throw new UsageError(
        `--param ${name}: ${query} takes no parameter of that name (it takes: ${takes})`,
        'ask',
      );
    }
  }
  return Object.fromEntries(pairs.map(([name, value]) => [name, typedValue(value, properties?.[name])]));
};

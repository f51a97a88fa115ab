/**
 * Requests an integrator might send, and some an attacker would: bodies generated from the JSON
 * Schemas the API publishes for each query (GET /v1/queries), bent in every way fast-check can
 * (wrong types, hostile strings, unknown fields, missing fields), with odd methods, paths,
 * headers and query strings around them. Used by the property tests and by the fuzz script.
 */
import fc from 'fast-check';
import { HOSTILE_STRINGS } from '../helpers/hostileStrings.js';

/** A JSON Schema as z.toJSONSchema writes a query's parameters (the parts we read). */
interface ParameterSchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, ParameterSchema>>;
  readonly items?: ParameterSchema;
  readonly anyOf?: readonly ParameterSchema[];
  readonly default?: unknown;
}

export interface CatalogEntry {
  readonly name: string;
  readonly parameters: ParameterSchema;
  readonly example: { readonly request: Record<string, unknown> };
}

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Sent exactly as written (node:http), for targets and headers fetch would change or refuse. */
  readonly raw?: boolean;
}

/** Names every JavaScript object has: as keys of a query string, a header or a body. */
const OBJECT_MEMBERS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
] as const;

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS.map((s) => s.slice(0, 2000))),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '%ZZ', '../../etc/passwd', 'NaN', '-1', '1e309'),
);

/** Anything JSON can hold, for the places that expect one type. */
const anyJson = fc.jsonValue({ maxDepth: 2 });

/** A value for a schema: most often of its type, sometimes not at all. */
const valueFor = (schema: ParameterSchema): fc.Arbitrary<unknown> => {
  const typed: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) typed.push(fc.constantFrom(...schema.enum));
  if (schema.const !== undefined) typed.push(fc.constant(schema.const));
  if (schema.anyOf) typed.push(...schema.anyOf.map(valueFor));
  switch (schema.type) {
    case 'string':
      typed.push(hostile);
      break;
    case 'integer':
    case 'number':
      typed.push(fc.integer({ min: -100_000, max: 100_000 }), fc.double());
      break;
    case 'boolean':
      typed.push(fc.boolean());
      break;
    case 'array':
      typed.push(fc.array(schema.items ? valueFor(schema.items) : anyJson, { maxLength: 60 }));
      break;
    case 'object':
      typed.push(parametersFor(schema));
      break;
  }
  return typed.length > 0
    ? fc.oneof({ weight: 4, arbitrary: fc.oneof(...typed) }, { weight: 1, arbitrary: anyJson })
    : anyJson;
};

/** An object of some of the schema's properties, and now and then a property it does not have. */
const parametersFor = (schema: ParameterSchema): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(
      fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([name, property]) => [name, valueFor(property)]),
        ),
        { requiredKeys: [] },
      ),
      fc.option(fc.dictionary(hostile, anyJson, { maxKeys: 2 }), { freq: 8 }),
    )
    .map(([known, extra]) => ({ ...known, ...(extra ?? {}) }));

const instant = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('2023-07-10T00:00:00Z', '2023-07-10T12:00:00Z', '2023-07-11T00:00:00Z'),
  },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date('1999-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  { weight: 1, arbitrary: hostile },
);

/** A body for POST /v1/executions: one query's parameters, a window, and the optional fields. */
const executionBody = (catalog: readonly CatalogEntry[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    // A request as documented, with one of the sample's windows: the engine runs it.
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...catalog),
          fc.constantFrom(
            ['2023-07-10T11:00:00Z', '2023-07-10T13:00:00Z'],
            ['2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z'],
            ['2031-01-01T00:00:00Z', '2031-01-02T00:00:00Z'],
          ),
        )
        .map(([entry, [from, to]]) => ({ ...entry.example.request, from, to })),
    },
    {
      weight: 8,
      arbitrary: fc.constantFrom(...catalog).chain((entry) =>
        fc.record(
          {
            query: fc.oneof(
              { weight: 9, arbitrary: fc.constant(entry.name) },
              { weight: 1, arbitrary: hostile },
            ),
            parameters: fc.oneof(
              { weight: 3, arbitrary: fc.constant(entry.example.request.parameters) },
              { weight: 6, arbitrary: parametersFor(entry.parameters) },
              { weight: 1, arbitrary: anyJson },
            ),
            from: instant,
            to: instant,
            accounts: fc.array(
              fc.oneof(
                { weight: 4, arbitrary: fc.constant('123837392027') },
                { weight: 1, arbitrary: hostile },
              ),
              {
                minLength: 1,
                maxLength: 3,
              },
            ),
            regions: fc.array(
              fc.oneof({ weight: 4, arbitrary: fc.constant('us-east-1') }, { weight: 1, arbitrary: hostile }),
              {
                minLength: 1,
                maxLength: 3,
              },
            ),
            reuseResultsMinutes: fc.oneof(
              { weight: 4, arbitrary: fc.integer({ min: 1, max: 60 }) },
              { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -5, max: 20_000 }), anyJson) },
            ),
            notify: fc.record({
              url: fc.oneof(
                fc.constantFrom(
                  'x',
                  '',
                  'http://',
                  '://nohost',
                  'https://user:pass@h.example/x',
                  'javascript:alert(1)',
                ),
                fc.webUrl(),
                hostile,
              ),
            }),
          },
          { requiredKeys: ['query', 'from'] },
        ),
      ),
    },
    { weight: 1, arbitrary: anyJson },
  );

const executionId = fc.oneof(
  fc.uuid(),
  hostile.map(encodeURIComponent),
  fc.constantFrom('%ZZ', '%', '..%2F..%2Fetc'),
);

const contentType: fc.Arbitrary<Record<string, string>> = fc
  .oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('', 'text/plain', 'application/json; charset=latin1') },
  )
  .map((type): Record<string, string> => (type ? { 'content-type': type } : {}));

/** A body with a key named after an Object member somewhere: JSON.parse makes it an own key. */
const withMemberKey = (catalog: readonly CatalogEntry[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...catalog), fc.constantFrom(...OBJECT_MEMBERS), fc.boolean())
    .map(([entry, member, inParameters]) => {
      const text = JSON.stringify({
        ...entry.example.request,
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
      });
      const injected = `"${member}":{"dryRun":true,"eventNames":["x"]},`;
      return inParameters
        ? text.replace('"parameters":{', `"parameters":{${injected}`)
        : text.replace('{', `{${injected}`);
    });

/** Requests whose keys, targets or answers' formats an audit saw go wrong: Object members, `//[`, Markdown. */
const oddRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        '/v1/executions',
        '/v1/queries',
        '/health',
        '/v1/executions/00000000-0000-4000-8000-000000000000/results',
      ),
      fc.constantFrom(...OBJECT_MEMBERS),
      fc.constantFrom(...OBJECT_MEMBERS),
    )
    .map(([path, key, header]) => ({
      method: 'GET',
      path: `${path}?${key}=1&limit=5`,
      headers: { [header]: 'x', [`x-${header}`]: 'y' },
      raw: true,
    })),
  fc
    .constantFrom(
      '//[',
      '//[::1',
      '//evil.example/v1/queries',
      '/%',
      '/v1/executions/%ZZ/results',
      '//',
      '/.%2e/',
    )
    .map((path) => ({ method: 'GET', path, headers: {}, raw: true })),
  fc
    .tuple(
      fc.uuid(),
      fc.constantFrom('text/markdown', 'text/csv', 'application/x-ndjson', 'text/html', '*/*;q=0'),
    )
    .map(([id, accept]) => ({
      method: 'GET',
      path: `/v1/executions/${id}/results?limit=3`,
      headers: { accept },
    })),
);

/** One request of any kind the API serves, or a wrong one. */
export const anyRequest = (catalog: readonly CatalogEntry[]): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(
    { weight: 2, arbitrary: oddRequest },
    {
      weight: 1,
      arbitrary: withMemberKey(catalog).map((body) => ({
        method: 'POST',
        path: '/v1/executions',
        headers: { 'content-type': 'application/json' },
        body,
      })),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          executionBody(catalog),
          contentType,
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom('', '?wait=0', '?wait=1') },
            { weight: 1, arbitrary: fc.constantFrom('?wait=99', '?wait=x', '?wait=-1') },
          ),
          fc.oneof(
            { weight: 8, arbitrary: fc.constant(null) },
            {
              weight: 2,
              arbitrary: fc.oneof(
                fc.stringMatching(/^[A-Za-z0-9._:-]{32,40}$/),
                fc.constant('fuzz-key-0000000000000000000000000001'),
                hostile,
              ),
            },
          ),
        )
        .map(([body, headers, query, key]) => ({
          method: 'POST',
          path: `/v1/executions${query}`,
          headers: {
            ...headers,
            // A header value holds visible ASCII only: anything else is sent percent-encoded.
            ...(key === null
              ? {}
              : {
                  'idempotency-key': (/^[\x21-\x7e]+$/.test(key)
                    ? key
                    : encodeURIComponent(key) || 'k'
                  ).slice(0, 200),
                }),
          },
          body: JSON.stringify(body),
        })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('GET', 'DELETE'),
          executionId,
          fc.constantFrom(
            '',
            '/results',
            '/csv',
            '/results?limit=0',
            '/results?limit=1000',
            '/results?nextToken=garbage',
          ),
        )
        .map(([method, id, rest]) => ({ method, path: `/v1/executions/${id}${rest}`, headers: {} })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('GET', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'),
          fc.constantFrom('/', '/health', '/v1/queries', '/v1/downloads/x', '/v1/executions'),
          hostile,
        )
        .map(([method, path, junk]) => ({
          method,
          path: `${path}?q=${encodeURIComponent(junk)}`,
          headers: {},
          ...(method === 'GET' ? {} : { body: junk }),
        })),
    },
  );

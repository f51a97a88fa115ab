/**
 * The OpenAPI 3.1 document of API v1, built from the zod schemas that validate each request (its
 * path, query, headers and body: each query of the catalog its own variant of the start's body)
 * and the schemas of its answers (responseSchemas.ts). Every route of src/routes.ts has its
 * operation here, and nothing else: a test checks both ways.
 */
import { z } from 'zod';
import { GetIntegrityCheckInputSchema } from '../handlers/getIntegrityCheck.js';
import { GetResultsInputSchema, RESULT_FORMATS } from '../handlers/getResults.js';
import { ListExecutionsInputSchema } from '../handlers/listExecutions.js';
import { StartExecutionOptionsSchema } from '../handlers/startExecution.js';
import { IntegrityCheckBodySchema, StartIntegrityCheckQuerySchema } from '../handlers/startIntegrityCheck.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { WatchPathSchema } from '../lib/http/watchPath.js';
import { WatchBodySchema } from '../lib/watches/watchDefinition.js';
import { QUERIES } from '../queries/catalog.js';
import { ExecutionBodySchema } from '../queries/executionPlan.js';
import { exampleRequest } from '../queries/queryDefinition.js';
import { ANSWERS } from './responseSchemas.js';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const jsonContent = (id: string) => ({ 'application/json': { schema: ref(id) } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

/** One OpenAPI parameter per field of a zod object (path, query or header). */
const parametersOf = (where: 'path' | 'query' | 'header', schema: z.ZodObject) => {
  const object = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
};

/** The start's body: one variant per query, each with that query's parameters and its example. */
const startBody = () => {
  const common = jsonSchema(ExecutionBodySchema) as {
    properties: Record<string, JsonSchema>;
    required: string[];
  };
  return {
    oneOf: QUERIES.map((query) => ({
      title: query.name,
      description: query.title,
      type: 'object',
      properties: {
        ...common.properties,
        query: { const: query.name },
        parameters: jsonSchema(query.parameters),
      },
      required: common.required,
      additionalProperties: false,
      examples: [exampleRequest(query)],
    })),
  };
};

const COMMON_PROBLEMS = {
  '405': problem('The path takes other methods (Allow lists them).'),
  '500': problem('A bug: quote the requestId.'),
};
const executionProblems = {
  '400': problem('The execution id, a parameter or the nextToken is invalid; `errors` names each.'),
  '404': problem('No such execution, or not the caller’s.'),
};

/** Each route's operation, by the route's name in src/routes.ts. */
export const OPERATIONS: Record<string, Record<string, unknown>> = {
  health: {
    summary: 'Whether the API is up, and which engine runs queries',
    responses: { '200': { description: 'Up.', content: jsonContent('Health') } },
  },
  listQueries: {
    summary: 'The query catalog: each query with the JSON Schema of its parameters and an example',
    responses: { '200': { description: 'The catalog.', content: jsonContent('QueryCatalog') } },
  },
  listDetections: {
    summary: 'The detections the sweep query runs, with severity, techniques and references',
    responses: { '200': { description: 'The detections.', content: jsonContent('DetectionCatalog') } },
  },
  startExecution: {
    summary: 'Start a query over a window, or estimate what it would scan (dryRun)',
    parameters: [
      ...parametersOf('query', StartExecutionOptionsSchema.shape.query),
      ...parametersOf('header', StartExecutionOptionsSchema.shape.headers),
    ],
    requestBody: { required: true, content: { 'application/json': { schema: startBody() } } },
    responses: {
      '200': {
        description: 'The execution ended within `wait` (with its first page if it SUCCEEDED), or a dry run.',
        content: { 'application/json': { schema: { oneOf: [ref('FinishedStart'), ref('DryRun')] } } },
      },
      '202': {
        description: 'Started; poll the Location.',
        headers: {
          Location: { schema: { type: 'string' } },
          'Retry-After': { schema: { type: 'string' } },
        },
        content: jsonContent('AcceptedStart'),
      },
      '400': problem('A field is invalid; `errors` names each.'),
      '404': problem('No query of that name.'),
      '413': problem(
        'The body is over 1 MiB (the local server; on AWS, API Gateway and Lambda bound a request at 10 and 6 MB).',
      ),
      '415': problem('The body is not application/json.'),
      '422': problem(
        'Over the budget or the scan cutoff (with the estimate), no estimate possible, or an Idempotency-Key reused.',
      ),
      '429': problem('Too many executions wait already (Retry-After).'),
      '501': problem(
        'verifyIntegrity where the deployment has no integrity checks (it does not say where its logs and results are).',
      ),
      '503': problem('The engine cannot take it now (Retry-After when trying again helps).'),
    },
  },
  listExecutions: {
    summary: "The caller's executions, newest first, by label, query and state",
    parameters: parametersOf('query', ListExecutionsInputSchema.shape.query),
    responses: {
      '200': { description: 'A page of executions.', content: jsonContent('ExecutionList') },
      '400': problem('A filter or the nextToken is invalid.'),
      '503': problem('The engine cannot be reached.'),
    },
  },
  getExecution: {
    summary: 'An execution: state, window, statistics, and why it failed',
    parameters: parametersOf('path', ExecutionPathSchema),
    responses: {
      '200': { description: 'The execution.', content: jsonContent('Execution') },
      ...executionProblems,
    },
  },
  cancelExecution: {
    summary: 'Cancel a queued or running execution',
    parameters: parametersOf('path', ExecutionPathSchema),
    responses: {
      '200': { description: 'Cancelled.', content: jsonContent('Execution') },
      ...executionProblems,
      '409': problem('It had already ended.'),
    },
  },
  getResults: {
    summary: 'The result: a page of typed rows, or every row as CSV or JSON Lines, or a Markdown table',
    parameters: [
      ...parametersOf('path', GetResultsInputSchema.shape.path),
      ...parametersOf('query', GetResultsInputSchema.shape.query),
      {
        name: 'Accept',
        in: 'header',
        required: false,
        schema: { type: 'string', examples: [...RESULT_FORMATS] },
      },
    ],
    responses: {
      '200': {
        description:
          'The result in the format asked for; a Link header names the next part when there is one.',
        headers: { Link: { schema: { type: 'string' } } },
        content: {
          'application/json': { schema: ref('ResultPage') },
          'text/csv': { schema: { type: 'string' } },
          'application/x-ndjson': { schema: { type: 'string' } },
          'text/markdown': { schema: { type: 'string' } },
        },
      },
      ...executionProblems,
      '406': problem('Accept names no format of this route.'),
      '409': problem('The execution has not SUCCEEDED.'),
      '410': problem(
        'The result files expired (TRAILHOUND_RESULTS_RETENTION), are gone from the results directory, or were cut short: start the execution again.',
      ),
    },
  },
  getCsv: {
    summary: 'A signed link to the whole result as a CSV file',
    parameters: parametersOf('path', ExecutionPathSchema),
    responses: {
      '303': {
        description: 'See the Location: a link that expires.',
        headers: { Location: { schema: { type: 'string' } } },
        content: jsonContent('ResultLink'),
      },
      ...executionProblems,
      '409': problem('The execution has not SUCCEEDED.'),
      '410': problem('Its result files expired (TRAILHOUND_RESULTS_RETENTION) or are gone.'),
    },
  },
  startIntegrityCheck: {
    summary: "Check a window's log files against CloudTrail's digests (signatures, hashes, chain)",
    parameters: parametersOf('query', StartIntegrityCheckQuerySchema),
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: jsonSchema(IntegrityCheckBodySchema),
          examples: { sample: { value: { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' } } },
        },
      },
    },
    responses: {
      '200': { description: 'The check ended within `wait`.', content: jsonContent('IntegrityCheck') },
      '202': {
        description: 'Started; poll the Location.',
        headers: { Location: { schema: { type: 'string' } }, 'Retry-After': { schema: { type: 'string' } } },
        content: jsonContent('AcceptedIntegrityCheck'),
      },
      '400': problem('A field is invalid; `errors` names each.'),
      '415': problem('The body is not application/json.'),
      '422': problem(
        "The window's log files are over the bytes one check may hash (TRAILHOUND_INTEGRITY_MAX_BYTES).",
      ),
      '501': problem(
        'This deployment has no integrity checks (it does not say where its logs and results are).',
      ),
    },
  },
  getIntegrityCheck: {
    summary: 'An integrity check: progress, verdict, counts, and a page of its problems',
    parameters: [
      ...parametersOf('path', GetIntegrityCheckInputSchema.shape.path),
      ...parametersOf('query', GetIntegrityCheckInputSchema.shape.query),
    ],
    responses: {
      '200': { description: 'The check.', content: jsonContent('IntegrityCheck') },
      '400': problem('The limit or the nextToken is invalid.'),
      '404': problem('No such check.'),
      '501': problem(
        'This deployment has no integrity checks (it does not say where its logs and results are).',
      ),
    },
  },
  getEvidence: {
    summary: 'Signed evidence of an execution: what it asked of which files, and what it answered',
    parameters: parametersOf('path', ExecutionPathSchema),
    responses: {
      '200': { description: 'The manifest and its signature.', content: jsonContent('Evidence') },
      ...executionProblems,
      '409': problem('The execution has not SUCCEEDED.'),
      '410': problem('Its result files expired (TRAILHOUND_RESULTS_RETENTION) or are gone.'),
      '501': problem('This deployment has no key to sign evidence with.'),
    },
  },
  getEvidencePublicKey: {
    summary: 'The public key evidence is signed with (PEM, SubjectPublicKeyInfo)',
    responses: {
      '200': {
        description: 'The key.',
        content: { 'application/x-pem-file': { schema: { type: 'string' } } },
      },
      '501': problem('This deployment has no key to sign evidence with.'),
    },
  },
  createWatch: {
    summary:
      'Run a query on a schedule and deliver each new finding once (PagerDuty, Slack, Jira, or signed JSON)',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: jsonSchema(WatchBodySchema),
          examples: {
            sweep: {
              value: {
                query: 'sweep',
                every: 'PT15M',
                notify: { url: 'https://hooks.example.com/trailhound', format: 'trailhound' },
                label: 'soc-sweep',
              },
            },
          },
        },
      },
    },
    responses: {
      '201': {
        description: 'Made; its first run is due at once.',
        headers: { Location: { schema: { type: 'string' } } },
        content: jsonContent('Watch'),
      },
      '400': problem('A field is invalid; `errors` names each.'),
      '404': problem('No query of that name.'),
      '415': problem('The body is not application/json.'),
      '422': problem('The deployment has as many watches as it allows (TRAILHOUND_MAX_WATCHES).'),
      '501': problem('This deployment keeps no watches (TRAILHOUND_WATCHES_TABLE unset on AWS).'),
    },
  },
  listWatches: {
    summary: 'Every watch, oldest first, with its next and last run',
    responses: {
      '200': { description: 'The watches.', content: jsonContent('WatchList') },
      '400': problem('A query parameter was given: this route takes none.'),
      '501': problem('This deployment keeps no watches (TRAILHOUND_WATCHES_TABLE unset on AWS).'),
    },
  },
  getWatch: {
    summary:
      'A watch: definition, next run, last run (execution, new findings, delivered, delivery error) and totals',
    parameters: parametersOf('path', WatchPathSchema),
    responses: {
      '200': { description: 'The watch.', content: jsonContent('Watch') },
      '400': problem('Not a watch id.'),
      '404': problem('No such watch.'),
      '501': problem('This deployment keeps no watches (TRAILHOUND_WATCHES_TABLE unset on AWS).'),
    },
  },
  deleteWatch: {
    summary: 'Delete a watch and the keys it delivered (its executions stay)',
    parameters: parametersOf('path', WatchPathSchema),
    responses: {
      '204': { description: 'Deleted.' },
      '400': problem('Not a watch id.'),
      '404': problem('No such watch.'),
      '501': problem('This deployment keeps no watches (TRAILHOUND_WATCHES_TABLE unset on AWS).'),
    },
  },
  runWatch: {
    summary: 'Run a watch now, outside its schedule',
    parameters: parametersOf('path', WatchPathSchema),
    responses: {
      '202': {
        description: 'Its execution started; poll the Location, or the watch for the delivery.',
        headers: { Location: { schema: { type: 'string' } }, 'Retry-After': { schema: { type: 'string' } } },
        content: jsonContent('AcceptedWatchRun'),
      },
      '400': problem('Not a watch id.'),
      '404': problem('No such watch.'),
      '409': problem('A run of the watch is under way.'),
      '422': problem(
        "Over its budget (maxBytesScanned) or the scan cutoff, or the watch no longer plans under the deployment's limits: the run is recorded FAILED.",
      ),
      '501': problem('This deployment keeps no watches (TRAILHOUND_WATCHES_TABLE unset on AWS).'),
    },
  },
  getOpenApi: {
    summary: 'This document',
    responses: {
      '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } },
    },
  },
};

/** The answers' schemas as components: zod names each by its id; OpenAPI needs no $schema or $id. */
const answerSchemas = () => {
  const { schemas } = z.toJSONSchema(ANSWERS, {
    uri: (id) => `#/components/schemas/${id}`,
    io: 'output',
  }) as {
    schemas: Record<string, JsonSchema>;
  };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
};

/** The document for `routes`: one operation for each, from OPERATIONS. */
export const openApiDocument = (
  routes: readonly { readonly name: string; readonly method: string; readonly resource: string }[],
) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation = OPERATIONS[route.name];
    if (!operation) throw new Error(`route ${route.name} has no OpenAPI operation`);
    const responses = { ...(operation.responses as object), ...COMMON_PROBLEMS };
    paths[route.resource] ??= {};
    (paths[route.resource] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.name,
      ...operation,
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'trailhound API',
      version: '1',
      description:
        'Named, validated, cost-bounded CloudTrail investigations over HTTP. Errors are RFC 9457 problem documents. On AWS every method is signed with SigV4 (service execute-api), and takes an API key too where the deployment asks for one; the local server takes neither.',
    },
    // Relative to where this document is served (…/v1/openapi.json): the API's root, stage included.
    servers: [{ url: '..', description: 'the API that serves this document' }],
    security: [{ sigv4: [] }],
    paths,
    components: {
      schemas: answerSchemas(),
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'AWS Signature Version 4 for execute-api (on AWS; the local server takes none)',
        },
        apiKey: {
          type: 'apiKey',
          name: 'x-api-key',
          in: 'header',
          description: 'where the deployment sets apiKeys=true',
        },
      },
    },
  };
};

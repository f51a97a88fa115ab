/** Every route's Lambda bundle builds without DuckDB and works on its own. */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltBundle, buildLambdas } from '../../scripts/buildLambdas.js';
import { LAMBDA_FUNCTIONS } from '../../src/lambda/functions.js';
import { API_ROUTES } from '../../src/routes.js';

let bundles: BuiltBundle[];
beforeAll(async () => {
  bundles = await buildLambdas();
});

const invoke = (file: string, event: object) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(file)});
const context = { awsRequestId: 'r-1', functionName: 'f', getRemainingTimeInMillis: () => 29000 };
process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)}, context)));`,
      ],
      {
        env: {
          ...process.env,
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          TRAILHOUND_ENGINE: 'athena',
          AWS_REGION: 'us-east-1',
        },
      },
    ).toString(),
  );

describe('Lambda bundles', () => {
  it('one per function, from its entry in src/lambda, none with the embedded engine or DuckDB in it', () => {
    expect(bundles.map((b) => b.handler)).toEqual(LAMBDA_FUNCTIONS);
    for (const route of API_ROUTES) expect(LAMBDA_FUNCTIONS).toContain(route.name);
    for (const bundle of bundles) {
      expect(
        bundle.inputs.filter((i) => /duckdb/i.test(i)),
        bundle.handler,
      ).toEqual([]);
      expect(bundle.inputs, bundle.handler).toContain(`src/lambda/${bundle.handler}.ts`);
    }
  });

  it('a built bundle answers an API Gateway proxy event on its own', () => {
    const listQueries = bundles.find((b) => b.handler === 'listQueries');
    const response = invoke(listQueries?.file as string, {
      resource: '/v1/queries',
      path: '/v1/queries',
      httpMethod: 'GET',
      headers: {},
      queryStringParameters: null,
      pathParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'r-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).queries.map((q: { name: string }) => q.name)).toContain(
      'security-group-ingress',
    );
  });

  it('a built bundle validates its input before touching AWS', () => {
    const getResults = bundles.find((b) => b.handler === 'getResults');
    const response = invoke(getResults?.file as string, {
      resource: '/v1/executions/{executionId}/results',
      path: '/v1/executions/x/results',
      httpMethod: 'GET',
      headers: {},
      queryStringParameters: { limit: '5000' },
      pathParameters: { executionId: 'x' },
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'r-2' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['Content-Type']).toBe('application/problem+json');
    expect(JSON.parse(response.body).errors[0].pointer).toBe('#/query/limit');
  });
});

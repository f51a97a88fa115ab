/**
 * The OpenAPI document: valid OpenAPI 3.1 by a real validator, one operation for every route and
 * none without one, each query's example a valid variant of the start's body, and served by the
 * API itself. That real answers fit it is checked by the contract suite (openApiAnswers.ts).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../../src/lib/http/httpHandler.js';
import { OPERATIONS } from '../../src/openapi/openApiDocument.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { planExecution } from '../../src/queries/executionPlan.js';
import { exampleRequest } from '../../src/queries/queryDefinition.js';
import { API_ROUTES, routeNamed } from '../../src/routes.js';
import { DOCUMENT } from '../helpers/openApiAnswers.js';
import { lambdaContext, proxyEvent } from '../helpers/proxyEvents.js';

// biome-ignore lint/suspicious/noExplicitAny: the document is free-form JSON
type Json = any;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(DOCUMENT));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('fails validation when broken: the validator is not a rubber stamp', async () => {
    const broken: Json = structuredClone(DOCUMENT);
    delete broken.paths['/health'].get.responses['200'].description;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('has one operation for each route, and none for a route that does not exist', () => {
    const documented = Object.entries(DOCUMENT.paths as Record<string, Record<string, Json>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.resource}`).sort());
    expect(Object.keys(OPERATIONS).sort()).toEqual(API_ROUTES.map((r) => r.name).sort());
    for (const route of API_ROUTES) {
      const operation = (DOCUMENT.paths as Json)[route.resource][route.method.toLowerCase()];
      expect(operation.operationId).toBe(route.name);
      expect(operation.summary.length, route.name).toBeGreaterThan(10);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['500']));
      // Every path parameter of the resource is declared.
      for (const [, name] of route.resource.matchAll(/\{(\w+)\}/g))
        expect(
          operation.parameters.map((p: Json) => p.name),
          route.name,
        ).toContain(name);
    }
  });

  it("describes the start's body as one variant per query, each example valid and accepted", () => {
    const body = (DOCUMENT.paths as Json)['/v1/executions'].post.requestBody.content['application/json']
      .schema;
    expect(body.oneOf.map((v: Json) => v.properties.query.const)).toEqual(QUERIES.map((q) => q.name));
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    for (const [i, query] of QUERIES.entries()) {
      const variant = body.oneOf[i];
      const example = variant.examples[0];
      expect(example).toEqual(exampleRequest(query));
      expect(ajv.validate(variant, example), `${query.name}: ${ajv.errorsText()}`).toBe(true);
      // What the document accepts, the API accepts.
      expect(planExecution(example, { TRAILHOUND_MAX_WINDOW_DAYS: 366 }).ok, query.name).toBe(true);
      // And a parameter the query does not take is refused by both.
      const wrong = { ...example, parameters: { ...example.parameters, notAParameter: 1 } };
      expect(ajv.validate(variant, wrong)).toBe(false);
      expect(planExecution(wrong, { TRAILHOUND_MAX_WINDOW_DAYS: 366 }).ok).toBe(false);
    }
  });

  it('is served at GET /v1/openapi.json', async () => {
    const response = await httpHandler(routeNamed('getOpenApi'))(
      proxyEvent({ httpMethod: 'GET', resource: '/v1/openapi.json' }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual(DOCUMENT);
  });
});

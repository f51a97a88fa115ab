import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { loadDuckDbConfig } from '../../../../src/lib/config.js';
import { httpHandler } from '../../../../src/lib/http/httpHandler.js';
import { json } from '../../../../src/lib/http/responses.js';
import { engineRoute, type InputParser, type RawInput, schemaInput } from '../../../../src/lib/http/route.js';
import type { Runtime } from '../../../../src/lib/runtime.js';
import { lambdaContext, proxyEvent } from '../../../helpers/proxyEvents.js';

const runtime = { config: loadDuckDbConfig({}), engine: {} } as unknown as Runtime;

/** A route that answers with the input its parser produced. */
const echo = (parse: InputParser<unknown>) =>
  httpHandler(
    engineRoute({
      name: 'echo',
      method: 'POST',
      resource: '/echo/{id}',
      input: parse,
      handle: async (input) => json(200, input),
    }),
    async () => runtime,
  );

describe('validateInput', () => {
  it('hands the parser the path, query, lower-cased headers and the parsed JSON body', async () => {
    const parse = vi.fn((raw: RawInput) => raw);
    const response = await echo(parse)(
      proxyEvent({
        pathParameters: { id: 'x1' },
        queryStringParameters: { wait: '5' },
        headers: { 'Idempotency-Key': 'k', 'Content-Type': 'application/json' },
        body: '{"a":[1,2]}',
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      path: { id: 'x1' },
      query: { wait: '5' },
      headers: { 'idempotency-key': 'k', 'content-type': 'application/json' },
      body: { a: [1, 2] },
      // Who signed the request, as API Gateway says: the fixture's assumed-role session.
      principal: 'arn:aws:sts::111122223333:assumed-role/incident-responder/responder',
    });
  });

  it('decodes a base64 body, and gives an absent body as undefined', async () => {
    const parse = vi.fn((raw: RawInput) => ({ body: raw.body ?? 'absent' }));
    const encoded = await echo(parse)(
      proxyEvent({ body: Buffer.from('{"b":true}').toString('base64'), isBase64Encoded: true }),
      lambdaContext(),
    );
    expect(JSON.parse(encoded.body)).toEqual({ body: { b: true } });
    const empty = await echo(parse)(proxyEvent({ body: null }), lambdaContext());
    expect(JSON.parse(empty.body)).toEqual({ body: 'absent' });
  });

  it('answers 400 at #/body for a body that is not JSON, without running the parser', async () => {
    const parse = vi.fn();
    const response = await echo(parse)(proxyEvent({ body: '{"a":' }), lambdaContext());
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { pointer: '#/body', detail: 'the body is not valid JSON' },
    ]);
    expect(parse).not.toHaveBeenCalled();
  });

  it("gives the parser the runtime's configuration", async () => {
    const parse = vi.fn((_raw: RawInput, config: unknown) => ({
      days: (config as Runtime['config']).TRAILHOUND_MAX_WINDOW_DAYS,
    }));
    const response = await echo(parse)(proxyEvent(), lambdaContext());
    expect(JSON.parse(response.body)).toEqual({ days: 366 });
  });

  it('with a zod schema, names every invalid field with a JSON pointer', async () => {
    const handler = echo(
      schemaInput(
        z.object({
          query: z.object({ limit: z.coerce.number().int().max(10) }),
          body: z.object({ 'a/b': z.string(), list: z.array(z.number()) }),
        }),
      ),
    );
    const response = await handler(
      proxyEvent({ queryStringParameters: { limit: '11' }, body: '{"a/b":1,"list":[1,"x"]}' }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '#/query/limit',
      '#/body/a~1b',
      '#/body/list/1',
    ]);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { loadDuckDbConfig } from '../../../../src/lib/config.js';
import { httpHandler } from '../../../../src/lib/http/httpHandler.js';
import { json } from '../../../../src/lib/http/responses.js';
import { engineRoute, schemaInput, staticRoute } from '../../../../src/lib/http/route.js';
import type { Runtime } from '../../../../src/lib/runtime.js';
import { lambdaContext, proxyEvent } from '../../../helpers/proxyEvents.js';

const runtimeNamed = (name: string) =>
  ({ config: loadDuckDbConfig({ TRAILHOUND_LOGS_DIR: name }), engine: {} }) as unknown as Runtime;

const whichRuntime = engineRoute({
  name: 'which',
  method: 'GET',
  resource: '/which',
  input: schemaInput(z.object({})),
  handle: async (_input, { runtime }) =>
    json(200, { logs: runtime.config.TRAILHOUND_ENGINE === 'duckdb' && runtime.config.TRAILHOUND_LOGS_DIR }),
});

describe('injectRuntime', () => {
  it("hands each handler its own provider's runtime: two in one process never share", async () => {
    const a = httpHandler(whichRuntime, async () => runtimeNamed('/logs/a'));
    const b = httpHandler(whichRuntime, async () => runtimeNamed('/logs/b'));
    expect(JSON.parse((await a(proxyEvent(), lambdaContext())).body)).toEqual({ logs: '/logs/a' });
    expect(JSON.parse((await b(proxyEvent(), lambdaContext())).body)).toEqual({ logs: '/logs/b' });
    expect(JSON.parse((await a(proxyEvent(), lambdaContext())).body)).toEqual({ logs: '/logs/a' });
  });

  it('asks the provider on every request (a lazy provider makes it once)', async () => {
    const provider = vi.fn(async () => runtimeNamed('/logs/a'));
    const handler = httpHandler(whichRuntime, provider);
    await handler(proxyEvent(), lambdaContext());
    await handler(proxyEvent(), lambdaContext());
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('answers 500 when the runtime cannot be made, and a route that needs one cannot be built without it', async () => {
    const failing = httpHandler(whichRuntime, async () => {
      throw new Error('no logs directory');
    });
    expect((await failing(proxyEvent(), lambdaContext())).statusCode).toBe(500);
    expect(() => httpHandler(whichRuntime)).toThrow(/needs a runtime provider/);
  });

  it('gives a static route no runtime and needs no provider for it', async () => {
    const handler = httpHandler(
      staticRoute({
        name: 'static',
        method: 'GET',
        resource: '/static',
        input: schemaInput(z.object({})),
        handle: async (_input, request) => json(200, { hasRuntime: 'runtime' in request }),
      }),
    );
    expect(JSON.parse((await handler(proxyEvent(), lambdaContext())).body)).toEqual({ hasRuntime: false });
  });
});

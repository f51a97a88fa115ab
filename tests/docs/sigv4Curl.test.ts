/**
 * The README's "Calling the deployed API with SigV4" commands, run for real: the ```sh block of
 * that section goes to `sh -c` (and to bash and zsh, when installed, since people paste it there)
 * with `API` pointed at a local capture server, once with temporary credentials and once with
 * long-term ones (no session token: unset, and set but empty). Every request it receives must
 * carry every header its Authorization names in SignedHeaders (curl signs a `-H` header with an
 * empty value but does not send it, which AWS refuses), and its signature must be the one the AWS
 * SDK's SigV4 signer computes over those headers, with the request's X-Amz-Date.
 *
 * The same section's IAM policy is checked too: `execute-api:Invoke` on resources of the form
 * `arn:aws:execute-api:region:account-id:api-id/stage/METHOD_HTTP_VERB/Resource-path`, where a
 * trailing `*` matches every path below it, as documented in "Control access for invoking an
 * API" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html)
 * and its examples, e.g. `arn:aws:execute-api:us-east-1:*:a123456789/test/POST/my-demo-resource-path/*`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-iam-policy-examples-for-api-execution.html).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/routes.js';

const run = promisify(execFile);

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'),
  'utf8',
);
const MARKER = 'Calling the deployed API with SigV4';
const sectionStart = readme.indexOf(MARKER);
const section = readme.slice(sectionStart, readme.indexOf('**What a query costs**', sectionStart));

/** The first fenced block of `lang` in the section, without its fences. */
const fenced = (lang: string): string => {
  const open = `\`\`\`${lang}\n`;
  const start = section.indexOf(open);
  if (start < 0) throw new Error(`no \`\`\`${lang} block after "${MARKER}" in README.md`);
  const end = section.indexOf('\n```', start + open.length);
  return section.slice(start + open.length, end + 1);
};

/** The README's `API=` line, pointing at the real API, is the one line the test replaces. */
const API_LINE = /^API=https:\/\/[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9]+$/m;

// AWS's documented example keys; the token is made up.
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE/session+token=';
const API_KEY = 'trailhoundExampleApiKey0123456789';
const STAGE = 'prod';

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** The headers a request signed; fails unless each of them was sent. */
const signedHeaders = (request: Captured): string[] => {
  const match = AUTHORIZATION.exec(String(request.headers.authorization));
  expect(match, `a SigV4 Authorization header on ${request.method} ${request.url}`).not.toBeNull();
  const names = (match?.[5] ?? '').split(';');
  for (const name of names) {
    expect(
      request.headers[name],
      `${request.method} ${request.url}: header ${name} is in SignedHeaders but was not sent`,
    ).toBeDefined();
  }
  return names;
};

/** Recomputes the request's signature with the SDK's signer and compares the Authorization. */
const verifySignature = async (request: Captured, sessionToken: string | undefined) => {
  const names = signedHeaders(request);
  const amzDate = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(
    String(request.headers['x-amz-date']),
  );
  expect(amzDate, 'an X-Amz-Date header').not.toBeNull();
  const [, year, month, day, hour, minute, second] = (amzDate ?? []).map(Number) as number[];
  const signingDate = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
  const url = new URL(request.url, `http://${request.headers.host}`);
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken },
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Sha256,
    // No x-amz-content-sha256 header: API Gateway does not ask for one, and curl sends none.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: Object.fromEntries(names.map((name) => [name, String(request.headers[name])])),
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(names) },
  );
  expect(request.headers.authorization, `the signature of ${request.method} ${request.url}`).toBe(
    signed.headers.authorization,
  );
};

/** curl's version, or undefined when there is no curl. */
const curlVersion = async (): Promise<[number, number, number] | undefined> => {
  try {
    const { stdout } = await run('curl', ['--version']);
    const match = /^curl (\d+)\.(\d+)\.(\d+)/.exec(stdout);
    return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
  } catch {
    return undefined;
  }
};

const installed = async (shell: string): Promise<boolean> => {
  try {
    await run(shell, ['-c', 'exit 0']);
    return true;
  } catch {
    return false;
  }
};

const CASES = [
  {
    name: 'temporary credentials and API key',
    env: { AWS_SESSION_TOKEN: SESSION_TOKEN, TICKETING_API_KEY: API_KEY },
    token: SESSION_TOKEN,
    apiKey: API_KEY,
  },
  {
    name: 'long-term, token and key unset',
    env: {},
    token: undefined,
    apiKey: undefined,
  },
  {
    name: 'long-term, token and key empty',
    env: { AWS_SESSION_TOKEN: '', TICKETING_API_KEY: '' },
    token: undefined,
    apiKey: undefined,
  },
] as const;

describe('README: calling the deployed API with SigV4', () => {
  let server: Server;
  let api: string;
  let home: string;
  const received: Captured[] = [];

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'trailhound-sigv4-'));
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"captured":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${STAGE}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(home, { recursive: true, force: true });
  });

  it('has a ```sh block whose API line names an API Gateway stage', () => {
    expect(sectionStart, `"${MARKER}" in README.md`).toBeGreaterThanOrEqual(0);
    expect(fenced('sh')).toMatch(API_LINE);
  });

  describe.each(['sh', 'bash', 'zsh'])('pasted into %s', (shell) => {
    it.for(CASES)('$name: sends every header it signs, signed as the SDK signs', async (c, ctx) => {
      const version = await curlVersion();
      if (version === undefined) {
        return ctx.skip('curl is not installed: --aws-sigv4 needs curl 7.75 or newer');
      }
      const [major, minor] = version;
      if (major < 7 || (major === 7 && minor < 75)) {
        return ctx.skip(`curl ${version.join('.')} is too old: --aws-sigv4 needs curl 7.75 or newer`);
      }
      if (!(await installed(shell))) return ctx.skip(`${shell} is not installed`);

      const block = fenced('sh');
      expect(block).toMatch(API_LINE);
      const script = block.replace(API_LINE, `API=${api}`);
      received.length = 0;
      const { stdout } = await run(shell, ['-c', script], {
        timeout: 30_000,
        // Nothing of the caller's environment: no real credentials, no proxy, no ~/.curlrc.
        env: {
          PATH: process.env.PATH,
          HOME: home,
          CURL_HOME: home,
          AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
          ...c.env,
        },
      });

      expect(stdout).toBe('{"captured":true}'.repeat(2));
      expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST /${STAGE}/v1/executions?wait=20`,
        `GET /${STAGE}/v1/queries`,
      ]);
      const [start] = received;
      expect(start?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(start?.body ?? '')).toMatchObject({ query: 'security-group-ingress' });

      for (const request of received) {
        const names = signedHeaders(request);
        expect(names).toContain('host');
        expect(names).toContain('x-amz-date');
        if (c.token === undefined) {
          expect(request.headers['x-amz-security-token'], 'no token header without a token').toBeUndefined();
          expect(names).not.toContain('x-amz-security-token');
        } else {
          expect(request.headers['x-amz-security-token']).toBe(c.token);
          expect(names).toContain('x-amz-security-token');
        }
        if (c.apiKey === undefined) {
          expect(request.headers['x-api-key'], 'no x-api-key header without a key').toBeUndefined();
          expect(names).not.toContain('x-api-key');
        } else {
          expect(request.headers['x-api-key'], `x-api-key on ${request.method} ${request.url}`).toBe(
            c.apiKey,
          );
        }
        await verifySignature(request, c.token);
      }
    });
  });

  it('documents a least-privilege policy: execute-api:Invoke on the routes a calling system needs', () => {
    const policy = JSON.parse(fenced('json')) as {
      Version: string;
      Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
    };
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement?.Effect).toBe('Allow');
    expect([statement?.Action].flat()).toEqual(['execute-api:Invoke']);

    // arn:aws:execute-api:region:account-id:api-id/stage/METHOD_HTTP_VERB/Resource-path
    const ARN = /^arn:aws:execute-api:([a-z0-9-]+):(\d{12}):([a-z0-9]+)\/([a-z0-9]+)\/([A-Z]+)(\/.*)$/;
    const allowed = new Set<string>();
    for (const resource of [statement?.Resource ?? []].flat()) {
      const match = ARN.exec(resource);
      expect(match, `${resource} in the execute-api ARN format`).not.toBeNull();
      expect(resource, 'a wildcard only at the end of the path').not.toMatch(/\*.*\//);
      const [, , , , stage, method, pathPattern] = match ?? [];
      expect(stage).toBe(STAGE);
      // A trailing * matches the rest of the path, sub-resources included.
      const pattern = new RegExp(
        `^${(pathPattern ?? '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*$/, '.+')}$`,
      );
      const routes = API_ROUTES.filter(
        (route) => route.method === method && pattern.test(route.resource.replace('{executionId}', 'abc')),
      );
      expect(routes, `${resource} allows some route`).not.toHaveLength(0);
      for (const route of routes) allowed.add(`${route.method} ${route.resource}`);
    }
    expect([...allowed].sort()).toEqual([
      'GET /v1/detections',
      'GET /v1/executions',
      'GET /v1/executions/{executionId}',
      'GET /v1/executions/{executionId}/csv',
      'GET /v1/executions/{executionId}/evidence',
      'GET /v1/executions/{executionId}/results',
      'GET /v1/queries',
      'POST /v1/executions',
    ]);
  });
});

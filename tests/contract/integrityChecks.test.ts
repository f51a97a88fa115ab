/**
 * POST and GET /v1/integrity-checks on a real local server: over the bundled sample (its digests
 * made by the generator) a check is intact; over a tampered copy it is tampered, with the problem
 * where it was planted, a page at a time; bad requests are problem+json and start nothing; a check
 * survives a restart; every answer fits the OpenAPI document.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { ANSWERS, call } from '../helpers/apiClient.js';
import { answerProblems } from '../helpers/openApiAnswers.js';
import {
  duckDbTestRuntime,
  restartTestServer,
  startTestServer,
  type TestServer,
} from '../helpers/testServer.js';
import { digestedTrail } from '../helpers/trailDigests.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/aws-doc-examples');
const DAY5 = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05';
const SAMPLE_DAY = { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' };
const DOC_DAYS = { from: '2024-03-05T00:00:00Z', to: '2024-03-07T00:00:00Z' };

let sample: TestServer;
let tampered: TestServer;
let removed: string[];

beforeAll(async () => {
  sample = await startTestServer(await duckDbTestRuntime(SAMPLE_LOGS_DIR));
  const trail = await digestedTrail(FIXTURE);
  // Two log files a digest lists, deleted: two problems to page through.
  removed = [
    `${DAY5}/111122223333_CloudTrail_us-east-1_20240305T0930Z_docexamples0001.json.gz`,
    `${DAY5}/111122223333_CloudTrail_us-east-1_20240305T1110Z_docexamples0003.json.gz`,
  ];
  for (const key of removed) await rm(path.join(trail.logsDir, ...key.split('/')));
  tampered = await startTestServer(
    await duckDbTestRuntime(trail.logsDir, { TRAILHOUND_CLOUDTRAIL_PUBLIC_KEYS: trail.keysFile }),
  );
}, 60_000);

afterAll(async () => {
  for (const server of [sample, tampered]) {
    await server?.close();
    await server?.runtime.close?.();
  }
});

const waitForCheck = async (server: TestServer, checkId: string, query = '') => {
  for (let i = 0; i < 100; i++) {
    const answer = await call(server.baseUrl, 'GET', `/v1/integrity-checks/${checkId}${query}`);
    if (answer.body.state !== 'RUNNING') return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`check ${checkId} still running`);
};

describe('integrity checks over HTTP', () => {
  it('finds the sample intact: its three digests and one log file valid', async () => {
    const answer = await call(sample.baseUrl, 'POST', '/v1/integrity-checks?wait=10', SAMPLE_DAY);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('location')).toBe(`/v1/integrity-checks/${answer.body.checkId}`);
    expect(answer.body).toMatchObject({
      state: 'SUCCEEDED',
      window: SAMPLE_DAY,
      verdict: 'intact',
      summary: {
        digestFiles: { valid: 3, invalid: 0, missing: 0, unsigned: 0 },
        logFiles: { valid: 1, invalid: 0, missing: 0, undigested: 0 },
        gaps: 0,
      },
      progress: { filesDone: 4, filesTotal: 4 },
      problems: [],
    });
  });

  it('answers 202 with progress without ?wait, and the check is read back by id', async () => {
    const started = await call(sample.baseUrl, 'POST', '/v1/integrity-checks', SAMPLE_DAY);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ checkId: expect.any(String), state: 'RUNNING' });
    expect(started.headers.get('retry-after')).toBe('1');
    const ended = await waitForCheck(sample, started.body.checkId);
    expect(ended.body.verdict).toBe('intact');
  });

  it('finds a tampered trail tampered, each problem where it was planted, a page at a time', async () => {
    const started = await call(tampered.baseUrl, 'POST', '/v1/integrity-checks?wait=10', DOC_DAYS);
    expect(started.body.verdict).toBe('tampered');
    expect(started.body.summary.logFiles).toEqual({ valid: 2, invalid: 0, missing: 2, undigested: 0 });
    const first = await waitForCheck(tampered, started.body.checkId, '?limit=1');
    expect(first.body.problems).toEqual([
      { kind: 'log-missing', path: removed[0], detail: 'listed by a digest, and not there' },
    ]);
    const second = await call(
      tampered.baseUrl,
      'GET',
      `/v1/integrity-checks/${started.body.checkId}?limit=1&nextToken=${first.body.nextToken}`,
    );
    expect(second.body.problems.map((p: { path: string }) => p.path)).toEqual([removed[1]]);
    expect(second.body.nextToken).toBeUndefined();
  });

  it('refuses bad requests with problem+json naming each field, and starts nothing', async () => {
    const bad = await call(sample.baseUrl, 'POST', '/v1/integrity-checks?wait=99', {
      from: 'yesterday',
      regions: ['US East'],
      query: 'sweep',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(
      ['#/body', '#/body/from', '#/body/regions/0', '#/query/wait'].sort(),
    );
    const long = await call(sample.baseUrl, 'POST', '/v1/integrity-checks', {
      from: '2020-01-01T00:00:00Z',
      to: '2023-01-01T00:00:00Z',
    });
    expect(long.body.errors).toEqual([
      { pointer: '#/body/to', detail: expect.stringContaining('at most 366 days') },
    ]);
    const unknown = await call(
      sample.baseUrl,
      'GET',
      '/v1/integrity-checks/00000000-0000-4000-8000-000000000000',
    );
    expect(unknown.status).toBe(404);
    const token = await call(
      sample.baseUrl,
      'GET',
      '/v1/integrity-checks/00000000-0000-4000-8000-000000000000?nextToken=x&limit=0',
    );
    expect(token.status).toBe(400);
  });

  it('keeps an ended check across a restart', async () => {
    const started = await call(sample.baseUrl, 'POST', '/v1/integrity-checks?wait=10', SAMPLE_DAY);
    sample = await restartTestServer(sample);
    const again = await call(sample.baseUrl, 'GET', `/v1/integrity-checks/${started.body.checkId}`);
    expect(again.body).toMatchObject({ checkId: started.body.checkId, verdict: 'intact' });
  });

  it('an execution with verifyIntegrity carries the verdict and its check; one over a tampered trail warns', async () => {
    const ask = { query: 'events', parameters: { eventNames: ['CreateUser'] }, verifyIntegrity: true };
    const intact = await call(sample.baseUrl, 'POST', '/v1/executions?wait=20', { ...ask, ...SAMPLE_DAY });
    expect(intact.body.state).toBe('SUCCEEDED');
    expect(intact.body.statistics.integrity).toEqual({
      checkId: expect.any(String),
      verdict: 'intact',
      logFiles: { valid: 1, invalid: 0, missing: 0, undigested: 0 },
    });
    expect(intact.body.warnings).toBeUndefined();
    const check = await call(
      sample.baseUrl,
      'GET',
      `/v1/integrity-checks/${intact.body.statistics.integrity.checkId}`,
    );
    expect(check.body).toMatchObject({ verdict: 'intact', window: SAMPLE_DAY });

    const warned = await call(tampered.baseUrl, 'POST', '/v1/executions?wait=20', { ...ask, ...DOC_DAYS });
    expect(warned.body.state).toBe('SUCCEEDED');
    expect(warned.body.statistics.integrity).toMatchObject({ verdict: 'tampered', logFiles: { missing: 2 } });
    expect(warned.body.warnings).toEqual([
      `The log files read are not as CloudTrail delivered them (tampered): 2 log-missing; first ${removed[0]}. GET /v1/integrity-checks/${warned.body.statistics.integrity.checkId} lists every problem.`,
    ]);
    // Without verifyIntegrity nothing is checked and nothing is said.
    const plain = await call(tampered.baseUrl, 'POST', '/v1/executions?wait=20', {
      ...ask,
      verifyIntegrity: false,
      ...DOC_DAYS,
    });
    expect(plain.body.statistics.integrity).toBeUndefined();
  });

  it('refuses a check over TRAILHOUND_INTEGRITY_MAX_BYTES with 422, and an execution asking one says it was not verified', async () => {
    const bounded = await startTestServer(
      await duckDbTestRuntime(SAMPLE_LOGS_DIR, { TRAILHOUND_INTEGRITY_MAX_BYTES: '1000' }),
    );
    try {
      const refused = await call(bounded.baseUrl, 'POST', '/v1/integrity-checks', SAMPLE_DAY);
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toMatch(
        /^The window's log files are \d+ bytes, over the 1000 bytes one integrity check may hash \(TRAILHOUND_INTEGRITY_MAX_BYTES\)/,
      );
      const run = await call(bounded.baseUrl, 'POST', '/v1/executions?wait=20', {
        query: 'events',
        parameters: { eventNames: ['CreateUser'] },
        verifyIntegrity: true,
        ...SAMPLE_DAY,
      });
      expect(run.body.state).toBe('SUCCEEDED');
      expect(run.body.statistics.integrity).toBeUndefined();
      expect(run.body.warnings).toEqual([
        expect.stringMatching(/^The log files were not verified: The window's log files are/),
      ]);
    } finally {
      await bounded.close();
      await bounded.runtime.close?.();
    }
  });

  it('answers as the OpenAPI document says', () => {
    const problems = ANSWERS.flatMap((a) => {
      const resource = a.path
        .split('?')[0]
        ?.replace(/\/v1\/integrity-checks\/.+$/, '/v1/integrity-checks/{checkId}');
      return answerProblems(a.method, resource as string, a.status, a.contentType, a.body).map(
        (p) => `${a.method} ${a.path} ${a.status}: ${p}`,
      );
    });
    expect(ANSWERS.length).toBeGreaterThan(8);
    expect(problems).toEqual([]);
  });
});

/**
 * Signed evidence over HTTP on a real local server over the bundled sample: the manifest states
 * what was asked, of which file (its size and, verified, its gunzipped SHA-256, both worked out
 * here from the file itself), and what was answered (the rows, the SHA-256 of the CSV a client
 * downloads); `trailhound verify-evidence` (the CLI, run as a user runs it) accepts it with that
 * CSV and refuses a changed one, exit 0 and 1.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbConfig, SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { ANSWERS, call } from '../helpers/apiClient.js';
import { answerProblems } from '../helpers/openApiAnswers.js';
import { runNode } from '../helpers/runNode.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/trailhound.mjs');
const SAMPLE_KEY =
  'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10/123837392027_CloudTrail_us-east-1_20230710T1237Z_Ah0P1b5HhNQXz3wa.json.gz';
const ASK = {
  query: 'events',
  from: '2023-07-10T00:00:00Z',
  to: '2023-07-11T00:00:00Z',
  parameters: { eventNames: ['CreateUser'] },
  verifyIntegrity: true,
};

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer(await duckDbTestRuntime(SAMPLE_LOGS_DIR));
  dir = await mkdtemp(path.join(tmpdir(), 'trailhound-evidence-'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await server?.runtime.close?.();
});

const csvOf = async (executionId: string): Promise<Buffer> => {
  const link = await call(server.baseUrl, 'GET', `/v1/executions/${executionId}/csv`);
  return Buffer.from(await (await fetch(link.headers.get('location') as string)).arrayBuffer());
};

describe('signed evidence', () => {
  it('states what was asked, of which file, and what was answered, as worked out from the files themselves', async () => {
    const started = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', ASK);
    expect(started.body.state).toBe('SUCCEEDED');
    const { executionId } = started.body;
    const evidence = await call(server.baseUrl, 'GET', `/v1/executions/${executionId}/evidence`);
    expect(evidence.status).toBe(200);
    const file = path.join(SAMPLE_LOGS_DIR, ...SAMPLE_KEY.split('/'));
    const csv = await csvOf(executionId);
    const { manifest, signature } = evidence.body;
    expect(manifest).toEqual({
      format: 'trailhound-evidence/1',
      executionId,
      query: 'events',
      parameters: { eventNames: ['CreateUser'] },
      window: { from: ASK.from, to: ASK.to },
      engine: 'duckdb',
      statement: {
        text: expect.stringMatching(/^-- trailhound query=events /),
        parameters: expect.arrayContaining(['CreateUser']),
      },
      times: {
        submittedAt: started.body.submittedAt,
        completedAt: started.body.completedAt,
        signedAt: expect.any(String),
      },
      sources: [
        {
          key: SAMPLE_KEY,
          bytes: (await stat(file)).size,
          readFrom: 'raw',
          sha256: createHash('sha256')
            .update(gunzipSync(await readFile(file)))
            .digest('hex'),
          verdict: 'valid',
        },
      ],
      integrity: {
        checkId: started.body.statistics.integrity.checkId,
        verdict: 'intact',
        summary: expect.objectContaining({ gaps: 0 }),
      },
      result: {
        rows: started.body.results.rows.length,
        csvSha256: createHash('sha256').update(csv).digest('hex'),
      },
    });
    expect(signature).toMatchObject({
      algorithm: 'Ed25519',
      publicKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    await writeFile(path.join(dir, 'evidence.json'), JSON.stringify(evidence.body));
    await writeFile(path.join(dir, 'result.csv'), csv);
    const env = { env: { ...process.env, TRAILHOUND_ENDPOINT: server.baseUrl } };
    const holds = await runNode(
      [BIN, 'verify-evidence', path.join(dir, 'evidence.json'), '--csv', path.join(dir, 'result.csv')],
      env,
    );
    expect(holds.stdout).toContain(
      `evidence of execution ${executionId} (events, ${manifest.result.rows} rows, logs intact)`,
    );
    expect(holds.code).toBe(0);

    const key = await call(server.baseUrl, 'GET', '/v1/evidence/public-key');
    expect(key.headers.get('content-type')).toBe('application/x-pem-file');
    await writeFile(path.join(dir, 'key.pem'), key.body);
    await writeFile(path.join(dir, 'changed.csv'), Buffer.concat([csv, Buffer.from('"x"\n')]));
    const refused = await runNode(
      [
        BIN,
        'verify-evidence',
        path.join(dir, 'evidence.json'),
        '--csv',
        path.join(dir, 'changed.csv'),
        '--public-key',
        path.join(dir, 'key.pem'),
      ],
      env,
    );
    expect(refused.stderr).toMatch(
      /^trailhound: evidence does not hold: the CSV is not the execution's result/,
    );
    expect(refused.code).toBe(1);

    const edited = {
      ...evidence.body,
      manifest: { ...manifest, parameters: { eventNames: ['DeleteUser'] } },
    };
    await writeFile(path.join(dir, 'edited.json'), JSON.stringify(edited));
    const forged = await runNode([BIN, 'verify-evidence', path.join(dir, 'edited.json')], env);
    expect(forged.stderr).toContain('the manifest was changed after it was signed');
    expect(forged.code).toBe(1);
  });

  it('answers 404 for an unknown execution and 409 for one that did not succeed', async () => {
    expect(
      (await call(server.baseUrl, 'GET', '/v1/executions/00000000-0000-4000-8000-000000000000/evidence'))
        .status,
    ).toBe(404);
    // A day whose only log file is not gzip: the execution ends FAILED.
    const badLogs = await mkdtemp(path.join(tmpdir(), 'trailhound-badlogs-'));
    const day = path.join(badLogs, 'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10');
    await mkdir(day, { recursive: true });
    await writeFile(
      path.join(day, '123837392027_CloudTrail_us-east-1_20230710T1200Z_broken.json.gz'),
      'not gzip',
    );
    const failing = await startTestServer(await duckDbTestRuntime(badLogs));
    try {
      const failed = await call(failing.baseUrl, 'POST', '/v1/executions?wait=20', {
        ...ASK,
        verifyIntegrity: false,
      });
      expect(failed.body.state).toBe('FAILED');
      const answer = await call(failing.baseUrl, 'GET', `/v1/executions/${failed.body.executionId}/evidence`);
      expect(answer.status).toBe(409);
      expect(answer.body.detail).toMatch(/FAILED/);
    } finally {
      await failing.close();
      await failing.runtime.close?.();
    }
  });

  it('answers 410 when the list of the files an execution read is gone or damaged, as for a result gone', async () => {
    const started = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', {
      ...ASK,
      verifyIntegrity: false,
    });
    expect(started.body.state).toBe('SUCCEEDED');
    const { executionId } = started.body;
    const config = server.runtime.config as DuckDbConfig;
    const [sources] = (await readdir(config.TRAILHOUND_RESULTS_DIR, { recursive: true })).filter((name) =>
      name.endsWith(`${executionId}.sources`),
    );
    const file = path.join(config.TRAILHOUND_RESULTS_DIR, sources as string);
    await writeFile(file, '[{"key": "cut sh');
    const damaged = await call(server.baseUrl, 'GET', `/v1/executions/${executionId}/evidence`);
    expect(damaged.status).toBe(410);
    expect(damaged.body.detail).toMatch(/list of the files it read is damaged/);
    await rm(file);
    const gone = await call(server.baseUrl, 'GET', `/v1/executions/${executionId}/evidence`);
    expect(gone.status).toBe(410);
    expect(gone.body.detail).toMatch(/list of the files it read is gone/);
  });

  it('answers as the OpenAPI document says', () => {
    const problems = ANSWERS.flatMap((a) => {
      const resource = (a.path.split('?')[0] as string)
        .replace(/\/v1\/executions\/[^/]+\/evidence$/, '/v1/executions/{executionId}/evidence')
        .replace(/\/v1\/executions\/[^/]+\/csv$/, '/v1/executions/{executionId}/csv')
        .replace(/\/v1\/executions\/[^/]+$/, '/v1/executions/{executionId}');
      return answerProblems(a.method, resource, a.status, a.contentType, a.body).map(
        (p) => `${a.method} ${a.path} ${a.status}: ${p}`,
      );
    });
    expect(problems).toEqual([]);
  });
});

/** What only the embedded engine promises: bytes scanned as on disk, results that outlive a restart, link refusal. */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbConfig, loadDuckDbConfig } from '../../src/lib/config.js';
import { createDuckDbRuntime } from '../../src/lib/engines/duckdb/duckDbRuntime.js';
import { call, runToEnd } from '../helpers/apiClient.js';
import { DATA_DIR, logFilePaths, rawRecords } from '../helpers/cloudtrailData.js';
import {
  duckDbTestRuntime,
  restartTestServer,
  startTestServer,
  type TestServer,
} from '../helpers/testServer.js';

const logsDir = path.join(DATA_DIR, 'grycap-research-account');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(await duckDbTestRuntime(logsDir));
});
afterAll(async () => server.close());

const sizeOfDays = (region: string, days: string[]) =>
  days
    .map((day) => path.join(logsDir, 'AWSLogs/974349055189/CloudTrail', region, day))
    .flatMap((dir) => {
      try {
        return readdirSync(dir).map((f) => statSync(path.join(dir, f)).size);
      } catch {
        return [];
      }
    })
    .reduce((a, b) => a + b, 0);

describe('the embedded engine', () => {
  it("reports bytesScanned as the compressed size of the window's files, slack day included", async () => {
    const run = await runToEnd(server.baseUrl, {
      query: 'mentions',
      parameters: { text: 'sg-84e8fc13' },
      from: '2017-06-01T00:00:00Z',
      to: '2017-06-02T00:00:00Z',
    });
    const expected = ['us-east-1', 'sa-east-1']
      .map((region) => sizeOfDays(region, ['2017/06/01', '2017/06/02']))
      .reduce((a, b) => a + b, 0);
    expect(expected).toBeGreaterThan(0);
    expect(run.execution.body.statistics.bytesScanned).toBe(expected);
    const narrowed = await runToEnd(server.baseUrl, {
      query: 'mentions',
      parameters: { text: 'sg-84e8fc13' },
      from: '2017-06-01T00:00:00Z',
      to: '2017-06-02T00:00:00Z',
      regions: ['sa-east-1'],
    });
    expect(narrowed.execution.body.statistics.bytesScanned).toBe(
      sizeOfDays('sa-east-1', ['2017/06/01', '2017/06/02']),
    );
    expect(narrowed.rows).toEqual([]);
    expect(run.rows.length).toBeGreaterThan(0);
  });

  it('keeps executions and results readable after a restart', async () => {
    const first = await startTestServer(await duckDbTestRuntime(logsDir));
    const run = await runToEnd(first.baseUrl, {
      query: 'principal-activity',
      parameters: { userName: 'alucloud171' },
      from: '2017-06-01T00:00:00Z',
      to: '2017-06-02T00:00:00Z',
    });
    const id = run.execution.body.executionId;
    const restarted = await restartTestServer(first);
    try {
      const execution = await call(restarted.baseUrl, 'GET', `/v1/executions/${id}`);
      expect(execution.body).toMatchObject({ executionId: id, state: 'SUCCEEDED' });
      const page = await call(restarted.baseUrl, 'GET', `/v1/executions/${id}/results?limit=1000`);
      expect(page.body.rows).toEqual(run.rows.slice(0, 1000));
      expect(page.body.nextToken).toEqual(expect.any(String));
    } finally {
      await restarted.close();
    }
  });

  it('pages a result kept before page indexes existed, from its CSV alone', async () => {
    const run = await runToEnd(server.baseUrl, {
      query: 'principal-activity',
      parameters: { userName: 'alucloud171' },
      from: '2017-06-01T00:00:00Z',
      to: '2017-06-02T00:00:00Z',
    });
    const id = run.execution.body.executionId;
    await rm(path.join((server.runtime.config as DuckDbConfig).TRAILHOUND_RESULTS_DIR, `${id}.index`));
    const again = await runToEnd(server.baseUrl, {
      query: 'principal-activity',
      parameters: { userName: 'alucloud171' },
      from: '2017-06-01T00:00:00Z',
      to: '2017-06-02T00:00:00Z',
    });
    expect(again.rows).toEqual(run.rows);
    const pages: unknown[] = [];
    let token: string | undefined;
    do {
      const page = await call(
        server.baseUrl,
        'GET',
        `/v1/executions/${id}/results?limit=7${token ? `&nextToken=${token}` : ''}`,
      );
      pages.push(...page.body.rows);
      token = page.body.nextToken;
    } while (token);
    expect(pages).toEqual(run.rows);
  });

  it('remembers Idempotency-Keys across a restart', async () => {
    const request = {
      query: 'mentions',
      parameters: { text: 'sg-84e8fc13' },
      from: '2017-06-01T00:00:00Z',
      to: '2017-06-02T00:00:00Z',
    };
    const key = { 'Idempotency-Key': 'restart-test-key-0123456789abcdef-0001' };
    const before = await startTestServer(await duckDbTestRuntime(logsDir));
    const first = await call(before.baseUrl, 'POST', '/v1/executions?wait=20', request, key);
    const restarted = await restartTestServer(before);
    try {
      const again = await call(restarted.baseUrl, 'POST', '/v1/executions', request, key);
      expect(again.body.executionId).toBe(first.body.executionId);
      expect(again.body.state).toBe('SUCCEEDED');
    } finally {
      await restarted.close();
    }
  });

  it('refuses a download link that was altered or has expired', async () => {
    const runtime = await duckDbTestRuntime(logsDir, { TRAILHOUND_LINK_TTL_SECONDS: '2' });
    const local = await startTestServer(runtime);
    try {
      const run = await runToEnd(local.baseUrl, {
        query: 'mentions',
        parameters: { text: 'sg-84e8fc13' },
        from: '2017-06-01T00:00:00Z',
        to: '2017-06-02T00:00:00Z',
      });
      const link = await call(local.baseUrl, 'GET', `/v1/executions/${run.execution.body.executionId}/csv`);
      const url = new URL(link.body.url);
      // The untouched link first, well within its two seconds (expiry is whole seconds, so a
      // one-second link could lapse before a loaded machine fetched it).
      expect((await fetch(url)).status).toBe(200);
      const tampered = new URL(url);
      tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
      const refused = await fetch(tampered);
      expect(refused.status).toBe(403);
      expect((await refused.json()).detail).toMatch(/altered/);
      const unsigned = new URL(url);
      unsigned.searchParams.delete('signature');
      expect((await fetch(unsigned)).status).toBe(403);
      await new Promise((resolve) => setTimeout(resolve, 3100));
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      expect((await expired.json()).detail).toMatch(/expired/);
    } finally {
      await local.close();
    }
  });

  it('fails an execution that a stopped server left running, with a reason, once the new server has its port', async () => {
    const { ExecutionStore } = await import('../../src/lib/engines/duckdb/executionStore.js');
    const resultsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-restart-'));
    const config = loadDuckDbConfig({
      TRAILHOUND_LOGS_DIR: logsDir,
      TRAILHOUND_RESULTS_DIR: resultsDir,
      TRAILHOUND_COMPACT: 'off',
    });
    const store = new ExecutionStore(resultsDir);
    const id = '11111111-2222-4333-8444-555555555555';
    await store.create({
      executionId: id,
      query: 'mentions',
      state: 'RUNNING',
      submittedAt: new Date().toISOString(),
      statistics: { bytesScanned: 0, engineMs: 0 },
      columns: [],
    });
    // The stopped server's lock names a process that is gone: it is taken over.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(path.join(resultsDir, '.owner.lock'), JSON.stringify({ pid: gone }));
    const runtime = await createDuckDbRuntime(config);
    // Made, but without a port yet: nothing is changed.
    expect((await store.load(id))?.state).toBe('RUNNING');
    const restarted = await startTestServer(runtime);
    try {
      const execution = await call(restarted.baseUrl, 'GET', `/v1/executions/${id}`);
      expect(execution.body).toMatchObject({ state: 'FAILED', error: { category: 'INTERRUPTED' } });
    } finally {
      await restarted.close();
      await runtime.close?.();
    }
  });

  it('refuses a second server on a results directory a running one owns, and changes nothing there', async () => {
    const resultsDir = (server.runtime.config as DuckDbConfig).TRAILHOUND_RESULTS_DIR;
    const started = await call(server.baseUrl, 'POST', '/v1/executions', {
      query: 'mentions',
      parameters: { text: 'malicious-iam-user' },
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
    });
    const before = await call(server.baseUrl, 'GET', '/v1/executions?limit=100');
    await expect(
      createDuckDbRuntime(
        loadDuckDbConfig({ TRAILHOUND_LOGS_DIR: logsDir, TRAILHOUND_RESULTS_DIR: resultsDir }),
      ),
    ).rejects.toThrow(
      new RegExp(`results directory .* belongs to another trailhound server \\(process ${process.pid}\\)`),
    );
    const after = await call(server.baseUrl, 'GET', '/v1/executions?limit=100');
    expect((after.body as { executions: { state: string }[] }).executions.map((e) => e.state)).not.toContain(
      'FAILED',
    );
    expect((after.body as { executions: unknown[] }).executions).toHaveLength(
      (before.body as { executions: unknown[] }).executions.length,
    );
    expect(started.status).toBeLessThan(300);
  });
});

describe('the embedded engine and a log file it cannot read', () => {
  it('fails with category LOG_FILE, naming the file under the logs directory, also through the day of slack', async () => {
    const [good] = logFilePaths(path.join(DATA_DIR, 'invictus-attack-simulation', 'AWSLogs'));
    const broken = {
      'half.json.gz': (await readFile(good as string)).subarray(0, 2000),
      'notjson.json.gz': gzipSync('{not json'),
      'zero.json.gz': Buffer.alloc(0),
    };
    for (const [name, bytes] of Object.entries(broken)) {
      const logsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-unreadable-'));
      const dayPath = 'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10';
      await mkdir(path.join(logsDir, dayPath), { recursive: true });
      await writeFile(path.join(logsDir, dayPath, 'good.json.gz'), await readFile(good as string));
      await writeFile(path.join(logsDir, dayPath, name), bytes);
      const local = await startTestServer(await duckDbTestRuntime(logsDir));
      try {
        for (const window of [
          { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' },
          // The day before: its day of slack is the broken file's.
          { from: '2023-07-09T00:00:00Z', to: '2023-07-10T00:00:00Z' },
        ]) {
          const run = await call(local.baseUrl, 'POST', '/v1/executions?wait=20', {
            query: 'mentions',
            parameters: { text: 'bert' },
            ...window,
          });
          expect(run.body.state, name).toBe('FAILED');
          expect(run.body.error.category, name).toBe('LOG_FILE');
          expect(run.body.error.message, name).toContain(`The log file ${dayPath}/${name} is not`);
          expect(run.body.error.message, name).not.toContain(logsDir);
        }
      } finally {
        await local.close();
        await local.runtime.close?.();
      }
    }
  });
});

describe('the embedded engine and odd file names', () => {
  it('reads a log file whose name holds glob characters as that one file', async () => {
    const [record] = rawRecords('invictus-attack-simulation');
    const logsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-globs-'));
    const day = path.join(logsDir, 'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10');
    await mkdir(day, { recursive: true });
    const names = ['x_in*.json.gz', 'x_in1.json.gz', 'x_in2.json.gz', 'we[ir]d.json.gz', 'q?.json.gz'];
    for (const [i, name] of names.entries()) {
      await writeFile(
        path.join(day, name),
        gzipSync(JSON.stringify({ Records: [{ ...record, eventID: `glob-${i}` }] })),
      );
    }
    const local = await startTestServer(await duckDbTestRuntime(logsDir));
    try {
      const run = await runToEnd(local.baseUrl, {
        query: 'events',
        parameters: {},
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
      });
      expect(run.rows.map((r) => r.eventid).sort()).toEqual(names.map((_, i) => `glob-${i}`));
      const csv = path.join(
        (local.runtime.config as DuckDbConfig).TRAILHOUND_RESULTS_DIR,
        `${run.execution.body.executionId}.csv`,
      );
      expect((await stat(csv)).mode & 0o777).toBe(0o600);
    } finally {
      await local.close();
    }
  });
});

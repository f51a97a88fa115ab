/**
 * The results directory failing under the engine: a disk that fills up while a result is written,
 * and a directory that refuses every write. Those executions end FAILED with a reason a client can
 * act on, the server keeps answering, and the next start finds nothing half-written.
 */
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDuckDbConfig } from '../../../../src/lib/config.js';
import { DuckDbEngine } from '../../../../src/lib/engines/duckdb/duckDbEngine.js';
import {
  nodeFileSystem,
  type ResultFileSystem,
} from '../../../../src/lib/engines/duckdb/resultFileSystem.js';
import type { Runtime } from '../../../../src/lib/runtime.js';
import { LinkSigner } from '../../../../src/lib/signing/signedLink.js';
import { call } from '../../../helpers/apiClient.js';
import { DATA_DIR } from '../../../helpers/cloudtrailData.js';
import { INVICTUS_DAY } from '../../../helpers/queryHarness.js';
import { startTestServer, type TestServer } from '../../../helpers/testServer.js';

const servers: TestServer[] = [];
afterAll(async () => {
  // A server the test already stopped (a restart) is stopped already.
  for (const server of servers) await server.close().catch(() => undefined);
});

const failure = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** A file stream that takes `limit` bytes, then fails as a full disk does. */
const fillingStream = (file: string, limit: number) => {
  const real = nodeFileSystem.createWriteStream(file, { mode: 0o600 });
  let written = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      if (written > limit) callback(failure('ENOSPC'));
      else real.write(chunk, callback);
    },
    final(callback) {
      real.end(callback);
    },
    destroy(error, callback) {
      real.destroy();
      callback(error);
    },
  });
};

const serve = async (resultsDir: string, files: ResultFileSystem) => {
  const logsDir = path.join(DATA_DIR, 'invictus-attack-simulation');
  const config = loadDuckDbConfig({ TRAILHOUND_LOGS_DIR: logsDir, TRAILHOUND_RESULTS_DIR: resultsDir });
  const signer = new LinkSigner('k'.repeat(32));
  const engine = await DuckDbEngine.create({ logsDir, resultsDir, signer, maxConcurrent: 2, files });
  const server = await startTestServer({
    config,
    engine,
    downloads: { signer, openResultCsv: (id) => engine.openResultCsv(id) },
    recover: () => engine.recoverInterrupted(),
    close: () => engine.close(),
  } as Runtime);
  servers.push(server);
  return server;
};

const [from, to] = INVICTUS_DAY;
const bigResult = { query: 'principal-activity', parameters: { userName: 'bert-jan' }, from, to };
const noRows = { query: 'kms-key-deletion', parameters: {}, from, to };
const temporaries = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));

describe('a failing results directory', () => {
  it('a disk that fills up fails that execution, says so, and the server goes on', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-results-'));
    const server = await serve(dir, {
      ...nodeFileSystem,
      createWriteStream: (file, options) =>
        file.endsWith('.tmp') && file.includes('.csv.')
          ? fillingStream(file, 4096)
          : nodeFileSystem.createWriteStream(file, options),
    });
    const failed = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', bigResult);
    expect(failed.body).toMatchObject({
      state: 'FAILED',
      error: { category: 'STORAGE', message: expect.stringMatching(/full \(ENOSPC\)/) },
    });
    expect(JSON.stringify(failed.body)).not.toMatch(/\/tmp\/|SELECT/);
    expect((await call(server.baseUrl, 'GET', '/health')).status).toBe(200);
    const small = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', noRows);
    expect(small.body.state, JSON.stringify(small.body)).toBe('SUCCEEDED');
    expect(await temporaries(dir)).toEqual([]);
  });

  it('a directory that refuses writes: a start is refused with 503, a run fails, a restart is clean', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-results-'));
    let refusing = false;
    const refuse = <T>(real: () => T): T => {
      if (refusing) throw failure('EACCES');
      return real();
    };
    const server = await serve(dir, {
      ...nodeFileSystem,
      writeFile: (...args) => refuse(() => nodeFileSystem.writeFile(...args)),
      createWriteStream: (...args) => refuse(() => nodeFileSystem.createWriteStream(...args)),
    });
    refusing = true;
    const refused = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', noRows);
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toMatch(/results directory cannot be written \(EACCES\)/);
    expect(refused.body.detail).not.toContain(dir);

    refusing = false;
    const started = await call(server.baseUrl, 'POST', '/v1/executions', bigResult);
    refusing = true;
    let execution = started.body;
    for (let i = 0; i < 100 && !['FAILED', 'SUCCEEDED'].includes(execution.state); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      execution = (await call(server.baseUrl, 'GET', `/v1/executions/${started.body.executionId}`)).body;
    }
    expect(execution).toMatchObject({ state: 'FAILED', error: { category: 'STORAGE' } });
    expect((await call(server.baseUrl, 'GET', '/health')).status).toBe(200);

    // A restart: this server stops (and gives its results directory up), a new one starts on it.
    await server.close();
    await server.runtime.close?.();
    const restarted = await serve(dir, nodeFileSystem);
    const after = await call(restarted.baseUrl, 'GET', `/v1/executions/${started.body.executionId}`);
    expect(['FAILED']).toContain(after.body.state);
    expect(await temporaries(dir)).toEqual([]);
    expect((await call(restarted.baseUrl, 'POST', '/v1/executions?wait=20', noRows)).body.state).toBe(
      'SUCCEEDED',
    );
  });
});

describe('damaged result files', () => {
  it('writes a page index that is cut short or wrong again, and answers the same pages', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-results-'));
    const server = await serve(dir, nodeFileSystem);
    const run = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', bigResult);
    const id = run.body.executionId;
    const page = (token?: string) =>
      call(
        server.baseUrl,
        'GET',
        `/v1/executions/${id}/results?limit=500${token ? `&nextToken=${token}` : ''}`,
      );
    const first = await page();
    const second = await page(first.body.nextToken);
    const index = path.join(dir, `${id}.index`);
    await truncate(index, 100);
    expect((await page()).body).toEqual(first.body);
    const bytes = await readFile(index);
    bytes.fill(7, 8, 64);
    await writeFile(index, bytes);
    expect((await page(first.body.nextToken)).body).toEqual(second.body);
    expect((await page()).body).toEqual(first.body);
  });

  it('answers 410 result-unavailable for a result file that is gone or cut short, pages and download alike', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-results-'));
    const server = await serve(dir, nodeFileSystem);
    for (const damage of ['gone', 'cut short'] as const) {
      const run = await call(server.baseUrl, 'POST', '/v1/executions?wait=20', bigResult);
      const id = run.body.executionId;
      const link = await call(server.baseUrl, 'GET', `/v1/executions/${id}/csv`);
      const csv = path.join(dir, `${id}.csv`);
      if (damage === 'gone') await rm(csv);
      else await truncate(csv, (await stat(csv)).size - 10);
      const page = await call(
        server.baseUrl,
        'GET',
        `/v1/executions/${id}/results?limit=10&nextToken=${run.body.results.nextToken}`,
      );
      expect(page.status, damage).toBe(410);
      expect(page.body, damage).toMatchObject({
        type: 'urn:trailhound:problem:result-unavailable',
        title: 'Result unavailable',
        detail: expect.stringContaining('Start the execution again'),
      });
      expect(page.body.detail).not.toContain(dir);
      const download = await fetch(link.body.url);
      expect(download.status, damage).toBe(410);
      // The execution itself is still there, as it ended.
      expect((await call(server.baseUrl, 'GET', `/v1/executions/${id}`)).body.state).toBe('SUCCEEDED');
    }
  });
});

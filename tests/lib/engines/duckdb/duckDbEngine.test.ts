/** The embedded engine's life cycle, on SQL that takes long or fails. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../../src/lib/engines/duckdb/duckDbEngine.js';
import { nodeFileSystem } from '../../../../src/lib/engines/duckdb/resultFileSystem.js';
import {
  type Execution,
  type ExecutionRequest,
  isTerminal,
} from '../../../../src/lib/engines/queryEngine.js';
import { ExecutionStateError, QueueFullError, ResultUnavailableError } from '../../../../src/lib/errors.js';
import { encodePageToken } from '../../../../src/lib/results/pageToken.js';
import { LinkSigner } from '../../../../src/lib/signing/signedLink.js';
import { writeStatementHeader } from '../../../../src/lib/sql/statementHeader.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.create({
    logsDir: path.join(tmpdir(), 'trailhound-no-logs'),
    resultsDir: await mkdtemp(path.join(tmpdir(), 'trailhound-engine-')),
    signer: new LinkSigner('k'.repeat(32)),
    maxConcurrent: 1,
  });
});
afterAll(() => engine.close());

const window = {
  from: '2024-01-01T00:00:00Z',
  to: '2024-01-02T00:00:00Z',
  firstDay: '2024/01/01',
  lastDay: '2024/01/02',
};
const header = { query: 'test', from: window.from, to: window.to };
const request = (sql: string): ExecutionRequest => ({
  statement: {
    sql: `${writeStatementHeader(header)}\n${sql}`,
    parameters: [],
    header,
    parts: {
      scope: { sql: '', parameters: [] },
      rest: { ctes: [], sql: '', parameters: [], params: [] },
      window,
    },
  },
  columns: [{ name: 'n', type: 'bigint' }],
  window,
});

const until = async (id: string, done: (e: Execution) => boolean): Promise<Execution> => {
  for (let i = 0; i < 600; i += 1) {
    const execution = await engine.get(id);
    if (done(execution)) return execution;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
};

describe('DuckDbEngine', () => {
  it('cancels a running execution: the engine stops, the state says so, no results', async () => {
    // Hashing a hundred billion numbers takes hours: long enough to catch it running.
    const { executionId } = await engine.start(
      request('SELECT count(*) AS n FROM range(100000000000) t(i) WHERE hash(i) % 7 = 0'),
    );
    const running = await until(executionId, (e) => e.state === 'RUNNING');
    expect(running.statistics.progressPercent === undefined || running.statistics.progressPercent >= 0).toBe(
      true,
    );
    const started = Date.now();
    const cancelled = await engine.cancel(executionId);
    expect(cancelled.state).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(engine.getResults(executionId, { limit: 10 })).rejects.toBeInstanceOf(ExecutionStateError);
  });

  it('says when an execution it runs ends, or that the wait ran out, and that it runs none by another id', async () => {
    const { executionId } = await engine.start(request('SELECT 42 AS n'));
    expect(await engine.untilEnded(executionId, 30_000)).toBe(true);
    expect((await engine.get(executionId)).state).toBe('SUCCEEDED');
    expect(await engine.untilEnded(executionId, 30_000)).toBe(false);
    expect(await engine.untilEnded('not-an-execution', 30_000)).toBe(false);
    const long = await engine.start(
      request('SELECT count(*) AS n FROM range(100000000000) t(i) WHERE hash(i) % 7 = 0'),
    );
    const started = Date.now();
    expect(await engine.untilEnded(long.executionId, 200)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(isTerminal((await engine.get(long.executionId)).state)).toBe(false);
    await engine.cancel(long.executionId);
  });

  it("records a failure with the kind of error the engine gave, never the engine's own text", async () => {
    const { executionId } = await engine.start(request('SELECT no_such_column AS n FROM range(3)'));
    const failed = await until(executionId, (e) => e.state === 'FAILED');
    expect(failed.error?.category).toBe('SYSTEM');
    expect(failed.error?.message).toMatch(/Binder Error/);
    expect(failed.error?.message).not.toMatch(/no_such_column|SELECT|\//);
    expect(failed.completedAt).toEqual(expect.any(String));
  });

  it('runs one at a time when so configured: the next waits QUEUED', async () => {
    const first = await engine.start(
      request('SELECT count(*) AS n FROM range(100000000000) t(i) WHERE hash(i) % 7 = 0'),
    );
    const second = await engine.start(request('SELECT 1 AS n'));
    await until(first.executionId, (e) => e.state === 'RUNNING');
    expect((await engine.get(second.executionId)).state).toBe('QUEUED');
    await engine.cancel(first.executionId);
    const done = await until(second.executionId, (e) => e.state === 'SUCCEEDED');
    expect(done.statistics.queueMs).toBeGreaterThanOrEqual(0);
    expect((await engine.getResults(second.executionId, { limit: 10 })).rows).toEqual([{ n: 1 }]);
  });
});

describe('DuckDbEngine limits', () => {
  it('stops an execution at its time limit: FAILED, category TIMEOUT, saying which setting', async () => {
    const limited = await DuckDbEngine.create({
      logsDir: path.join(tmpdir(), 'trailhound-no-logs'),
      resultsDir: await mkdtemp(path.join(tmpdir(), 'trailhound-engine-')),
      signer: new LinkSigner('k'.repeat(32)),
      maxConcurrent: 1,
      timeoutMs: 300,
    });
    try {
      const { executionId } = await limited.start(
        request('SELECT count(*) AS n FROM range(100000000000) t(i) WHERE hash(i) % 7 = 0'),
      );
      let execution = await limited.get(executionId);
      for (let i = 0; i < 200 && execution.state !== 'FAILED'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        execution = await limited.get(executionId);
      }
      expect(execution.error).toEqual({
        category: 'TIMEOUT',
        message: expect.stringMatching(/longer than 0 s \(TRAILHOUND_EXECUTION_TIMEOUT_SECONDS\)/),
      });
    } finally {
      limited.close();
    }
  });

  it('refuses a start beyond the queue with QueueFullError, and takes one again once it drains', async () => {
    const bounded = await DuckDbEngine.create({
      logsDir: path.join(tmpdir(), 'trailhound-no-logs'),
      resultsDir: await mkdtemp(path.join(tmpdir(), 'trailhound-engine-')),
      signer: new LinkSigner('k'.repeat(32)),
      maxConcurrent: 1,
      maxQueued: 2,
    });
    try {
      const long = request('SELECT count(*) AS n FROM range(100000000000) t(i) WHERE hash(i) % 7 = 0');
      const running = await bounded.start(long);
      const queued = [await bounded.start(long), await bounded.start(long)];
      await expect(bounded.start(long)).rejects.toBeInstanceOf(QueueFullError);
      for (const { executionId } of [...queued, running]) await bounded.cancel(executionId);
      const { executionId } = await bounded.start(request('SELECT 1 AS n'));
      expect(executionId).toEqual(expect.any(String));
    } finally {
      bounded.close();
    }
  });
});

describe('DuckDbEngine result pages', () => {
  it('reads a page from the middle of a large result as its own bytes, not the whole result', async () => {
    let bytesRead = 0;
    let reads = 0;
    const counting = {
      ...nodeFileSystem,
      createReadStream: async (file: string, range: { start: number; end?: number }) => {
        const stream = await nodeFileSystem.createReadStream(file, range);
        stream.on('data', (chunk) => {
          bytesRead += (chunk as Buffer).length;
        });
        return stream;
      },
      readRange: async (file: string, start: number, end: number) => {
        const bytes = await nodeFileSystem.readRange(file, start, end);
        bytesRead += bytes.length;
        reads += 1;
        return bytes;
      },
    };
    const resultsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-engine-'));
    const paged = await DuckDbEngine.create({
      logsDir: path.join(tmpdir(), 'trailhound-no-logs'),
      resultsDir,
      signer: new LinkSigner('k'.repeat(32)),
      maxConcurrent: 1,
      files: counting,
    });
    try {
      const { executionId } = await paged.start(
        request("SELECT i AS n, repeat('x', 40) AS pad FROM range(200000) t(i)"),
      );
      let execution = await paged.get(executionId);
      for (let i = 0; i < 400 && execution.state !== 'SUCCEEDED'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        execution = await paged.get(executionId);
      }
      const csvBytes = (await stat(path.join(resultsDir, `${executionId}.csv`))).size;
      bytesRead = 0;
      const page = await paged.getResults(executionId, {
        limit: 10,
        nextToken: encodePageToken(executionId, 100_000),
      });
      expect(page.rows.map((r) => r.n)).toEqual(Array.from({ length: 10 }, (_, i) => 100_000 + i));
      expect(page.nextToken).toEqual(expect.any(String));
      // Ten rows of some 50 bytes, and the offsets: a few hundred bytes of a file of megabytes.
      expect(reads).toBeGreaterThan(0);
      expect(bytesRead).toBeGreaterThan(10 * 50);
      expect(bytesRead).toBeLessThan(2_000);
      expect(csvBytes).toBeGreaterThan(5_000_000);
    } finally {
      paged.close();
    }
  });

  it("writes each page's JSON text as the page stringified, the pages with values JSON escapes too", async () => {
    // Rows 0 to 2,499: text with quotes, commas and Unicode; rows 1 to 3 of every 700 with a
    // backslash, a tab or a line break (their pages are written the general way), every 9th
    // NULL; a bigint past 2^53 stays text.
    const { executionId } = await engine.start({
      ...request(`SELECT i AS n,
  CASE WHEN i % 9 = 0 THEN NULL
    WHEN i % 700 = 1 THEN 'back\\slash ' || i WHEN i % 700 = 2 THEN 'tab' || chr(9) || i
    WHEN i % 700 = 3 THEN 'two' || chr(10) || 'lines'
    ELSE 'say "hi", ' || i || ' ✓ é' END AS s,
  i % 2 = 0 AS even,
  CASE WHEN i = 5 THEN 9007199254740993 ELSE i * 3 END AS big
FROM range(2500) t(i) ORDER BY i`),
      columns: [
        { name: 'n', type: 'bigint' },
        { name: 's', type: 'varchar' },
        { name: 'even', type: 'boolean' },
        { name: 'big', type: 'bigint' },
      ],
    });
    await until(executionId, (e) => e.state === 'SUCCEEDED');
    let token: string | undefined;
    let pages = 0;
    let rows = 0;
    do {
      const asked = { limit: 300, ...(token ? { nextToken: token } : {}) };
      const page = await engine.getResults(executionId, asked);
      const json = await engine.getResultsJson(executionId, asked);
      expect(json).toEqual({ json: JSON.stringify(page), rows: page.rows.length });
      rows += json.rows;
      pages += 1;
      token = page.nextToken;
    } while (token);
    expect({ pages, rows }).toEqual({ pages: 9, rows: 2500 });
    const first = await engine.getResults(executionId, { limit: 10 });
    expect(first.rows[5]).toEqual({ n: 5, s: 'say "hi", 5 ✓ é', even: false, big: '9007199254740993' });
    expect(first.rows[1]).toEqual({ n: 1, s: 'back\\slash 1', even: false, big: 3 });
  });

  it('writes the next page ahead of its request, and serves it only while the result is there', async () => {
    let reads = 0;
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-engine-'));
    const ahead = await DuckDbEngine.create({
      logsDir: path.join(tmpdir(), 'trailhound-no-logs'),
      resultsDir: dir,
      signer: new LinkSigner('k'.repeat(32)),
      maxConcurrent: 1,
      files: {
        ...nodeFileSystem,
        readRange: (file, start, end) => {
          reads += 1;
          return nodeFileSystem.readRange(file, start, end);
        },
      },
    });
    try {
      const { executionId } = await ahead.start(request('SELECT i AS n FROM range(25) t(i) ORDER BY i'));
      for (let i = 0; i < 400 && (await ahead.get(executionId)).state !== 'SUCCEEDED'; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const pageOf = (json: string) => JSON.parse(json) as { rows: { n: number }[]; nextToken?: string };
      const first = pageOf((await ahead.getResultsJson(executionId, { limit: 10 })).json);
      expect(first.rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const asked = { limit: 10, nextToken: String(first.nextToken) };
      // Written ahead once the first page is answered: the request reads nothing, and gets the
      // page it would have read.
      await new Promise((resolve) => setTimeout(resolve, 50));
      reads = 0;
      const second = await ahead.getResultsJson(executionId, asked);
      expect(reads).toBe(0);
      expect(second).toEqual({ json: JSON.stringify(await ahead.getResults(executionId, asked)), rows: 10 });
      // The third, written ahead too, is not served once the result's file is gone.
      const third = { limit: 10, nextToken: String(pageOf(second.json).nextToken) };
      await new Promise((resolve) => setTimeout(resolve, 50));
      await rm(path.join(dir, `${executionId}.csv`));
      await expect(ahead.getResultsJson(executionId, third)).rejects.toBeInstanceOf(ResultUnavailableError);
    } finally {
      ahead.close();
    }
  });
});

/**
 * The CSV writer under backpressure on every write: a result of many chunks leaves no listener
 * behind on its streams (Node warns of a leak past 10), and what it writes is the rows and the
 * page index of their offsets; a result of CSV lines DuckDB made is written as its bytes.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type DuckDBConnection, DuckDBInstance, type DuckDBResult } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { csvLinesSql } from '../../../../src/lib/engines/duckdb/csvLines.js';
import { firstOf, writeResultCsv } from '../../../../src/lib/engines/duckdb/resultCsvWriter.js';
import { nodeFileSystem } from '../../../../src/lib/engines/duckdb/resultFileSystem.js';
import { toCsvLine } from '../../../../src/lib/results/csvFormat.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A result of `chunks` chunks of two rows each, as DuckDB's fetchChunk gives them. */
const fakeResult = (chunks: number): DuckDBResult => {
  let next = 0;
  return {
    fetchChunk: async () => {
      if (next >= chunks) return { rowCount: 0, getRows: () => [] };
      const n = next++;
      return {
        rowCount: 2,
        getRows: () => [
          [`event-${n}-a`, n],
          [`event-${n}-b`, null],
        ],
      };
    },
  } as unknown as DuckDBResult;
};

describe('writeResultCsv', () => {
  it('waits on backpressure a hundred times without leaving listeners behind, and writes every row with its offset', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-csv-'));
    dirs.push(dir);
    const streams: Writable[] = [];
    // A high-water mark of one byte: every write asks the writer to wait for 'drain'.
    const files = {
      ...nodeFileSystem,
      createWriteStream: (file: string, options: { mode: number }) => {
        const stream = createWriteStream(file, { mode: options.mode, flags: 'wx', highWaterMark: 1 });
        streams.push(stream);
        return stream;
      },
    };
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    let maxListeners = 0;
    const rows = await writeResultCsv(
      files,
      {
        csv: path.join(dir, 'r.csv'),
        index: path.join(dir, 'r.index'),
        temporary: (target) => `${target}.tmp`,
      },
      [
        { name: 'eventid', type: 'varchar' },
        { name: 'n', type: 'integer' },
      ],
      fakeResult(100),
      () => {
        for (const stream of streams)
          for (const event of ['close', 'error', 'drain'])
            maxListeners = Math.max(maxListeners, stream.listenerCount(event));
      },
    );
    process.off('warning', onWarning);
    expect(rows).toBe(200);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    // The writer's own error listener and the stream's internals; never one per wait.
    expect(maxListeners).toBeLessThanOrEqual(3);
    const csv = await readFile(path.join(dir, 'r.csv'), 'utf8');
    const lines = csv.split('\n').filter((line) => line.length > 0);
    expect(lines[0]).toBe('"eventid","n"');
    expect(lines[1]).toBe('"event-0-a","0"');
    expect(lines[2]).toBe('"event-0-b",');
    expect(lines).toHaveLength(201);
    // The index: where each of the 200 rows starts, then the end of the last.
    const index = new Float64Array((await readFile(path.join(dir, 'r.index'))).buffer.slice(0));
    expect(index).toHaveLength(201);
    expect(csv.slice(index[0], index[1])).toBe('"event-0-a","0"\n');
    expect(index[200]).toBe(Buffer.byteLength(csv));
  });
});

describe('writeResultCsv, lines made by DuckDB', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('writes the CSV lines as DuckDB made them, bytes as they are, each row’s offset in bytes, over many chunks', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-csv-'));
    dirs.push(dir);
    // Text of one, two, three and four bytes a character, quotes and line breaks: 5,000 rows,
    // three chunks of DuckDB's 2,048 and part of a fourth.
    const sql = `SELECT concat('é ✓ 🦆 "', i, '"') AS text, CASE WHEN i % 7 = 0 THEN NULL ELSE i END AS n,
CASE WHEN i % 5 = 0 THEN concat('two', chr(10), 'lines') ELSE '' END AS note
FROM range(5000) AS r(i) ORDER BY i DESC`;
    const plain = await connection.prepare(sql);
    const types = Array.from({ length: plain.columnCount }, (_, i) => plain.columnTypeId(i));
    const lines = csvLinesSql(sql, types);
    if (!lines) throw new Error('no lines for text and integers');
    const rows = await writeResultCsv(
      nodeFileSystem,
      { csv: path.join(dir, 'r.csv'), index: path.join(dir, 'r.index'), temporary: (t) => `${t}.tmp` },
      [
        { name: 'text', type: 'varchar' },
        { name: 'n', type: 'bigint' },
        { name: 'note', type: 'varchar' },
      ],
      await (await connection.prepare(lines)).stream(),
      () => {},
      { lines: true },
    );
    expect(rows).toBe(5000);
    const expected = (await plain.runAndReadAll())
      .getRows()
      .map((row) => toCsvLine(row.map((v) => (v === null ? null : String(v)))));
    const csv = await readFile(path.join(dir, 'r.csv'));
    expect(csv.toString('utf8')).toBe(`"text","n","note"\n${expected.join('')}`);
    const index = new Float64Array((await readFile(path.join(dir, 'r.index'))).buffer.slice(0));
    expect(index).toHaveLength(5001);
    for (const row of [0, 1, 2047, 2048, 4095, 4096, 4999]) {
      expect(csv.subarray(index[row], index[row + 1]).toString('utf8'), `row ${row}`).toBe(expected[row]);
    }
    expect(index[5000]).toBe(csv.length);
  });

  it('refuses a result whose one column is not the lines’ bytes, and leaves no file behind', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-csv-'));
    dirs.push(dir);
    const target = {
      csv: path.join(dir, 'r.csv'),
      index: path.join(dir, 'r.index'),
      temporary: (t: string) => `${t}.tmp`,
    };
    await expect(
      writeResultCsv(
        nodeFileSystem,
        target,
        [{ name: 'line', type: 'varchar' }],
        await connection.stream(`SELECT 'x' AS line`),
        () => {},
        {
          lines: true,
        },
      ),
    ).rejects.toThrow(/CSV lines are BLOBs/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('firstOf', () => {
  it('takes its listeners off whichever event came', async () => {
    const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const before = ['drain', 'close', 'error'].map((e) => stream.listenerCount(e));
    for (let i = 0; i < 50; i += 1) {
      const waiting = firstOf(stream, ['drain', 'close', 'error']);
      stream.emit('drain');
      await waiting;
    }
    expect(['drain', 'close', 'error'].map((e) => stream.listenerCount(e))).toEqual(before);
  });
});

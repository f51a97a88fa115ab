/**
 * Writes a DuckDB result stream to CSV as Athena writes results (see csvFormat), chunk by chunk,
 * with a page index beside it: the byte offset where each row starts (a float64 each, then the
 * offset of the end), so that a page is read as exactly its own bytes, whatever the size of the
 * result. Both are written to temporary files of their own and renamed into place only when
 * complete; a failed or stopped write removes them. A write error (a full disk) fails the write,
 * never the process.
 */
import type { Writable } from 'node:stream';
import { DuckDBBlobVector, type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';
import { toCsvLine } from '../../results/csvFormat.js';
import type { ResultColumn } from '../queryEngine.js';
import { OWNER_ONLY_FILE, type ResultFileSystem } from './resultFileSystem.js';

/**
 * Resolves at the first of `events`, and takes its listeners off the stream whichever came: a
 * result waits on backpressure thousands of times, and listeners left behind by the events that
 * did not come (a race of `once`s leaves them) would pile up on the stream.
 */
export const firstOf = (stream: Writable, events: readonly string[]): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      for (const event of events) stream.off(event, done);
      resolve();
    };
    for (const event of events) stream.once(event, done);
  });

/** Writes `text` and waits when the stream asks to (a large result must not pile up in memory). */
const writeText = async (out: Writable, failure: { error?: Error }, text: string | Uint8Array) => {
  if (failure.error) throw failure.error;
  if (!out.write(text)) await firstOf(out, ['drain', 'close', 'error']);
  if (failure.error) throw failure.error;
};

const closeStream = async (out: Writable, failure: { error?: Error }) => {
  out.end();
  if (!out.writableFinished) await firstOf(out, ['finish', 'close', 'error']);
  if (failure.error) throw failure.error;
};

export interface ResultFiles {
  readonly csv: string;
  readonly index: string;
  /** A unique temporary path beside a target. */
  temporary(target: string): string;
}

/** A chunk's rows as CSV text, and where each starts from `offset` on. */
const chunkText = (chunk: DuckDBDataChunk, offset: number) => {
  const starts = new Float64Array(chunk.rowCount);
  let text = '';
  let end = offset;
  const rows = chunk
    .getRows()
    .map((row) => toCsvLine(row.map((v) => (v === null ? null : typeof v === 'object' ? String(v) : v))));
  for (const [i, line] of rows.entries()) {
    starts[i] = end;
    end += Buffer.byteLength(line);
    text += line;
  }
  return { text, starts, end };
};

/**
 * A chunk of CSV lines (csvLines.ts: one BLOB column, each row's line as its bytes) as one
 * buffer, and where each row starts from `offset` on. On the sweep of the bench's year (77,225
 * lines, 37.7 MB, in process), taking them as text, then counting and encoding their bytes, kept
 * the writer's JavaScript busy 143 to 180 ms (the writer 203 to 254 ms); as bytes, 89 to 113 ms
 * (151 to 168 ms), and the answer from the kept runs about 40 ms sooner.
 */
const chunkLines = (chunk: DuckDBDataChunk, offset: number) => {
  const vector = chunk.getColumnVector(0);
  if (!(vector instanceof DuckDBBlobVector)) throw new Error(`CSV lines are BLOBs, not ${vector.type}`);
  const starts = new Float64Array(chunk.rowCount);
  const lines: Uint8Array[] = [];
  let end = offset;
  for (let i = 0; i < chunk.rowCount; i += 1) {
    const line = vector.getItemBytes(i);
    if (line === null) throw new Error('a CSV line is NULL');
    starts[i] = end;
    end += line.length;
    lines.push(line);
  }
  return { text: Buffer.concat(lines, end - offset), starts, end };
};

/**
 * @returns the number of rows written. `checkpoint` may throw to stop between chunks. With
 * `lines`, the result has one column, each row's CSV line as bytes (csvLines.ts); else its values
 * are written here.
 */
export const writeResultCsv = async (
  files: ResultFileSystem,
  target: ResultFiles,
  columns: readonly ResultColumn[],
  result: DuckDBResult,
  checkpoint: () => void,
  options: { readonly lines?: boolean } = {},
): Promise<number> => {
  const csvTemporary = target.temporary(target.csv);
  const indexTemporary = target.temporary(target.index);
  const failure: { error?: Error } = {};
  const out = files.createWriteStream(csvTemporary, { mode: OWNER_ONLY_FILE });
  const index = files.createWriteStream(indexTemporary, { mode: OWNER_ONLY_FILE });
  for (const stream of [out, index]) {
    stream.on('error', (error) => {
      failure.error ??= error;
    });
  }
  try {
    const header = toCsvLine(columns.map((c) => c.name));
    let offset = Buffer.byteLength(header);
    await writeText(out, failure, header);
    let rows = 0;
    for (
      let chunk = await result.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await result.fetchChunk()
    ) {
      checkpoint();
      const { text, starts, end } = options.lines ? chunkLines(chunk, offset) : chunkText(chunk, offset);
      offset = end;
      rows += chunk.rowCount;
      await writeText(out, failure, text);
      await writeText(index, failure, new Uint8Array(starts.buffer));
    }
    // The end of the last row: a page's range ends at the next row's start, or here.
    await writeText(index, failure, new Uint8Array(new Float64Array([offset]).buffer));
    await closeStream(out, failure);
    await closeStream(index, failure);
    await files.rename(indexTemporary, target.index);
    await files.rename(csvTemporary, target.csv);
    return rows;
  } catch (error) {
    // A half-written result must not outlive its execution.
    out.destroy();
    index.destroy();
    await files.rm(csvTemporary, { force: true }).catch(() => undefined);
    await files.rm(indexTemporary, { force: true }).catch(() => undefined);
    throw failure.error ?? error;
  }
};

/**
 * Pages of a finished execution's CSV, typed by its columns. The page index holds where each row
 * starts, so a page is read as exactly its own bytes: two offsets from the index, then that range
 * of the CSV. Its time and memory follow the page, not the result: the middle of a million-row
 * result costs what its first page costs.
 */
import type { Readable } from 'node:stream';
import { ResultUnavailableError } from '../../errors.js';
import { RecentMap } from '../../recentMap.js';
import { readCsvRows } from '../../results/csvFormat.js';
import { csvRowsAsJson } from '../../results/csvRowsAsJson.js';
import { decodePageToken, encodePageToken } from '../../results/pageToken.js';
import { fromResultText } from '../../results/resultValues.js';
import type { ResultPage, ResultPageJson } from '../queryEngine.js';
import type { ExecutionStore, StoredExecution } from './executionStore.js';
import { OWNER_ONLY_FILE, type ResultFileSystem } from './resultFileSystem.js';

const OFFSET_BYTES = 8;

/** CSV lines as rows of typed values, by column name. */
const typedRows = (lines: string, columns: StoredExecution['columns']) =>
  readCsvRows(lines).map((values) =>
    Object.fromEntries(columns.map((c, i) => [c.name, fromResultText(values[i], c.type)])),
  );
const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** Which rows a page holds, `[first, last)` of `total`, and the token of the next, if any. */
interface Span {
  readonly total: number;
  readonly first: number;
  readonly last: number;
  readonly nextToken?: string;
}

const aheadKey = (executionId: string, first: number, limit: number) => `${executionId} ${first} ${limit}`;
/** The largest page (its JSON's length) whose next is written ahead: the sweep's are 0.7 MB. */
const READ_AHEAD_BYTES = 2 * 1024 * 1024;

export class ResultPages {
  constructor(
    readonly store: ExecutionStore,
    readonly files: ResultFileSystem,
  ) {}

  /** Bytes `[start, end)` of a file. */
  #read(file: string, start: number, end: number): Promise<Buffer> {
    return this.files.readRange(file, start, end);
  }

  /**
   * Writes the page index from the CSV (a result kept before there were page indexes, or an index
   * damaged since): one pass, bytes only (a quote or a line break byte never occurs inside a UTF-8
   * character). @returns how many offsets it holds: the rows, and one past the last.
   */
  async #rebuildIndex(executionId: string): Promise<number> {
    const offsets: number[] = [];
    let position = 0;
    let quoted = false;
    let headerDone = false;
    let rowStart = true;
    for await (const chunk of await this.files.createReadStream(this.store.csvPath(executionId), {
      start: 0,
    })) {
      for (const byte of chunk as Buffer) {
        if (rowStart && headerDone) offsets.push(position);
        rowStart = false;
        if (byte === QUOTE) quoted = !quoted;
        else if (byte === NEWLINE && !quoted) {
          headerDone = true;
          rowStart = true;
        }
        position += 1;
      }
    }
    // A CSV that does not end where a row ends was cut short: it cannot be indexed.
    if (!rowStart) return -1;
    offsets.push(position);
    const target = this.store.indexPath(executionId);
    const temporary = this.store.temporaryPath(target);
    await this.files.writeFile(temporary, new Uint8Array(new Float64Array(offsets).buffer), {
      mode: OWNER_ONLY_FILE,
      flag: 'wx',
    });
    await this.files.rename(temporary, target);
    return offsets.length;
  }

  /**
   * The result's CSV file, there: a file gone from the results directory cannot be made again,
   * and is said so (410) rather than failing as a bug.
   */
  async #csvSize(executionId: string): Promise<number> {
    const size = await this.files
      .size(this.store.csvPath(executionId))
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          throw new ResultUnavailableError(executionId, 'its result file is gone from the results directory');
        }
        throw error;
      });
    return size;
  }

  /**
   * The page index, as it should be: a row offset for each row and one past the last, the last
   * being the CSV's size. One missing, cut short or not matching the CSV is written again from
   * the CSV; a CSV that does not hold the rows the execution recorded cannot be read.
   */
  async #index(executionId: string, rowCount: number): Promise<string> {
    const index = this.store.indexPath(executionId);
    const csvBytes = await this.#csvSize(executionId);
    const entries = rowCount + 1;
    const size = await this.files.size(index).catch(() => undefined);
    const whole =
      size === entries * OFFSET_BYTES &&
      (await this.#read(index, rowCount * OFFSET_BYTES, entries * OFFSET_BYTES)).readDoubleLE(0) === csvBytes;
    if (whole) return index;
    const rebuilt = await this.#rebuildIndex(executionId);
    if (rebuilt !== entries) {
      throw new ResultUnavailableError(
        executionId,
        'its result file is damaged (it holds fewer rows than it did)',
      );
    }
    return index;
  }

  /** Rows `[first, last)` of the result, as the bytes of their CSV lines. */
  async #lines(executionId: string, rowCount: number, first: number, last: number): Promise<Buffer> {
    if (last <= first) return Buffer.alloc(0);
    const index = await this.#index(executionId, rowCount);
    const at = async (row: number) =>
      (await this.#read(index, row * OFFSET_BYTES, (row + 1) * OFFSET_BYTES)).readDoubleLE(0);
    const [start, end] = await Promise.all([at(first), at(last)]);
    return this.#read(this.store.csvPath(executionId), start, end);
  }

  /** Which rows a page holds. */
  #span(execution: StoredExecution, page: { limit: number; nextToken?: string }): Span {
    const total = execution.rowCount ?? 0;
    const offset = page.nextToken === undefined ? 0 : decodePageToken(execution.executionId, page.nextToken);
    const first = Math.min(offset, total);
    const last = Math.min(offset + page.limit, total);
    return {
      total,
      first,
      last,
      ...(last < total ? { nextToken: encodePageToken(execution.executionId, last) } : {}),
    };
  }

  /** The whole CSV, as a stream, once it is known to be whole (a download). */
  async openCsv(execution: StoredExecution): Promise<Readable> {
    await this.#index(execution.executionId, execution.rowCount ?? 0);
    return this.files.createReadStream(this.store.csvPath(execution.executionId), { start: 0 });
  }

  async page(execution: StoredExecution, page: { limit: number; nextToken?: string }): Promise<ResultPage> {
    const { total, first, last, nextToken } = this.#span(execution, page);
    const lines = await this.#lines(execution.executionId, total, first, last);
    return {
      columns: execution.columns,
      rows: typedRows(lines.toString('utf8'), execution.columns),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  /**
   * The same page as its JSON text (`JSON.stringify` of `page`'s answer), written from the CSV.
   * The next page of the same size is written at once, while its reader reads this one, and kept
   * for its request (a reader reads a result page after page): the sweep's 78 pages of the
   * bench's year spent 0.2 s of the server's time so, beside the time it took the reader to read
   * each page. A result never changes once written; its CSV is looked for again when the page
   * written ahead is served.
   */
  async pageJson(
    execution: StoredExecution,
    page: { limit: number; nextToken?: string },
  ): Promise<ResultPageJson> {
    const span = this.#span(execution, page);
    const key = aheadKey(execution.executionId, span.first, page.limit);
    const ahead = this.#ahead.get(key);
    this.#ahead.delete(key);
    let json = ahead ? await ahead.catch(() => undefined) : undefined;
    // Served only while the result is there (a result removed is gone: 410).
    if (json) await this.#csvSize(execution.executionId);
    json ??= await this.#pageJson(execution, span);
    // A page too large to answer is asked for again with fewer rows, and its reader's next
    // request then starts elsewhere: only a page within READ_AHEAD_BYTES has the next written.
    if (span.nextToken !== undefined && json.json.length <= READ_AHEAD_BYTES) {
      const next = { limit: page.limit, nextToken: span.nextToken };
      const nextSpan = this.#span(execution, next);
      // After this answer is on its way: setImmediate runs once the event loop has handed it to
      // the socket (what the socket does not take at once is written as it drains).
      const made = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        this.#pageJson(execution, nextSpan),
      );
      // A page written ahead that fails is written again when asked for, and says why then.
      made.catch(() => undefined);
      this.#ahead.set(aheadKey(execution.executionId, nextSpan.first, page.limit), made);
    }
    return json;
  }

  /** Pages written ahead, by execution, first row and size: a few, each of a page within READ_AHEAD_BYTES. */
  readonly #ahead = new RecentMap<string, Promise<ResultPageJson>>(4);

  async #pageJson(
    execution: StoredExecution,
    { total, first, last, nextToken }: Span,
  ): Promise<ResultPageJson> {
    const { columns } = execution;
    const lines = await this.#lines(execution.executionId, total, first, last);
    const next = nextToken ? `,"nextToken":${JSON.stringify(nextToken)}` : '';
    const written = csvRowsAsJson(lines, columns, {
      before: `{"columns":${JSON.stringify(columns)},"rows":[`,
      after: `]${next}}`,
    });
    if (written) return written;
    const rows = typedRows(lines.toString('utf8'), columns);
    return {
      json: JSON.stringify({ columns, rows, ...(nextToken ? { nextToken } : {}) }),
      rows: rows.length,
    };
  }
}

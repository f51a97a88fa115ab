/**
 * Pages of a finished execution's CSV, typed by its columns. A page is read from the row the page
 * index names nearest before it, so its time and memory follow the page, not the result: the
 * middle of a million-row result costs what its first page costs.
 */
import { parse } from 'csv-parse';
import { CSV_CELLS } from '../../results/csvFormat.js';
import { decodePageToken, encodePageToken } from '../../results/pageToken.js';
import { fromResultText } from '../../results/resultValues.js';
import type { ResultPage } from '../queryEngine.js';
import type { ExecutionStore, StoredExecution } from './executionStore.js';
import { PAGE_INDEX_STEP } from './resultCsvWriter.js';
import type { ResultFileSystem } from './resultFileSystem.js';

/** Page indexes are small (8 bytes per 256 rows) and never change: keep the recent ones. */
const CACHED_INDEXES = 64;

export class ResultPages {
  readonly #indexes = new Map<string, Float64Array>();

  constructor(
    readonly store: ExecutionStore,
    readonly files: ResultFileSystem,
  ) {}

  async #index(executionId: string): Promise<Float64Array> {
    const cached = this.#indexes.get(executionId);
    if (cached) return cached;
    const bytes = await this.files.readFile(this.store.indexPath(executionId));
    const index = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (this.#indexes.size >= CACHED_INDEXES)
      this.#indexes.delete(this.#indexes.keys().next().value as string);
    this.#indexes.set(executionId, index);
    return index;
  }

  /** `count` rows of text from row `first` on. */
  async #rows(executionId: string, first: number, count: number): Promise<(string | null)[][]> {
    const index = await this.#index(executionId);
    const start = index[1 + Math.floor(first / PAGE_INDEX_STEP)];
    if (start === undefined || count === 0) return [];
    const source = await this.files.createReadStream(this.store.csvPath(executionId), {
      start,
      end: index[0] as number,
    });
    const parser = source.pipe(parse(CSV_CELLS));
    const skip = first % PAGE_INDEX_STEP;
    const rows: (string | null)[][] = [];
    let seen = 0;
    try {
      for await (const record of parser) {
        if (seen >= skip) rows.push(record as (string | null)[]);
        seen += 1;
        if (rows.length === count) break;
      }
    } finally {
      source.destroy();
    }
    return rows;
  }

  async page(execution: StoredExecution, page: { limit: number; nextToken?: string }): Promise<ResultPage> {
    const { executionId, columns } = execution;
    const total = execution.rowCount ?? 0;
    const offset = page.nextToken === undefined ? 0 : decodePageToken(executionId, page.nextToken);
    const texts = await this.#rows(executionId, offset, Math.max(0, Math.min(page.limit, total - offset)));
    const rows = texts.map((values) =>
      Object.fromEntries(columns.map((c, i) => [c.name, fromResultText(values[i], c.type)])),
    );
    const next = offset + rows.length;
    return { columns, rows, ...(next < total ? { nextToken: encodePageToken(executionId, next) } : {}) };
  }
}

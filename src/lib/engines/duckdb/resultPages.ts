/**
 * Pages of a finished execution's CSV, typed by its columns. Results never change once written,
 * so the few most recently read are kept parsed.
 */
import { readFile } from 'node:fs/promises';
import { parseCsvRows } from '../../results/csvFormat.js';
import { decodePageToken, encodePageToken } from '../../results/pageToken.js';
import { fromResultText } from '../../results/resultValues.js';
import type { ResultPage } from '../queryEngine.js';
import type { ExecutionStore, StoredExecution } from './executionStore.js';

const CACHED_RESULTS = 8;

export class ResultPages {
  readonly #parsed = new Map<string, (string | null)[][]>();

  constructor(readonly store: ExecutionStore) {}

  async #rows(executionId: string): Promise<(string | null)[][]> {
    const cached = this.#parsed.get(executionId);
    if (cached) return cached;
    const rows = parseCsvRows(await readFile(this.store.csvPath(executionId), 'utf8'));
    if (this.#parsed.size >= CACHED_RESULTS) this.#parsed.delete(this.#parsed.keys().next().value as string);
    this.#parsed.set(executionId, rows);
    return rows;
  }

  async page(execution: StoredExecution, page: { limit: number; nextToken?: string }): Promise<ResultPage> {
    const { executionId, columns } = execution;
    const offset = page.nextToken === undefined ? 0 : decodePageToken(executionId, page.nextToken);
    const all = await this.#rows(executionId);
    const slice = all.slice(offset, offset + page.limit);
    const rows = slice.map((values) =>
      Object.fromEntries(columns.map((c, i) => [c.name, fromResultText(values[i], c.type)])),
    );
    const next = offset + slice.length;
    return { columns, rows, ...(next < all.length ? { nextToken: encodePageToken(executionId, next) } : {}) };
  }
}

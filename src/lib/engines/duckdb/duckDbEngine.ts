/**
 * The embedded engine: DuckDB over CloudTrail files on disk, behaving as Athena does. Executions
 * are queued and run in the background (at most `maxConcurrent` at once), their results written
 * as CSV beside a JSON record, and bytesScanned is the compressed size of the files read.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ConflictError, NotFoundError } from '../../errors.js';
import { parseCsvRows, toCsvLine } from '../../results/csvFormat.js';
import { decodePageToken, encodePageToken } from '../../results/pageToken.js';
import { resultFileName } from '../../results/resultFileName.js';
import { fromResultText } from '../../results/resultValues.js';
import type { LinkSigner } from '../../signing/signedLink.js';
import type {
  Execution,
  ExecutionRequest,
  QueryEngine,
  ResultLink,
  ResultLinkOptions,
  ResultPage,
} from '../queryEngine.js';
import { isTerminal } from '../queryEngine.js';
import { createCloudTrailView } from './cloudtrailRelation.js';
import { ExecutionStore, type StoredExecution } from './executionStore.js';
import { findLogFiles } from './logFiles.js';
import { TRINO_MACROS, toDuckDbDialect } from './trinoCompat.js';

export interface DuckDbEngineOptions {
  readonly logsDir: string;
  readonly resultsDir: string;
  readonly signer: LinkSigner;
  /** Base URL of the server that serves /v1/downloads; by default the one the request came to. */
  readonly publicUrl?: string | undefined;
  readonly maxConcurrent: number;
}

interface Active {
  connection?: DuckDBConnection;
  cancelled: boolean;
  /** Settles when the execution's final record is saved. */
  done: Promise<void>;
  finish: () => void;
}

const newActive = (): Active => {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { cancelled: false, done, finish };
};

const now = () => new Date().toISOString();

export class DuckDbEngine implements QueryEngine {
  readonly #instance: DuckDBInstance;
  readonly #store: ExecutionStore;
  readonly #options: DuckDbEngineOptions;
  readonly #active = new Map<string, Active>();
  readonly #queue: (() => void)[] = [];
  readonly #pages = new Map<string, (string | null)[][]>();
  /** Idempotency-Key to execution id, as Athena's ClientRequestToken. */
  readonly #byIdempotencyKey = new Map<string, string>();
  #running = 0;

  private constructor(instance: DuckDBInstance, store: ExecutionStore, options: DuckDbEngineOptions) {
    this.#instance = instance;
    this.#store = store;
    this.#options = options;
  }

  static async create(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const store = new ExecutionStore(options.resultsDir);
    await store.init();
    // An execution still QUEUED or RUNNING on disk belonged to a server that stopped mid-way.
    for (const execution of await store.all()) {
      if (!isTerminal(execution.state)) {
        await store.save({
          ...execution,
          state: 'FAILED',
          completedAt: now(),
          error: {
            category: 'INTERRUPTED',
            message: 'The server stopped before this execution ended; start it again.',
          },
        });
      }
    }
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(Math.max(1, options.maxConcurrent)),
    });
    const setup = await instance.connect();
    for (const macro of TRINO_MACROS) await setup.run(macro);
    setup.closeSync();
    return new DuckDbEngine(instance, store, options);
  }

  async start(request: ExecutionRequest): Promise<{ executionId: string }> {
    const known = request.idempotencyKey && this.#byIdempotencyKey.get(request.idempotencyKey);
    if (known) return { executionId: known };
    const executionId = randomUUID();
    if (request.idempotencyKey) this.#byIdempotencyKey.set(request.idempotencyKey, executionId);
    const execution: StoredExecution = {
      executionId,
      query: request.queryName,
      state: 'QUEUED',
      submittedAt: now(),
      window: { from: request.window.from, to: request.window.to },
      statistics: { bytesScanned: 0, engineMs: 0 },
      columns: request.columns,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    };
    await this.#store.save(execution);
    this.#active.set(executionId, newActive());
    void this.#schedule(() => this.#run(execution, request));
    return { executionId };
  }

  async #schedule(task: () => Promise<void>): Promise<void> {
    if (this.#running >= this.#options.maxConcurrent) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    }
    this.#running += 1;
    try {
      await task();
    } finally {
      this.#running -= 1;
      this.#queue.shift()?.();
    }
  }

  async #run(queued: StoredExecution, request: ExecutionRequest): Promise<void> {
    const active = this.#active.get(queued.executionId);
    if (!active || active.cancelled) return;
    const startedMs = Date.now();
    const queueMs = startedMs - Date.parse(queued.submittedAt);
    let execution: StoredExecution = {
      ...queued,
      state: 'RUNNING',
      statistics: { bytesScanned: 0, engineMs: 0, queueMs },
    };
    await this.#store.save(execution);
    const connection = await this.#instance.connect();
    active.connection = connection;
    try {
      // An interrupt only stops a statement that is executing: a cancel that lands between steps
      // is honoured at the next one.
      const stopIfCancelled = () => {
        if (active.cancelled) throw new Error('cancelled');
      };
      const files = await findLogFiles(this.#options.logsDir, request.window);
      const bytesScanned = files.reduce((sum, f) => sum + f.bytes, 0);
      execution = { ...execution, statistics: { ...execution.statistics, bytesScanned } };
      stopIfCancelled();
      await connection.run(createCloudTrailView(files));
      stopIfCancelled();
      const prepared = await connection.prepare(toDuckDbDialect(request.sql));
      request.parameters.forEach((value, i) => {
        prepared.bindVarchar(i + 1, value);
      });
      stopIfCancelled();
      const result = await prepared.stream();
      const rowCount = await this.#writeCsv(queued.executionId, request, result, stopIfCancelled);
      execution = {
        ...execution,
        state: active.cancelled ? 'CANCELLED' : 'SUCCEEDED',
        completedAt: now(),
        rowCount,
        statistics: { ...execution.statistics, engineMs: Date.now() - startedMs },
      };
    } catch (error) {
      execution = {
        ...execution,
        state: active.cancelled ? 'CANCELLED' : 'FAILED',
        completedAt: now(),
        statistics: { ...execution.statistics, engineMs: Date.now() - startedMs },
        ...(active.cancelled ? {} : { error: { category: 'SYSTEM', message: (error as Error).message } }),
      };
    } finally {
      connection.closeSync();
    }
    await this.#store.save(execution);
    this.#active.delete(queued.executionId);
    active.finish();
  }

  async #writeCsv(
    executionId: string,
    request: ExecutionRequest,
    result: Awaited<ReturnType<Awaited<ReturnType<DuckDBConnection['prepare']>>['stream']>>,
    stopIfCancelled: () => void,
  ): Promise<number> {
    const target = this.#store.csvPath(executionId);
    const out = createWriteStream(`${target}.tmp`);
    try {
      out.write(toCsvLine(request.columns.map((c) => c.name)));
      let rows = 0;
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        stopIfCancelled();
        for (const row of chunk.getRows()) {
          out.write(toCsvLine(row.map((v) => (v === null ? null : typeof v === 'object' ? String(v) : v))));
        }
        rows += chunk.rowCount;
      }
      out.end();
      await finished(out);
      await rename(`${target}.tmp`, target);
      return rows;
    } catch (error) {
      // A half-written result must not outlive its execution.
      out.destroy();
      await rm(`${target}.tmp`, { force: true });
      throw error;
    }
  }

  async #load(executionId: string): Promise<StoredExecution> {
    const execution = await this.#store.load(executionId);
    if (!execution) throw new NotFoundError(`No execution ${executionId}`);
    return execution;
  }

  async get(executionId: string): Promise<Execution> {
    const {
      columns: _columns,
      rowCount: _rows,
      idempotencyKey: _key,
      ...execution
    } = await this.#load(executionId);
    const connection = this.#active.get(executionId)?.connection;
    const percentage = connection?.progress.percentage;
    return execution.state === 'RUNNING' && percentage !== undefined && percentage >= 0
      ? { ...execution, statistics: { ...execution.statistics, progressPercent: Math.round(percentage) } }
      : execution;
  }

  async #rows(execution: StoredExecution): Promise<(string | null)[][]> {
    const cached = this.#pages.get(execution.executionId);
    if (cached) return cached;
    const rows = parseCsvRows(await readFile(this.#store.csvPath(execution.executionId), 'utf8'));
    // Results never change once written; keep the few most recent parsed.
    if (this.#pages.size >= 8) this.#pages.delete(this.#pages.keys().next().value as string);
    this.#pages.set(execution.executionId, rows);
    return rows;
  }

  async #succeeded(executionId: string): Promise<StoredExecution> {
    const execution = await this.#load(executionId);
    if (execution.state !== 'SUCCEEDED') {
      throw new ConflictError(
        `Execution ${executionId} is ${execution.state}; results exist only once it SUCCEEDED`,
        execution.state,
      );
    }
    return execution;
  }

  async getResults(executionId: string, page: { limit: number; nextToken?: string }): Promise<ResultPage> {
    const execution = await this.#succeeded(executionId);
    const offset = page.nextToken === undefined ? 0 : decodePageToken(executionId, page.nextToken);
    const all = await this.#rows(execution);
    const slice = all.slice(offset, offset + page.limit);
    const rows = slice.map((values) =>
      Object.fromEntries(execution.columns.map((c, i) => [c.name, fromResultText(values[i], c.type)])),
    );
    const next = offset + slice.length;
    return {
      columns: execution.columns,
      rows,
      ...(next < all.length ? { nextToken: encodePageToken(executionId, next) } : {}),
    };
  }

  async getResultsLink(executionId: string, options: ResultLinkOptions): Promise<ResultLink> {
    await this.#succeeded(executionId);
    const expires = Math.floor(Date.now() / 1000) + options.expiresInSeconds;
    const pathname = `/v1/downloads/${executionId}`;
    const base = this.#options.publicUrl ?? options.requestBaseUrl ?? 'http://127.0.0.1:3000';
    return {
      url: `${base}${pathname}?${this.#options.signer.sign(pathname, expires)}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** The CSV and the name to save it under, for the local download route. */
  async readResultCsv(executionId: string): Promise<{ csv: string; fileName: string }> {
    const execution = await this.#succeeded(executionId);
    return {
      csv: await readFile(this.#store.csvPath(executionId), 'utf8'),
      fileName: resultFileName(execution.query, execution.window, executionId),
    };
  }

  async cancel(executionId: string): Promise<Execution> {
    const execution = await this.#load(executionId);
    if (isTerminal(execution.state)) {
      throw new ConflictError(
        `Execution ${executionId} already ended as ${execution.state}`,
        execution.state,
      );
    }
    const active = this.#active.get(executionId);
    if (active?.connection) {
      active.cancelled = true;
      // An interrupt stops only the statement executing at that instant; one that starts just
      // after would run on. Interrupt again until the execution has recorded its end.
      const deadline = Date.now() + 5000;
      let ended = false;
      void active.done.then(() => {
        ended = true;
      });
      while (!ended && Date.now() < deadline) {
        try {
          active.connection.interrupt();
        } catch {
          // The execution closed its connection as it ended: nothing left to interrupt.
        }
        await Promise.race([active.done, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
    } else {
      // Still queued: it will never start; record the end now.
      if (active) active.cancelled = true;
      this.#active.delete(executionId);
      await this.#store.save({ ...execution, state: 'CANCELLED', completedAt: now() });
      active?.finish();
    }
    return this.get(executionId);
  }

  close(): void {
    this.#instance.closeSync();
  }
}

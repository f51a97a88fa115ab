/**
 * The embedded engine: DuckDB over CloudTrail files on disk, behaving as Athena does. Executions
 * are queued and run in the background (at most `maxConcurrent` at once), their results written
 * as CSV beside a JSON record. Each reads compacted days from the columnar store where they are
 * current and raw files elsewhere (store/scanPlan.ts); bytesScanned is what it reads: raw files
 * whole, and the column chunks it needs of each compacted day.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { ExecutionNotFoundError, ExecutionStateError } from '../../errors.js';
import { resultFileName } from '../../results/resultFileName.js';
import { downloadPathname, type LinkSigner } from '../../signing/signedLink.js';
import type {
  Execution,
  ExecutionRequest,
  QueryEngine,
  ResultLink,
  ResultLinkOptions,
  ResultPage,
} from '../queryEngine.js';
import { isTerminal } from '../queryEngine.js';
import { ActiveExecution } from './activeExecution.js';
import { ExecutionStore, type StoredExecution } from './executionStore.js';
import { ResultPages } from './resultPages.js';
import { RunQueue } from './runQueue.js';
import { runStatement } from './runStatement.js';
import { planScan } from './store/scanPlan.js';
import { TRINO_MACROS } from './trinoCompat.js';

export interface DuckDbEngineOptions {
  readonly logsDir: string;
  /** The columnar store of compacted days; without one, every day is read raw. */
  readonly storeDir?: string | undefined;
  readonly resultsDir: string;
  readonly signer: LinkSigner;
  /** Base URL of the server that serves /v1/downloads; by default the one the request came to. */
  readonly publicUrl?: string | undefined;
  readonly maxConcurrent: number;
}

const now = () => new Date().toISOString();

export class DuckDbEngine implements QueryEngine {
  readonly #instance: DuckDBInstance;
  readonly #store: ExecutionStore;
  readonly #options: DuckDbEngineOptions;
  readonly #active = new Map<string, ActiveExecution>();
  readonly #queue: RunQueue;
  readonly #pages: ResultPages;
  /** Idempotency-Key to execution id, as Athena's ClientRequestToken; restored from the records. */
  readonly #byIdempotencyKey = new Map<string, string>();

  private constructor(
    instance: DuckDBInstance,
    store: ExecutionStore,
    options: DuckDbEngineOptions,
    executions: readonly StoredExecution[],
  ) {
    this.#instance = instance;
    this.#store = store;
    this.#options = options;
    this.#queue = new RunQueue(options.maxConcurrent);
    this.#pages = new ResultPages(store);
    for (const e of executions)
      if (e.idempotencyKey) this.#byIdempotencyKey.set(e.idempotencyKey, e.executionId);
  }

  static async create(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const store = new ExecutionStore(options.resultsDir);
    await store.init();
    // An execution still QUEUED or RUNNING on disk belonged to a server that stopped mid-way.
    const executions = await store.all();
    for (const execution of executions) {
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
    // Every core for the engine, however many executions run at once: one execution alone
    // should scan as fast as the machine allows.
    const instance = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
    const setup = await instance.connect();
    for (const macro of TRINO_MACROS) await setup.run(macro);
    setup.closeSync();
    return new DuckDbEngine(instance, store, options, executions);
  }

  async start(request: ExecutionRequest): Promise<{ executionId: string }> {
    const known = request.idempotencyKey && this.#byIdempotencyKey.get(request.idempotencyKey);
    if (known) return { executionId: known };
    const executionId = randomUUID();
    if (request.idempotencyKey) this.#byIdempotencyKey.set(request.idempotencyKey, executionId);
    const execution: StoredExecution = {
      executionId,
      query: request.statement.header.query,
      state: 'QUEUED',
      submittedAt: now(),
      window: { from: request.window.from, to: request.window.to },
      statistics: { bytesScanned: 0, engineMs: 0 },
      columns: request.columns,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    };
    await this.#store.save(execution);
    this.#active.set(executionId, new ActiveExecution());
    void this.#queue.run(() => this.#run(execution, request));
    return { executionId };
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
      const plan = await planScan(this.#options.logsDir, this.#options.storeDir, request.window);
      execution = { ...execution, statistics: { ...execution.statistics, days: plan.days } };
      active.checkpoint();
      const csvPath = this.#store.csvPath(queued.executionId);
      const rowCount = await runStatement(connection, plan, request, csvPath, {
        checkpoint: () => active.checkpoint(),
        onScanned: (bytesScanned) => {
          execution = { ...execution, statistics: { ...execution.statistics, bytesScanned } };
        },
      });
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

  async #load(executionId: string): Promise<StoredExecution> {
    const execution = await this.#store.load(executionId);
    if (!execution) throw new ExecutionNotFoundError(executionId);
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

  async #succeeded(executionId: string): Promise<StoredExecution> {
    const execution = await this.#load(executionId);
    if (execution.state !== 'SUCCEEDED') {
      throw new ExecutionStateError(
        `Execution ${executionId} is ${execution.state}; results exist only once it SUCCEEDED`,
        execution.state,
      );
    }
    return execution;
  }

  async getResults(executionId: string, page: { limit: number; nextToken?: string }): Promise<ResultPage> {
    return this.#pages.page(await this.#succeeded(executionId), page);
  }

  async getResultsLink(executionId: string, options: ResultLinkOptions): Promise<ResultLink> {
    await this.#succeeded(executionId);
    const expires = Math.floor(Date.now() / 1000) + options.expiresInSeconds;
    const pathname = downloadPathname(executionId);
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
      throw new ExecutionStateError(
        `Execution ${executionId} already ended as ${execution.state}`,
        execution.state,
      );
    }
    const active = this.#active.get(executionId);
    if (active?.connection) {
      await active.stop();
    } else {
      // Still queued: it will never start; record the end now.
      if (active) active.cancelled = true;
      this.#active.delete(executionId);
      await this.#store.save({ ...execution, state: 'CANCELLED', completedAt: now() });
      active?.finish();
    }
    return this.get(executionId);
  }

  /** Whether any execution is queued or running: background compaction waits meanwhile. */
  get busy(): boolean {
    return this.#active.size > 0;
  }

  close(): void {
    this.#instance.closeSync();
  }
}

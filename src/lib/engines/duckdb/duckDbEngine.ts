/**
 * The embedded engine: DuckDB over CloudTrail files on disk, behaving as Athena does. Executions
 * are queued (a bounded queue) and run in the background (at most `maxConcurrent` at once, each
 * within a time limit), their results written as CSV beside a JSON record. Each reads compacted
 * days from the columnar store where they are current and raw files elsewhere (store/scanPlan.ts);
 * bytesScanned is what it reads: raw files whole, and the column chunks it needs of each
 * compacted file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import {
  CapabilityUnavailableError,
  ConfigurationError,
  EngineUnavailableError,
  ExecutionNotFoundError,
  ExecutionStateError,
  IdempotencyMismatchError,
  QueueFullError,
  ResultUnavailableError,
} from '../../errors.js';
import type { IntegrityVerifier } from '../../integrity/integrityChecks.js';
import { WATCH_RUN_LABEL_PREFIX } from '../../labels.js';
import { logger } from '../../logging/logger.js';
import type { EndedExecution } from '../../notify/callbackNotifier.js';
import { LockHeldError, lockFile } from '../../processLock.js';
import { neutralizedCsv } from '../../results/csvForSpreadsheets.js';
import { resultFileName } from '../../results/resultFileName.js';
import { downloadPathname, type LinkSigner } from '../../signing/signedLink.js';
import { decodeListToken, encodeListToken, matchesFilter } from '../executionListing.js';
import type {
  Execution,
  ExecutionFacts,
  ExecutionFilter,
  ExecutionList,
  ExecutionRequest,
  QueryEngine,
  ResultLink,
  ResultLinkOptions,
  ResultPage,
  ResultPageJson,
  ScanEstimate,
} from '../queryEngine.js';
import { isTerminal } from '../queryEngine.js';
import { ActiveExecution } from './activeExecution.js';
import { type RunContext, runExecution, storageReason } from './executionRun.js';
import { ExecutionStore, type StoredExecution } from './executionStore.js';
import { nodeFileSystem, type ResultFileSystem } from './resultFileSystem.js';
import { ResultPages } from './resultPages.js';
import { RunQueue } from './runQueue.js';
import { estimateRequest } from './scanEstimate.js';
import { TRINO_MACROS } from './trinoCompat.js';

/**
 * The query engine's DuckDB: a thread a core, and without the optimizer that turns a longer IN
 * list into a join (`in_clause`). The detections' conditions hold some fifty IN lists of event
 * names and error codes; as joins, each was computed for every row of the window before the OR
 * of the conditions could skip it (48 mark joins, 1.0 s of CPU in the sweep of the bench's year),
 * where an IN list is tested only on the rows the conditions before it left. The year's sweep in
 * process: 9.1 to 10.7 s with it, 8.3 to 9.5 s without (four of each, alternating); the other
 * questions the same within the noise. Values are bound as constants either way.
 */
export const QUERY_INSTANCE_OPTIONS = {
  threads: String(availableParallelism()),
  disabled_optimizers: 'in_clause',
};

/** The files an execution read, as executionRun.ts keeps them beside its result. */
const SourcesSchema = z.array(
  z.object({ key: z.string(), bytes: z.number(), readFrom: z.enum(['raw', 'compacted']) }),
);

/** JSON text's value, or undefined when it is not JSON (a file cut short). */
const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Where a listing's next page starts: after this execution, in newest-first order. */
const ListCursorSchema = z.object({ at: z.string(), id: z.string() }).strict();

export interface DuckDbEngineOptions {
  readonly logsDir: string;
  /** The columnar store of compacted days; without one, every day is read raw. */
  readonly storeDir?: string | undefined;
  /** Keep partial results beside the store (keptPartials.ts); on unless false. */
  readonly keepPartials?: boolean;
  readonly resultsDir: string;
  readonly signer: LinkSigner;
  /** Base URL of the server that serves the download route, for the links it signs. */
  readonly publicUrl?: string | undefined;
  readonly maxConcurrent: number;
  /** Executions that may wait for a turn; more are refused (429). */
  readonly maxQueued?: number;
  /** A running execution is stopped, FAILED, after this long. */
  readonly timeoutMs?: number;
  readonly files?: ResultFileSystem;
  /** Hears each execution that asked for a callback when it ends (the runtime's notifier). */
  readonly onEnded?: (ended: EndedExecution) => void;
  /** Checks a window's log files against their digests, for executions that ask (verifyIntegrity). */
  readonly verifyIntegrity?: IntegrityVerifier;
}

const now = () => new Date().toISOString();

/** The results directory's owner: one server at a time reads and writes it. */
const OWNER_LOCK = '.owner.lock';

/** Takes the results directory, or refuses to start, naming the server that has it. */
const ownResultsDir = async (resultsDir: string): Promise<() => Promise<void>> => {
  await mkdir(resultsDir, { recursive: true, mode: 0o700 });
  try {
    return await lockFile(path.join(resultsDir, OWNER_LOCK));
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    throw new ConfigurationError(
      `The results directory ${resultsDir} belongs to another trailhound server (process ${error.pid}): stop it, or give this one a directory of its own (TRAILHOUND_RESULTS_DIR).`,
    );
  }
};

/** A stored execution without what only the engine reads. */
const publicView = (stored: StoredExecution): Execution => {
  const {
    columns: _columns,
    rowCount: _rows,
    idempotencyKey: _key,
    requestFingerprint: _fingerprint,
    notifyUrl: _notify,
    statement: _statement,
    parameters: _parameters,
    scope: _scope,
    retained: _retained,
    ...execution
  } = stored;
  return execution;
};

/** What a retried start must repeat to be the same request: its SQL, values and reuse. */
const fingerprintOf = (request: ExecutionRequest) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        request.statement.sql,
        request.statement.parameters,
        request.reuseResultsMinutes ?? null,
      ]),
    )
    .digest('hex');

export class DuckDbEngine implements QueryEngine {
  readonly #store: ExecutionStore;
  readonly #options: DuckDbEngineOptions;
  readonly #context: RunContext;
  readonly #active = new Map<string, ActiveExecution>();
  readonly #queue: RunQueue;
  readonly #pages: ResultPages;
  /**
   * Idempotency-Key to the execution it started, as Athena's ClientRequestToken; restored from the
   * records. Claimed before the start's first await, so that retries in flight together start one
   * execution, and given up if that start fails.
   */
  readonly #byIdempotencyKey = new Map<string, Promise<string>>();

  /** Gives the results directory up (close). */
  readonly #release: () => Promise<void>;

  private constructor(
    context: RunContext,
    options: DuckDbEngineOptions,
    executions: readonly StoredExecution[],
    release: () => Promise<void>,
  ) {
    this.#release = release;
    this.#context = context;
    this.#store = context.store;
    this.#options = options;
    this.#queue = new RunQueue(options.maxConcurrent);
    this.#pages = new ResultPages(context.store, context.files);
    for (const e of executions)
      if (e.idempotencyKey) this.#byIdempotencyKey.set(e.idempotencyKey, Promise.resolve(e.executionId));
  }

  /**
   * The engine over its results directory, which it then owns (a second server on the same one is
   * refused, and does not touch it). Executions a stopped server left behind are failed only by
   * `recoverInterrupted`, once the server has its port.
   */
  static async create(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const release = await ownResultsDir(options.resultsDir);
    try {
      return await DuckDbEngine.#open(options, release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  static async #open(options: DuckDbEngineOptions, release: () => Promise<void>): Promise<DuckDbEngine> {
    const files = options.files ?? nodeFileSystem;
    const store = new ExecutionStore(options.resultsDir, files, (ended) => {
      if (ended.notifyUrl) {
        options.onEnded?.({
          execution: publicView(ended),
          notifyUrl: ended.notifyUrl,
          rowCount: ended.rowCount,
        });
      }
    });
    await store.init();
    const executions = await store.all();
    // Every core for the engine, however many executions run at once: one execution alone
    // should scan as fast as the machine allows.
    const instance = await DuckDBInstance.create(':memory:', QUERY_INSTANCE_OPTIONS);
    const setup = await instance.connect();
    for (const macro of TRINO_MACROS) await setup.run(macro);
    setup.closeSync();
    const context: RunContext = {
      instance,
      store,
      files,
      logsDir: options.logsDir,
      storeDir: options.storeDir,
      keepPartials: options.keepPartials ?? true,
      timeoutMs: options.timeoutMs ?? 30 * 60_000,
      verifyIntegrity: options.verifyIntegrity,
    };
    return new DuckDbEngine(context, options, executions, release);
  }

  /**
   * Fails the executions still QUEUED or RUNNING on disk that this engine did not start: a server
   * that stopped mid-way left them. Run once the server has its port, so that a server that could
   * not start changes nothing.
   */
  async recoverInterrupted(): Promise<void> {
    for (const execution of await this.#store.all()) {
      if (isTerminal(execution.state) || this.#active.has(execution.executionId)) continue;
      await this.#store.update(execution.executionId, (stale) =>
        isTerminal(stale.state)
          ? undefined
          : {
              ...stale,
              state: 'FAILED',
              completedAt: now(),
              error: {
                category: 'INTERRUPTED',
                message: 'The server stopped before this execution ended; start it again.',
              },
            },
      );
    }
  }

  estimate(request: ExecutionRequest): Promise<ScanEstimate> {
    return estimateRequest(this.#context.instance, this.#context, request);
  }

  async #sameRequest(executionId: string, request: ExecutionRequest): Promise<{ executionId: string }> {
    const first = await this.#store.load(executionId);
    if (first?.requestFingerprint && first.requestFingerprint !== fingerprintOf(request)) {
      throw new IdempotencyMismatchError(executionId);
    }
    return { executionId };
  }

  /**
   * Starts an execution. Everything that decides whether it may start (the Idempotency-Key, a
   * place in the queue) is settled before the first await: starts in flight together see each
   * other's claims, as they would one after the other.
   */
  async start(request: ExecutionRequest): Promise<{ executionId: string }> {
    if (request.verifyIntegrity && !this.#options.verifyIntegrity) {
      throw new CapabilityUnavailableError(
        'This engine was made without integrity checks: verifyIntegrity cannot be honoured',
      );
    }
    const key = request.idempotencyKey;
    const claimed = key ? this.#byIdempotencyKey.get(key) : undefined;
    // A claim whose start failed is no claim: this start tries again.
    const first = claimed && (await claimed.catch(() => undefined));
    if (first) return this.#sameRequest(first, request);
    const waiting = this.#active.size - Math.min(this.#active.size, this.#options.maxConcurrent);
    const maxQueued = this.#options.maxQueued ?? 100;
    if (waiting >= maxQueued) throw new QueueFullError(waiting, 5);
    const executionId = randomUUID();
    const active = new ActiveExecution();
    this.#active.set(executionId, active);
    const recorded = this.#record(executionId, request);
    if (key) this.#byIdempotencyKey.set(key, recorded);
    try {
      await recorded;
    } catch (error) {
      this.#active.delete(executionId);
      if (key && this.#byIdempotencyKey.get(key) === recorded) this.#byIdempotencyKey.delete(key);
      throw error;
    }
    void this.#queue
      .run(() => runExecution(this.#context, executionId, request, active))
      .catch((error: unknown) => logger.error('execution run failed', { executionId, error: error as Error }))
      .finally(() => {
        this.#active.delete(executionId);
        active.finish();
      });
    return { executionId };
  }

  /** Writes the new execution's record, QUEUED; the id once it is written. */
  async #record(executionId: string, request: ExecutionRequest): Promise<string> {
    const execution: StoredExecution = {
      executionId,
      query: request.statement.header.query,
      ...(request.statement.header.label ? { label: request.statement.header.label } : {}),
      state: 'QUEUED',
      submittedAt: now(),
      window: { from: request.window.from, to: request.window.to },
      statistics: {
        bytesScanned: 0,
        engineMs: 0,
        ...(request.estimate ? { estimatedBytesScanned: request.estimate.bytesScanned } : {}),
      },
      columns: request.columns,
      requestFingerprint: fingerprintOf(request),
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
      ...(request.statement.header.notify ? { notifyUrl: request.statement.header.notify } : {}),
      statement: { text: request.statement.sql, parameters: request.statement.parameters },
      parameters: request.parameters ?? {},
      scope: {
        ...(request.window.accounts ? { accounts: request.window.accounts } : {}),
        ...(request.window.regions ? { regions: request.window.regions } : {}),
      },
    };
    await this.#store.create(execution).catch((error: unknown) => {
      const storage = storageReason(error);
      if (!storage) throw error;
      logger.error('execution could not be recorded', { executionId, error: error as Error });
      throw new EngineUnavailableError(`No execution can start: ${storage}.`, { cause: error });
    });
    return executionId;
  }

  async #load(executionId: string): Promise<StoredExecution> {
    const execution = await this.#store.load(executionId);
    if (!execution) throw new ExecutionNotFoundError(executionId);
    return execution;
  }

  async get(executionId: string): Promise<Execution> {
    return this.#view(await this.#load(executionId));
  }

  async untilEnded(executionId: string, ms: number): Promise<boolean> {
    const active = this.#active.get(executionId);
    if (!active) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([active.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
    return true;
  }

  /** What a client sees of a stored execution: no internals, and the progress of a running one. */
  #view(stored: StoredExecution): Execution {
    const execution = publicView(stored);
    const connection = this.#active.get(execution.executionId)?.connection;
    const percentage = connection?.progress.percentage;
    return execution.state === 'RUNNING' && percentage !== undefined && percentage >= 0
      ? { ...execution, statistics: { ...execution.statistics, progressPercent: Math.round(percentage) } }
      : execution;
  }

  /**
   * Every execution of the results directory that matches, newest first (the local server is
   * single-user: all of them are the caller's), after the cursor of `nextToken`.
   */
  async list(filter: ExecutionFilter, page: { limit: number; nextToken?: string }): Promise<ExecutionList> {
    const after = page.nextToken ? decodeListToken(page.nextToken, ListCursorSchema) : undefined;
    // Older than the cursor's execution: after it in newest-first order.
    const pastCursor = (e: { submittedAt: string; executionId: string }) =>
      !after || e.submittedAt < after.at || (e.submittedAt === after.at && e.executionId < after.id);
    const { executions, more } = await this.#store.page(
      (summary) => matchesFilter(summary, filter) && pastCursor(summary),
      page.limit,
    );
    const last = executions.at(-1);
    return {
      executions: executions.map((e) => this.#view(e)),
      ...(more && last ? { nextToken: encodeListToken({ at: last.submittedAt, id: last.executionId }) } : {}),
    };
  }

  async #succeeded(executionId: string): Promise<StoredExecution> {
    const execution = await this.#load(executionId);
    if (execution.state !== 'SUCCEEDED') {
      throw new ExecutionStateError(
        `Execution ${executionId} is ${execution.state}; results exist only once it SUCCEEDED`,
        execution.state,
      );
    }
    if (execution.expired) {
      throw new ResultUnavailableError(
        executionId,
        'its result files were removed after the retention (TRAILHOUND_RESULTS_RETENTION)',
      );
    }
    return execution;
  }

  /** What the results directory holds: its files and their bytes (GET /health). */
  async resultsDiskUse(): Promise<{ files: number; bytes: number }> {
    const names = await this.#context.files.readdir(this.#store.dir);
    const sizes = await Promise.all(
      names.map((name) => this.#context.files.size(path.join(this.#store.dir, name)).catch(() => 0)),
    );
    return { files: names.length, bytes: sizes.reduce((a, b) => a + b, 0) };
  }

  /** Keeps the execution's results the whole retention: a watch delivered findings from it. */
  async retain(executionId: string): Promise<void> {
    await this.#store.amendEnded(executionId, (current) =>
      current.retained ? undefined : { ...current, retained: true },
    );
  }

  /**
   * Removes the result files of the executions that ended longer ago than `retentionMs` (a watch's
   * run that delivered nothing: `watchRunMs`), keeping their records, now `expired`.
   * @returns how many expired now.
   */
  async expireResults(rules: { now: number; retentionMs: number; watchRunMs: number }): Promise<number> {
    const shortest = Math.min(rules.retentionMs, rules.watchRunMs);
    // Only executions submitted before the shortest limit can be past either.
    const before = new Date(rules.now - shortest).toISOString();
    const { executions } = await this.#store.page(
      (s) => !s.expired && isTerminal(s.state) && s.submittedAt < before,
      Number.MAX_SAFE_INTEGER,
    );
    let expired = 0;
    for (const execution of executions) {
      const endedAt = Date.parse(execution.completedAt ?? execution.submittedAt);
      const watchRun = execution.label?.startsWith(WATCH_RUN_LABEL_PREFIX) && !execution.retained;
      const limit = watchRun ? shortest : rules.retentionMs;
      if (rules.now - endedAt <= limit) continue;
      const id = execution.executionId;
      for (const file of [this.#store.csvPath(id), this.#store.indexPath(id), this.#store.sourcesPath(id)]) {
        await this.#context.files.rm(file, { force: true });
      }
      await this.#store.amendEnded(id, (current) => ({ ...current, expired: true }));
      expired += 1;
    }
    return expired;
  }

  async getResults(executionId: string, page: { limit: number; nextToken?: string }): Promise<ResultPage> {
    return this.#pages.page(await this.#succeeded(executionId), page);
  }

  async getResultsJson(
    executionId: string,
    page: { limit: number; nextToken?: string },
  ): Promise<ResultPageJson> {
    return this.#pages.pageJson(await this.#succeeded(executionId), page);
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

  /**
   * What the execution asked, read and answered, for its evidence. Its list of files read is kept
   * beside its result: one gone (an execution from before evidence was kept, results removed by
   * hand) or damaged cannot be made again, and is said so (410), as a result file gone is.
   */
  async facts(executionId: string): Promise<ExecutionFacts> {
    const stored = await this.#succeeded(executionId);
    const text = await this.#context.files
      .readFile(this.#store.sourcesPath(executionId))
      .then((bytes) => bytes.toString('utf8'))
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          throw new ResultUnavailableError(
            executionId,
            'the list of the files it read is gone from the results directory',
          );
        }
        throw error;
      });
    const parsed = SourcesSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new ResultUnavailableError(executionId, 'the list of the files it read is damaged');
    }
    const sources = parsed.data;
    const hash = createHash('sha256');
    for await (const chunk of neutralizedCsv(await this.#pages.openCsv(stored))) hash.update(chunk as Buffer);
    return {
      execution: publicView(stored),
      parameters: stored.parameters ?? {},
      scope: stored.scope ?? {},
      statement: stored.statement ?? { text: '', parameters: [] },
      sources,
      rows: stored.rowCount ?? 0,
      csvSha256: hash.digest('hex'),
    };
  }

  async openResultCsv(executionId: string): Promise<{ stream: Readable; fileName: string }> {
    const execution = await this.#succeeded(executionId);
    return { stream: await this.#pages.openCsv(execution), fileName: resultFileName(execution) };
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
    // Marked first: a run that has not started yet then never starts.
    if (active) active.stopReason ??= 'cancelled';
    const recorded = await this.#store.update(executionId, (current) =>
      current.state === 'QUEUED' ? { ...current, state: 'CANCELLED', completedAt: now() } : undefined,
    );
    // A running one is interrupted until its run records the end.
    if (recorded?.state === 'RUNNING') await active?.stop('cancelled');
    const after = await this.get(executionId);
    if (!isTerminal(after.state)) {
      // The run did not end in time (a statement deaf to interrupts): record the cancel anyway.
      await this.#store.update(executionId, (current) => ({
        ...current,
        state: 'CANCELLED',
        completedAt: now(),
      }));
    }
    return this.get(executionId);
  }

  /** Whether any execution is queued or running: background compaction waits meanwhile. */
  get busy(): boolean {
    return this.#active.size > 0;
  }

  /** Closes DuckDB and gives the results directory up. */
  async close(): Promise<void> {
    this.#context.instance.closeSync();
    await this.#release();
  }
}

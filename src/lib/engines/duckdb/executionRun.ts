/**
 * One execution's run on the embedded engine, from QUEUED to its end: the scan planned, the
 * statement run within the time limit, the result written, each state recorded through the
 * execution store (which never changes an ended record, so a cancel that lands first wins).
 * Nothing it meets escapes: an engine error, a full disk or an unwritable directory ends the
 * execution FAILED with a reason a client may read, and the details go to the server log.
 */
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CancelledError } from '../../errors.js';
import type { IntegrityVerifier } from '../../integrity/integrityChecks.js';
import { integrityWarning } from '../../integrity/integrityReport.js';
import { logger } from '../../logging/logger.js';
import { LOG_FILE_FAULTS, logKeyOf } from '../../store/duckdb/logFiles.js';
import { connectWithProgress } from '../../store/duckdb/progressConnection.js';
import type { ScanPlan } from '../../store/duckdb/scanPlan.js';
import { planScan } from '../../store/duckdb/scanPlan.js';
import {
  type ExecutionError,
  type ExecutionRequest,
  NO_LOGS_WARNING,
  type SourceFile,
} from '../queryEngine.js';
import type { ActiveExecution } from './activeExecution.js';
import type { ExecutionStore, StoredExecution } from './executionStore.js';
import { keptPartialsOf } from './keptPartials.js';
import { OWNER_ONLY_FILE, type ResultFileSystem } from './resultFileSystem.js';
import { runStatement } from './runStatement.js';

export interface RunContext {
  readonly instance: DuckDBInstance;
  readonly store: ExecutionStore;
  readonly files: ResultFileSystem;
  readonly logsDir: string;
  readonly storeDir: string | undefined;
  /** Keep partial results beside the store, and answer from them (keptPartials.ts). */
  readonly keepPartials: boolean;
  readonly timeoutMs: number;
  readonly verifyIntegrity?: IntegrityVerifier | undefined;
}

const now = () => new Date().toISOString();

const FILE_ERRORS: Record<string, string> = {
  ENOSPC: 'the results directory is full',
  EDQUOT: 'the results directory is over its quota',
  EACCES: 'the results directory cannot be written',
  EPERM: 'the results directory cannot be written',
  EROFS: 'the results directory is read-only',
};

/** Why the results directory failed, in words without its path, for a file-system error. */
export const storageReason = (error: unknown): string | undefined => {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code && FILE_ERRORS[code] ? `${FILE_ERRORS[code]} (${code})` : undefined;
};

/**
 * The log file the engine could not read, relative to the logs directory, and what is wrong with
 * it; undefined when the error names no file of the logs directory.
 */
const unreadableLogFile = (
  error: unknown,
  logsDir: string,
): { readonly file: string; readonly fault: string } | undefined => {
  const text = error instanceof Error ? error.message : '';
  for (const [pattern, fault] of LOG_FILE_FAULTS) {
    const match = pattern.exec(text);
    if (!match?.[1]) continue;
    const file = path.relative(logsDir, match[1]);
    if (file.startsWith('..') || path.isAbsolute(file)) return undefined;
    return { file: file.split(path.sep).join('/'), fault: match[0].replace(pattern, fault) };
  }
  return undefined;
};

/**
 * What a client is told of a failure: its kind, never the engine's own text, which can hold the
 * SQL and the paths of log files; a log file that cannot be read is named by its place under the
 * logs directory, which is what the person who fixes it needs.
 */
const clientError = (error: unknown, executionId: string, logsDir: string): ExecutionError => {
  const storage = storageReason(error);
  if (storage) return { category: 'STORAGE', message: `The result could not be kept: ${storage}.` };
  const unreadable = unreadableLogFile(error, logsDir);
  if (unreadable) {
    return {
      category: 'LOG_FILE',
      message: `The log file ${unreadable.file} ${unreadable.fault}: replace it with a good copy from the trail's bucket, or move it out of the logs directory, and run the execution again.`,
    };
  }
  const kind = /^([A-Z][A-Za-z ]*Error):/.exec(error instanceof Error ? error.message : '')?.[1] ?? 'Error';
  return {
    category: 'SYSTEM',
    message: `The engine failed (${kind}); the server log has the details of execution ${executionId}.`,
  };
};

interface Outcome {
  readonly state: StoredExecution['state'];
  readonly error?: ExecutionError;
  readonly rowCount?: number;
  readonly warnings?: readonly string[];
}

const ended = (execution: StoredExecution, outcome: Outcome, startedMs: number): StoredExecution => ({
  ...execution,
  state: outcome.state,
  completedAt: now(),
  statistics: { ...execution.statistics, engineMs: Date.now() - startedMs },
  ...(outcome.rowCount === undefined ? {} : { rowCount: outcome.rowCount }),
  ...(outcome.error ? { error: outcome.error } : {}),
  ...(outcome.warnings ? { warnings: outcome.warnings } : {}),
});

const timedOut = (timeoutMs: number): ExecutionError => ({
  category: 'TIMEOUT',
  message: `The execution ran longer than ${Math.round(timeoutMs / 1000)} s (TRAILHOUND_EXECUTION_TIMEOUT_SECONDS) and was stopped; narrow the window.`,
});

/**
 * The log files a plan reads, by their key under the logs directory, in the order of their keys
 * (code units, as S3 lists them on Athena): for the evidence.
 */
const sourcesOf = (plan: ScanPlan, logsDir: string): SourceFile[] => {
  const keyOf = logKeyOf(logsDir);
  return [
    ...plan.raw.map((f) => ({ key: keyOf(f.path), bytes: f.bytes, readFrom: 'raw' as const })),
    ...plan.compacted.flatMap((u) =>
      u.replaces.map((f) => ({ key: keyOf(f.path), bytes: f.bytes, readFrom: 'compacted' as const })),
    ),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
};

const saveSources = async (context: RunContext, executionId: string, sources: readonly SourceFile[]) => {
  const target = context.store.sourcesPath(executionId);
  const temporary = context.store.temporaryPath(target);
  await context.files.writeFile(temporary, JSON.stringify(sources), { mode: OWNER_ONLY_FILE, flag: 'wx' });
  await context.files.rename(temporary, target);
};

type Verification = Awaited<ReturnType<IntegrityVerifier>> | { refused: string };

/** What the execution says of its logs' check: the verdict, and a warning unless they are intact. */
const integrityOutcome = async (verification: Promise<Verification> | undefined) => {
  const started = await verification;
  if (!started) return undefined;
  if ('refused' in started) return { warning: `The log files were not verified: ${started.refused}.` };
  const found = await started.ended;
  return {
    ...(found
      ? { statistics: { checkId: started.checkId, verdict: found.verdict, logFiles: found.summary.logFiles } }
      : {}),
    warning: integrityWarning(started.checkId, found),
  };
};

/** Runs a queued execution to its end. Never rejects. */
export const runExecution = async (
  context: RunContext,
  executionId: string,
  request: ExecutionRequest,
  active: ActiveExecution,
): Promise<void> => {
  const startedMs = Date.now();
  let running: StoredExecution | undefined;
  try {
    running = await context.store.update(executionId, (queued) =>
      queued.state === 'QUEUED' && !active.stopping
        ? {
            ...queued,
            state: 'RUNNING',
            statistics: {
              ...queued.statistics,
              bytesScanned: 0,
              engineMs: 0,
              queueMs: startedMs - Date.parse(queued.submittedAt),
            },
          }
        : undefined,
    );
  } catch (error) {
    await endFailed(context, executionId, error, startedMs, 'execution could not start');
    return;
  }
  if (running?.state !== 'RUNNING') return;

  let connection: DuckDBConnection;
  try {
    connection = await connectWithProgress(context.instance);
  } catch (error) {
    await endFailed(context, executionId, error, startedMs, 'execution could not connect');
    return;
  }
  active.connection = connection;
  const timer = setTimeout(() => void active.stop('timed-out'), context.timeoutMs);
  let statistics = running.statistics;
  let outcome: Outcome;
  // Alongside the statement: the answer waits for both.
  const verification =
    request.verifyIntegrity && context.verifyIntegrity
      ? context.verifyIntegrity(request.window).catch((error: Error) => ({ refused: error.message }))
      : undefined;
  try {
    const plan = await planScan(context.logsDir, context.storeDir, request.window);
    statistics = { ...statistics, days: plan.days };
    // The files read, as the settled plan reads them (a compacted file costlier than its raw files
    // is read raw), written while the statement runs (3 MB for a year of the bench's trail); the
    // answer waits for both.
    let saved: Promise<unknown> | undefined;
    const save = (read: ScanPlan) =>
      saveSources(context, executionId, sourcesOf(read, context.logsDir)).then(
        () => undefined,
        (error: unknown) => error,
      );
    active.checkpoint();
    const rowCount = await runStatement(
      connection,
      plan,
      request,
      {
        files: context.files,
        target: {
          csv: context.store.csvPath(executionId),
          index: context.store.indexPath(executionId),
          temporary: (target) => context.store.temporaryPath(target),
        },
      },
      {
        checkpoint: () => active.checkpoint(),
        // The bytes are counted before a row is read: what a dry run of this plan would say.
        onScanned: (bytesScanned, settled) => {
          statistics = {
            estimatedBytesScanned: bytesScanned,
            ...statistics,
            bytesScanned,
            days: settled.days,
          };
          saved = save(settled);
        },
      },
      keptPartialsOf(context),
    );
    const unsaved = await (saved ?? save(plan));
    if (unsaved) throw unsaved;
    const read = plan.days.compacted + plan.days.raw;
    const integrity = await integrityOutcome(verification);
    if (integrity?.statistics) statistics = { ...statistics, integrity: integrity.statistics };
    const warnings = [
      ...(read === 0 ? [NO_LOGS_WARNING] : []),
      ...(integrity?.warning ? [integrity.warning] : []),
    ];
    outcome = active.stopping
      ? stoppedOutcome(active, context)
      : { state: 'SUCCEEDED', rowCount, ...(warnings.length ? { warnings } : {}) };
  } catch (error) {
    if (active.stopping || error instanceof CancelledError) outcome = stoppedOutcome(active, context);
    else {
      logger.error('execution failed', { executionId, error: error as Error });
      outcome = { state: 'FAILED', error: clientError(error, executionId, context.logsDir) };
    }
  } finally {
    clearTimeout(timer);
    connection.closeSync();
  }
  await context.store
    .update(executionId, (current) => ended({ ...current, statistics }, outcome, startedMs))
    .catch((error: unknown) =>
      logger.error('execution end could not be recorded', { executionId, error: error as Error }),
    );
};

/** Records an execution FAILED by `error` before its statement ran (logged as `what`). */
const endFailed = async (
  context: RunContext,
  executionId: string,
  error: unknown,
  startedMs: number,
  what: string,
): Promise<void> => {
  logger.error(what, { executionId, error: error as Error });
  await context.store
    .update(executionId, (current) =>
      ended(current, { state: 'FAILED', error: clientError(error, executionId, context.logsDir) }, startedMs),
    )
    .catch(() => undefined);
};

const stoppedOutcome = (active: ActiveExecution, context: RunContext) =>
  active.stopReason === 'timed-out'
    ? { state: 'FAILED' as const, error: timedOut(context.timeoutMs) }
    : { state: 'CANCELLED' as const };

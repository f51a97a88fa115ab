/**
 * The engine interface: what handlers need from whatever runs the SQL, and the types it speaks.
 * The embedded DuckDB engine and the Athena engine both implement it; handlers never know which
 * one they talk to. Engines raise the errors of src/lib/errors.ts, never HTTP errors. What they
 * answer is typed from the schemas of answerSchemas.ts, which the OpenAPI document describes.
 */
import type { Statement } from '../sql/buildStatement.js';
import type { TimeWindow } from '../sql/timeWindow.js';
import {
  type Answer,
  type COLUMN_TYPES,
  EXECUTION_STATES,
  type ExecutionErrorSchema,
  type ExecutionListSchema,
  type ExecutionSchema,
  type ResultColumnSchema,
  type ResultLinkSchema,
  type ResultPageSchema,
  type ResultValueSchema,
  type ScanEstimateSchema,
} from './answerSchemas.js';

export { EXECUTION_STATES };
export type ColumnType = (typeof COLUMN_TYPES)[number];
export type ResultColumn = Answer<typeof ResultColumnSchema>;
export type ExecutionState = (typeof EXECUTION_STATES)[number];
export const isTerminal = (state: ExecutionState | string | undefined): boolean =>
  state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';

// Both engines name executions with a UUID (Athena's QueryExecutionId is one).
const EXECUTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `id` can name an execution at all; checked before any lookup or path is built from it. */
export const isExecutionId = (id: string): boolean => EXECUTION_ID.test(id);

export interface ExecutionRequest {
  /** Athena's dialect, `?` placeholders, one string per placeholder, and the header it opens with. */
  readonly statement: Statement;
  readonly columns: readonly ResultColumn[];
  /** The scope the SQL is restricted to; an engine may use it to choose which files to read. */
  readonly window: TimeWindow;
  /** Makes a retried start return the first execution instead of a second one. */
  readonly idempotencyKey?: string;
  /** Reuse a result of the same SQL and parameters no older than this (Athena result reuse). */
  readonly reuseResultsMinutes?: number;
  /** The estimate made before starting, when one was (for a budget): recorded with the execution. */
  readonly estimate?: ScanEstimate;
  /** Verify the window's log files against CloudTrail's digests before answering. */
  readonly verifyIntegrity?: boolean;
  /** The query's parameters as the request gave them: kept for the execution's evidence. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** A log file an execution read: its key under AWSLogs/, size, and whether from the store. */
export interface SourceFile {
  readonly key: string;
  readonly bytes: number;
  readonly readFrom: 'raw' | 'compacted';
}

/** What an ended execution's evidence states, as the engine that ran it knows it. */
export interface ExecutionFacts {
  readonly execution: Execution;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly scope: { readonly accounts?: readonly string[]; readonly regions?: readonly string[] };
  readonly statement: { readonly text: string; readonly parameters: readonly string[] };
  readonly sources: readonly SourceFile[];
  readonly rows: number;
  /** SHA-256 of the CSV a client downloads (GET …/csv), hex. */
  readonly csvSha256: string;
}

export type ExecutionError = Answer<typeof ExecutionErrorSchema>;

export type Execution = Answer<typeof ExecutionSchema>;

/** The warning of an execution that read no log at all: an empty answer that says why. */
export const NO_LOGS_WARNING =
  'No log file of the window was read: the logs do not reach these days, accounts or regions. Check the window, the accounts and regions asked, and where the logs are.';

export type ResultValue = Answer<typeof ResultValueSchema>;

export type ResultPage = Answer<typeof ResultPageSchema>;

export type ResultLink = Answer<typeof ResultLinkSchema>;

/** A page as its JSON text (what `JSON.stringify` gives of the ResultPage), with its row count. */
export interface ResultPageJson {
  readonly json: string;
  readonly rows: number;
}

export interface ResultLinkOptions {
  readonly expiresInSeconds: number;
  /** Scheme and host the request came to, for engines that serve the link themselves. */
  readonly requestBaseUrl?: string;
}

/** What an execution would read, known before it runs (see ScanEstimateSchema). */
export type ScanEstimate = Answer<typeof ScanEstimateSchema>;

/**
 * Who asks about an execution. On AWS an execution belongs to the principal that started it, and
 * another caller is told it does not exist, unless listed as an auditor. The local server is
 * single-user: the embedded engine answers every caller.
 */
export interface Caller {
  /** The IAM principal's ARN, or `apiKey:<id>`; absent where no identity is known (locally). */
  readonly principal?: string | undefined;
  readonly auditor: boolean;
}

/** Which executions a listing asks for: each field given must match. */
export interface ExecutionFilter {
  readonly label?: string | undefined;
  readonly query?: string | undefined;
  readonly state?: ExecutionState | undefined;
}

export type ExecutionList = Answer<typeof ExecutionListSchema>;

export interface QueryEngine {
  /** What `request` would scan, without starting anything. */
  estimate(request: ExecutionRequest): Promise<ScanEstimate>;
  start(request: ExecutionRequest): Promise<{ executionId: string }>;
  /** @throws ExecutionNotFoundError when the id is unknown to this engine, or not the caller's. */
  get(executionId: string, caller: Caller): Promise<Execution>;
  /** @throws ExecutionStateError unless the execution SUCCEEDED; PageTokenError for a foreign token. */
  getResults(
    executionId: string,
    page: { limit: number; nextToken?: string },
    caller: Caller,
  ): Promise<ResultPage>;
  /**
   * The page getResults answers, as its JSON text, on an engine that writes it without making
   * its rows first (the embedded engine, from the CSV it keeps); absent elsewhere, where the
   * route stringifies getResults' page. Same errors as getResults.
   */
  getResultsJson?(
    executionId: string,
    page: { limit: number; nextToken?: string },
    caller: Caller,
  ): Promise<ResultPageJson>;
  getResultsLink(executionId: string, options: ResultLinkOptions, caller: Caller): Promise<ResultLink>;
  /** @throws ExecutionStateError when the execution already ended. */
  cancel(executionId: string, caller: Caller): Promise<Execution>;
  /**
   * Waits until the execution ends or `ms` pass, whichever is first, on an engine that learns of
   * the end itself: true when it waited so, false when the execution is not one it is running (it
   * ended, or another process runs it). Absent where an end is only seen by asking (Athena): a
   * waiting request then looks again after a pause.
   */
  untilEnded?(executionId: string, ms: number): Promise<boolean>;
  /**
   * What an execution that SUCCEEDED asked, read and answered, for its signed evidence; absent on an
   * engine that cannot say (Athena, for now). @throws ExecutionStateError unless it SUCCEEDED.
   */
  facts?(executionId: string, caller: Caller): Promise<ExecutionFacts>;
  /**
   * Keeps an ended execution's results for the deployment's whole retention: a watch delivered
   * findings from it (the embedded engine removes a watch's other runs' results sooner). Absent
   * where results are kept by another rule (Athena's results bucket lifecycle).
   */
  retain?(executionId: string): Promise<void>;
  /** The caller's executions matching `filter`, newest first. @throws PageTokenError for a foreign token. */
  list(
    filter: ExecutionFilter,
    page: { limit: number; nextToken?: string },
    caller: Caller,
  ): Promise<ExecutionList>;
}

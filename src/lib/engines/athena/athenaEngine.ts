/**
 * The Athena engine: the same executions as the embedded engine, run by Amazon Athena over the
 * trail's bucket. The statement's values travel as ExecutionParameters made by the one SQL
 * literal function; results are paged with GetQueryResults and typed from Athena's column
 * metadata; the CSV is a presigned GET of the execution's result object.
 * Only executions of the configured workgroup are visible: any other id is a 404.
 */
import { createHash } from 'node:crypto';
import {
  type AthenaClient,
  BatchGetQueryExecutionCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListQueryExecutionsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { z } from 'zod';
import { withThrottleRetry } from '../../aws/throttleRetry.js';
import {
  EstimateUnavailableError,
  ExecutionNotFoundError,
  ExecutionStateError,
  IntegrityCheckNotFoundError,
} from '../../errors.js';
import type { CheckRecord, IntegrityChecks } from '../../integrity/integrityChecks.js';
import { integrityWarning } from '../../integrity/integrityReport.js';
import { logKeyParts } from '../../integrity/logKey.js';
import { S3TrailObjects } from '../../integrity/s3TrailObjects.js';
import { logger } from '../../logging/logger.js';
import type { EndedExecution } from '../../notify/callbackNotifier.js';
import { decodeToken, encodeToken } from '../../results/pageToken.js';
import { resultFileName } from '../../results/resultFileName.js';
import { fromResultText, toColumnType } from '../../results/resultValues.js';
import { type DayRange, readingCompactedDays, type Statement } from '../../sql/buildStatement.js';
import { toSqlLiteral } from '../../sql/sqlLiteral.js';
import { readStatementHeader, rewriteStatementHeader } from '../../sql/statementHeader.js';
import { daysBetween, resolveWindow } from '../../sql/timeWindow.js';
import { readDayIndex } from '../../store/athena/dayIndex.js';
import { coveredRange, readWatermark } from '../../store/athena/watermark.js';
import { decodeListToken, encodeListToken, matchesFilter } from '../executionListing.js';
import type {
  Caller,
  Execution,
  ExecutionFacts,
  ExecutionFilter,
  ExecutionList,
  ExecutionRequest,
  ExecutionState,
  QueryEngine,
  ResultLink,
  ResultLinkOptions,
  ResultPage,
  ScanEstimate,
} from '../queryEngine.js';
import { isExecutionId, isTerminal, NO_LOGS_WARNING } from '../queryEngine.js';
import { errorCategory, toEngineError } from './athenaErrors.js';
import { estimateScan, type LogLocation } from './partitionListing.js';
import { csvDigest, ensureSafeCsv } from './safeResultCsv.js';

interface StoreLocation {
  readonly bucket: string;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export interface AthenaEngineOptions {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  /** Where the trail writes: estimates list it. Without it no estimate can be made. */
  readonly logs?: LogLocation | undefined;
  readonly estimateMaxCalls?: number;
  readonly workGroup: string;
  readonly database: string;
  readonly catalog: string;
  /** Time budget for retrying throttled calls, in ms. */
  readonly retryBudgetMs: number;
  readonly presign?: typeof getSignedUrl;
  /**
   * The columnar copy: its bucket, and the accounts and regions executions may read (the tables
   * project), which its watermark must cover for them to read its days.
   */
  readonly store?: StoreLocation | undefined;
  /** How long a watermark read is kept, in ms (it moves once a day). */
  readonly watermarkTtlMs?: number;
  /** Checks of the window's logs for executions that ask (verifyIntegrity). */
  readonly integrity?: IntegrityChecks | undefined;
}

/** How often a callback waiting for its execution's integrity check reads the check again. */
const CHECK_POLL_MS = 5000;

/** An execution's check id made from its Idempotency-Key and statement: a retry names the same check. */
const checkIdOf = (idempotencyKey: string, sql: string): string => {
  const hex = createHash('sha256').update(`integrity-check\n${idempotencyKey}\n${sql}`).digest('hex');
  // A version-4-shaped UUID (variant bits set), as the checks' own ids are.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 17), 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Athena returns at most 1,000 rows per GetQueryResults call. */
const ATHENA_MAX_RESULTS = 1000;
/** GetQueryResults' NextToken is at most this long. */
const ATHENA_TOKEN_MAX = 1024;
const DEFAULT_ESTIMATE_MAX_CALLS = 2000;
/** Athena's most ids per ListQueryExecutions (and per BatchGetQueryExecution). */
const ATHENA_LIST_BATCH = 50;
/** Executions of the history one listing page reads at most: four calls of each. */
const MAX_SCANNED_PER_PAGE = 200;
/** Where a listing's next page starts: Athena's token for the batch (none: the newest), and how far into it. */
const AthenaListCursorSchema = z
  .object({
    t: z.string().min(1).max(1024).optional(),
    s: z
      .number()
      .int()
      .min(0)
      .max(ATHENA_LIST_BATCH - 1),
  })
  .strict();
const toExecution = (q: QueryExecution): Execution => {
  const status = q.Status ?? {};
  const stats = q.Statistics ?? {};
  const header = readStatementHeader(q.Query);
  const failed = status.State === 'FAILED';
  return {
    executionId: q.QueryExecutionId ?? '',
    query: header?.query ?? 'unknown',
    ...(header?.label ? { label: header.label } : {}),
    state: (status.State ?? 'QUEUED') as ExecutionState,
    submittedAt: (status.SubmissionDateTime ?? new Date(0)).toISOString(),
    ...(status.CompletionDateTime ? { completedAt: status.CompletionDateTime.toISOString() } : {}),
    ...(header ? { window: { from: header.from, to: header.to } } : {}),
    statistics: {
      bytesScanned: stats.DataScannedInBytes ?? 0,
      engineMs: stats.EngineExecutionTimeInMillis ?? 0,
      queueMs: stats.QueryQueueTimeInMillis ?? 0,
      ...(header?.estimate ? { estimatedBytesScanned: Number(header.estimate) } : {}),
    },
    // Partition projection answers a window with no logs with an empty scan, not an error.
    ...(status.State === 'SUCCEEDED' && (stats.DataScannedInBytes ?? 0) === 0
      ? { warnings: [NO_LOGS_WARNING] }
      : {}),
    ...(failed
      ? {
          error: {
            category: errorCategory(status.AthenaError?.ErrorCategory),
            message: status.AthenaError?.ErrorMessage ?? status.StateChangeReason ?? 'Athena did not say why',
          },
        }
      : {}),
  };
};

const parseS3Uri = (uri: string): { Bucket: string; Key: string } => {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`Not an S3 location: ${uri}`);
  return { Bucket: match[1] as string, Key: match[2] as string };
};

export class AthenaEngine implements QueryEngine {
  readonly #options: AthenaEngineOptions;
  #watermark: { range: DayRange | undefined; readAt: number } | undefined;

  constructor(options: AthenaEngineOptions) {
    this.#options = options;
  }

  /**
   * The days the columnar table holds, read where the compaction writes them and kept a minute.
   * A watermark that cannot be read costs money, not correctness: the statement reads raw logs.
   */
  async #compactedDays(): Promise<DayRange | undefined> {
    const { s3, store, watermarkTtlMs = 60_000 } = this.#options;
    if (!store) return undefined;
    if (this.#watermark && Date.now() - this.#watermark.readAt < watermarkTtlMs) return this.#watermark.range;
    let range: DayRange | undefined;
    try {
      const { watermark } = await withThrottleRetry(() => readWatermark(s3, store.bucket), {
        budgetMs: this.#options.retryBudgetMs,
      });
      range = coveredRange(watermark, store.accounts, store.regions);
    } catch (error) {
      logger.warn('the compaction watermark could not be read: reading raw logs', error as Error);
    }
    // Kept either way: a watermark that cannot be read is not asked for again at every start.
    this.#watermark = { range, readAt: Date.now() };
    return range;
  }

  /**
   * The statement as it runs: compacted days from the Parquet table, the rest raw. Not with an
   * Idempotency-Key: Athena refuses a retry whose statement differs from the first one's, and the
   * watermark may have moved in between; such executions read the raw table, same answers.
   */
  async #statementToRun(request: ExecutionRequest): Promise<{ statement: Statement; compacted?: DayRange }> {
    if (request.idempotencyKey) return { statement: request.statement };
    const compacted = await this.#compactedDays();
    const statement = compacted ? readingCompactedDays(request.statement, compacted) : request.statement;
    return statement === request.statement || !compacted ? { statement } : { statement, compacted };
  }

  async #call<T>(operation: string, call: () => Promise<T>, executionId?: string): Promise<T> {
    try {
      return await withThrottleRetry(call, { budgetMs: this.#options.retryBudgetMs });
    } catch (error) {
      throw toEngineError(error, operation, executionId);
    }
  }

  async estimate(request: ExecutionRequest): Promise<ScanEstimate> {
    const { logs, s3, estimateMaxCalls } = this.#options;
    if (!logs) {
      throw new EstimateUnavailableError(
        'This deployment does not say where its logs are (TRAILHOUND_LOG_BUCKET): no estimate can be made.',
      );
    }
    // The days an execution would read from the columnar copy are listed there (not with an
    // Idempotency-Key, whose execution reads raw only).
    const range = request.idempotencyKey ? undefined : await this.#compactedDays();
    const { store } = this.#options;
    return estimateScan(
      {
        listPage: (input) => this.#call('ListObjectsV2', () => s3.send(new ListObjectsV2Command(input))),
        dayIndex: (day) =>
          this.#call('GetObject (day index)', () => readDayIndex(s3, store?.bucket as string, day)),
      },
      logs,
      request.window,
      estimateMaxCalls ?? DEFAULT_ESTIMATE_MAX_CALLS,
      range && store ? { bucket: store.bucket, range } : undefined,
    );
  }

  /**
   * The check of an execution's logs, started before the execution so that its header names it;
   * a check that cannot start (over the bound, S3 refusing) leaves the execution unverified,
   * saying why, as the embedded engine does.
   */
  async #verification(
    request: ExecutionRequest,
    sql: string,
  ): Promise<{ integrity?: string; unverified?: string }> {
    const { integrity } = this.#options;
    if (!request.verifyIntegrity) return {};
    if (!integrity) return { unverified: 'this deployment has no integrity checks' };
    try {
      const checkId = request.idempotencyKey ? checkIdOf(request.idempotencyKey, sql) : undefined;
      return { integrity: (await integrity.start(request.window, checkId ? { checkId } : {})).checkId };
    } catch (error) {
      return { unverified: (error as Error).message };
    }
  }

  /**
   * An execution as the API shows it: Athena's view, and for one that verifies its logs, the
   * check's verdict and warning; it is RUNNING until both have ended, as on the embedded engine.
   */
  async #view(q: QueryExecution): Promise<Execution> {
    const execution = toExecution(q);
    const header = readStatementHeader(q.Query);
    const warn = (view: Execution, warning: string | undefined): Execution =>
      warning ? { ...view, warnings: [...(view.warnings ?? []), warning] } : view;
    if (header?.unverified) return warn(execution, `The log files were not verified: ${header.unverified}.`);
    if (!header?.integrity || !this.#options.integrity) return execution;
    const check = await this.#check(header.integrity);
    if (!check || check.state === 'RUNNING') {
      if (execution.state !== 'SUCCEEDED') return execution;
      const { completedAt: _, ...running } = execution;
      return { ...running, state: 'RUNNING' };
    }
    if (!isTerminal(execution.state)) return execution;
    const found =
      check.state === 'SUCCEEDED' && check.verdict
        ? { verdict: check.verdict, problems: check.problems }
        : undefined;
    const withStatistics: Execution =
      found && check.summary
        ? {
            ...execution,
            statistics: {
              ...execution.statistics,
              integrity: { checkId: check.checkId, verdict: found.verdict, logFiles: check.summary.logFiles },
            },
          }
        : execution;
    return warn(withStatistics, integrityWarning(check.checkId, found));
  }

  async #check(checkId: string): Promise<CheckRecord | undefined> {
    const { integrity } = this.#options;
    if (!integrity) return undefined;
    return this.#call('GetObject (integrity check)', () =>
      integrity.record(checkId).catch((error: unknown) => {
        if (error instanceof IntegrityCheckNotFoundError) return undefined;
        throw error;
      }),
    );
  }

  /**
   * StartQueryExecution, through #call. A check started for an execution Athena then refuses
   * (throttled, invalid: an error of the caller's side, `$fault` client) would hash the window's
   * logs for nothing: it is abandoned, unless the request has an Idempotency-Key, whose retry names
   * the same check and reads it. A failure that does not say Athena refused (no answer in time, the
   * connection lost, Athena's own error) may come after Athena started the execution, which GET
   * /v1/executions then lists: its check is left to run.
   */
  async #startQuery<T>(
    request: ExecutionRequest,
    checkId: string | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    // Refused only if every call was answered with a refusal, at its first attempt: one the SDK
    // retried (after a timeout, say) may have started an execution whatever its last answer said.
    let refused = true;
    try {
      return await this.#call('StartQueryExecution', async () => {
        try {
          return await send();
        } catch (error) {
          const e = error as { $fault?: string; $metadata?: { attempts?: number } };
          if (e.$fault !== 'client' || (e.$metadata?.attempts ?? 1) > 1) refused = false;
          throw error;
        }
      });
    } catch (error) {
      if (checkId && !request.idempotencyKey && refused) {
        await this.#options.integrity
          ?.abandon(checkId, `The execution it was started for could not start: ${(error as Error).message}`)
          .catch((failure: unknown) =>
            logger.warn('integrity check not abandoned', { checkId, error: failure as Error }),
          );
      }
      throw error;
    }
  }

  async start(request: ExecutionRequest): Promise<{ executionId: string }> {
    const { athena, workGroup, database, catalog } = this.#options;
    // Athena keeps the statement: its header carries the estimate back with every execution. Not
    // with an Idempotency-Key: Athena compares a retry's statement with the first one's, and a
    // retry's estimate may differ (more logs arrived in between).
    const estimate = request.idempotencyKey ? undefined : request.estimate;
    const { statement, compacted } = await this.#statementToRun(request);
    // What the execution's evidence states, kept with it: the scope and parameters as asked, and
    // the days read from the columnar copy.
    const described = rewriteStatementHeader(statement.sql, (header) => ({
      ...header,
      ...(compacted ? { compacted: `${compacted.from}..${compacted.through}` } : {}),
      ...(estimate ? { estimate: String(estimate.bytesScanned) } : {}),
      ...(request.window.accounts ? { accounts: request.window.accounts.join(',') } : {}),
      ...(request.window.regions ? { regions: request.window.regions.join(',') } : {}),
      ...(request.parameters ? { parameters: JSON.stringify(request.parameters) } : {}),
    }));
    const verification = await this.#verification(request, described);
    const sql = rewriteStatementHeader(described, (header) => ({ ...header, ...verification }));
    const output = await this.#startQuery(request, verification.integrity, () =>
      athena.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          ExecutionParameters: statement.parameters.map(toSqlLiteral),
          WorkGroup: workGroup,
          QueryExecutionContext: { Database: database, Catalog: catalog },
          ...(request.idempotencyKey ? { ClientRequestToken: request.idempotencyKey } : {}),
          ...(request.reuseResultsMinutes
            ? {
                ResultReuseConfiguration: {
                  ResultReuseByAgeConfiguration: {
                    Enabled: true,
                    MaxAgeInMinutes: request.reuseResultsMinutes,
                  },
                },
              }
            : {}),
        }),
      ),
    );
    if (!output.QueryExecutionId) throw new Error('Athena started an execution without an id');
    return { executionId: output.QueryExecutionId };
  }

  /**
   * The execution, if it belongs to our workgroup and to the caller (its statement header names
   * who started it), or the caller is an auditor: nobody reads another's executions or results.
   */
  async #execution(executionId: string, caller: Caller): Promise<QueryExecution> {
    if (!isExecutionId(executionId)) throw new ExecutionNotFoundError(executionId);
    const output = await this.#call(
      'GetQueryExecution',
      () => this.#options.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: executionId })),
      executionId,
    );
    const execution = output.QueryExecution;
    if (!execution || !this.#visible(execution, caller)) throw new ExecutionNotFoundError(executionId);
    return execution;
  }

  /**
   * Whether the caller may see an execution: one of trailhound's (its statement opens with our
   * header) in our workgroup, started by the caller, or any of them for an auditor. Without an
   * identity (the local server) a caller sees what was started without one.
   */
  #visible(execution: QueryExecution, caller: Caller): boolean {
    if (execution.WorkGroup !== this.#options.workGroup) return false;
    const header = readStatementHeader(execution.Query);
    return header !== undefined && (caller.auditor || header.owner === caller.principal);
  }

  /**
   * The caller's executions, newest first, read from Athena's own history of the workgroup (45
   * days): ListQueryExecutions, 50 ids a call, and BatchGetQueryExecution for the 50. A page reads
   * at most MAX_SCANNED_PER_PAGE executions of the history, so it answers in a second or so
   * however rare the matches; it may then hold fewer than asked, with a nextToken to go on.
   */
  async list(
    filter: ExecutionFilter,
    page: { limit: number; nextToken?: string },
    caller: Caller,
  ): Promise<ExecutionList> {
    const { athena, workGroup } = this.#options;
    let cursor = page.nextToken ? decodeListToken(page.nextToken, AthenaListCursorSchema) : { s: 0 };
    const found: Execution[] = [];
    let scanned = 0;
    for (;;) {
      const from = cursor;
      const listed = await this.#call('ListQueryExecutions', () =>
        athena.send(
          new ListQueryExecutionsCommand({
            WorkGroup: workGroup,
            MaxResults: ATHENA_LIST_BATCH,
            ...(from.t ? { NextToken: from.t } : {}),
          }),
        ),
      );
      const ids = listed.QueryExecutionIds ?? [];
      const batch: QueryExecution[] =
        ids.length > 0
          ? ((
              await this.#call('BatchGetQueryExecution', () =>
                athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ids })),
              )
            ).QueryExecutions ?? [])
          : [];
      const byId = new Map(batch.map((q) => [q.QueryExecutionId, q]));
      for (let i = from.s; i < ids.length; i += 1) {
        scanned += 1;
        const execution = byId.get(ids[i]);
        if (execution && this.#visible(execution, caller)) {
          const view = await this.#view(execution);
          if (matchesFilter(view, filter)) found.push(view);
        }
        if (found.length === page.limit) {
          const next =
            i + 1 < ids.length
              ? { ...(from.t ? { t: from.t } : {}), s: i + 1 }
              : listed.NextToken
                ? { t: listed.NextToken, s: 0 }
                : undefined;
          return { executions: found, ...(next ? { nextToken: encodeListToken(next) } : {}) };
        }
      }
      if (!listed.NextToken) return { executions: found };
      cursor = { t: listed.NextToken, s: 0 };
      if (scanned >= MAX_SCANNED_PER_PAGE) return { executions: found, nextToken: encodeListToken(cursor) };
    }
  }

  async get(executionId: string, caller: Caller): Promise<Execution> {
    return this.#view(await this.#execution(executionId, caller));
  }

  /**
   * The callback an ended execution asked for, read back from its statement header: what the
   * notify function delivers when Athena reports the end. None for an execution that asked for
   * none, or is not trailhound's, or not of this workgroup.
   */
  async endedCallback(
    executionId: string,
    /** Until when (ms since the epoch) to wait for the execution's integrity check to end. */
    waitUntil = 0,
  ): Promise<EndedExecution | undefined> {
    const execution = await this.#execution(executionId, { auditor: true }).catch((error: unknown) => {
      if (error instanceof ExecutionNotFoundError) return undefined;
      throw error;
    });
    const notifyUrl = readStatementHeader(execution?.Query)?.notify;
    if (!execution || !notifyUrl || !isTerminal(execution.Status?.State)) return undefined;
    let view = await this.#view(execution);
    // Athena has ended; the check of its logs may not have (it ends within its function's 15 minutes).
    while (!isTerminal(view.state) && Date.now() + CHECK_POLL_MS < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, CHECK_POLL_MS));
      view = await this.#view(execution);
    }
    if (!isTerminal(view.state)) {
      logger.warn('the integrity check of the execution did not end in time: no callback', { executionId });
      return undefined;
    }
    return { execution: view, notifyUrl };
  }

  /** The execution, and its view (its check read once), if it SUCCEEDED. @throws ExecutionStateError. */
  async #succeeded(
    executionId: string,
    caller: Caller,
  ): Promise<{ execution: QueryExecution; view: Execution }> {
    const execution = await this.#execution(executionId, caller);
    const view = await this.#view(execution);
    const { state } = view;
    if (state !== 'SUCCEEDED') {
      const reason = state === 'FAILED' ? ` (${toExecution(execution).error?.message})` : '';
      throw new ExecutionStateError(
        `Execution ${executionId} is ${state}; results exist only once it SUCCEEDED${reason}`,
        state ?? 'UNKNOWN',
      );
    }
    return { execution, view };
  }

  /** Where the spreadsheet-safe copy of an execution's result is, made on first use. */
  async #safeResult(executionId: string, execution: QueryExecution) {
    const location = execution.ResultConfiguration?.OutputLocation;
    if (!location) throw new ExecutionStateError(`Execution ${executionId} has no result file`, 'SUCCEEDED');
    return this.#call('the spreadsheet-safe copy of the result', () =>
      ensureSafeCsv(this.#options.s3, parseS3Uri(location)),
    );
  }

  async getResults(
    executionId: string,
    page: { limit: number; nextToken?: string },
    caller: Caller,
  ): Promise<ResultPage> {
    // An execution not the caller's is unknown (404) whatever the token says.
    await this.#succeeded(executionId, caller);
    // The token is ours, holding Athena's and the execution's id: a token of another execution,
    // or none of ours, is refused as such (400) before Athena is asked.
    const athenaToken =
      page.nextToken === undefined
        ? undefined
        : decodeToken(
            page.nextToken,
            z.object({ e: z.literal(executionId), a: z.string().min(1).max(ATHENA_TOKEN_MAX) }),
          ).a;
    const ask = (maxResults: number, token: string | undefined) =>
      this.#call(
        'GetQueryResults',
        () =>
          this.#options.athena.send(
            new GetQueryResultsCommand({
              QueryExecutionId: executionId,
              MaxResults: maxResults,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
          ),
        executionId,
      );
    const first = athenaToken === undefined;
    // The first page starts with the header row: one more row is asked for, so that the page holds
    // `limit` rows; past Athena's 1,000 a call, the last is asked for on its own.
    let output = await ask(Math.min(ATHENA_MAX_RESULTS, first ? page.limit + 1 : page.limit), athenaToken);
    const columns = (output.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
      name: c.Name ?? '',
      type: toColumnType(c.Type),
    }));
    const data = (output.ResultSet?.Rows ?? []).slice(first ? 1 : 0);
    if (first && page.limit + 1 > ATHENA_MAX_RESULTS && output.NextToken) {
      output = await ask(page.limit - data.length, output.NextToken);
      data.push(...(output.ResultSet?.Rows ?? []));
    }
    const rows = data.map((row) =>
      Object.fromEntries(
        columns.map((c, i) => [c.name, fromResultText(row.Data?.[i]?.VarCharValue, c.type)]),
      ),
    );
    return {
      columns,
      rows,
      ...(output.NextToken ? { nextToken: encodeToken({ e: executionId, a: output.NextToken }) } : {}),
    };
  }

  async getResultsLink(executionId: string, options: ResultLinkOptions, caller: Caller): Promise<ResultLink> {
    const { execution } = await this.#succeeded(executionId, caller);
    const safe = await this.#safeResult(executionId, execution);
    const presign = this.#options.presign ?? getSignedUrl;
    const url = await this.#call('the presigned result link', () =>
      presign(
        this.#options.s3,
        new GetObjectCommand({
          ...safe,
          ResponseContentType: 'text/csv; charset=utf-8',
          ResponseContentDisposition: `attachment; filename="${resultFileName(toExecution(execution))}"`,
        }),
        { expiresIn: options.expiresInSeconds },
      ),
    );
    return { url, expiresAt: new Date(Date.now() + options.expiresInSeconds * 1000).toISOString() };
  }

  /**
   * What an execution that SUCCEEDED asked, read and answered, for its evidence: the query, scope
   * and parameters its statement header kept, the statement as Athena ran it and its parameters,
   * the log files of its window as the trail's bucket lists them (those delivered by the time it
   * ended: what it could read; a day read from the columnar copy marked so, listed by the raw
   * files it was built from), and the rows and SHA-256 of the CSV a client downloads (the
   * spreadsheet-safe copy, streamed).
   */
  async facts(executionId: string, caller: Caller): Promise<ExecutionFacts> {
    const { logs, s3 } = this.#options;
    const { execution, view } = await this.#succeeded(executionId, caller);
    const header = readStatementHeader(execution.Query);
    const list = (text: string | undefined) => (text ? text.split(',').filter(Boolean) : undefined);
    const accounts = list(header?.accounts);
    const regions = list(header?.regions);
    const [compactedFrom, compactedThrough] = header?.compacted?.split('..') ?? [];
    const resolved = header
      ? resolveWindow({ from: header.from, to: header.to }, Number.MAX_SAFE_INTEGER)
      : undefined;
    const endedMs = execution.Status?.CompletionDateTime?.getTime() ?? Date.now();
    const sources =
      logs && resolved && 'window' in resolved
        ? (
            await this.#call('ListObjectsV2 (the log files read)', () =>
              new S3TrailObjects(s3, logs).listLogFiles({
                days: daysBetween(resolved.window.firstDay, resolved.window.lastDay),
                accounts,
                regions,
              }),
            )
          )
            .filter((f) => f.modifiedMs === undefined || f.modifiedMs <= endedMs)
            .map((f) => {
              const day = logKeyParts(f.key)?.day ?? '';
              const compacted =
                compactedFrom && compactedThrough && day >= compactedFrom && day <= compactedThrough;
              return {
                key: f.key,
                bytes: f.bytes,
                readFrom: compacted ? ('compacted' as const) : ('raw' as const),
              };
            })
        : [];
    const safe = await this.#safeResult(executionId, execution);
    const { sha256, records } = await this.#call('the result CSV', async () => {
      const body = (await s3.send(new GetObjectCommand(safe))).Body;
      return csvDigest(body as AsyncIterable<Uint8Array>);
    });
    let parameters: Record<string, unknown> = {};
    try {
      parameters = header?.parameters ? (JSON.parse(header.parameters) as Record<string, unknown>) : {};
    } catch {
      parameters = {};
    }
    return {
      execution: view,
      parameters,
      scope: { ...(accounts ? { accounts } : {}), ...(regions ? { regions } : {}) },
      statement: { text: execution.Query ?? '', parameters: execution.ExecutionParameters ?? [] },
      sources,
      // The header row is not a result row.
      rows: Math.max(0, records - 1),
      csvSha256: sha256,
    };
  }

  async cancel(executionId: string, caller: Caller): Promise<Execution> {
    const execution = await this.#execution(executionId, caller);
    const state = execution.Status?.State;
    if (isTerminal(state)) {
      throw new ExecutionStateError(`Execution ${executionId} already ended as ${state}`, state ?? 'UNKNOWN');
    }
    await this.#call(
      'StopQueryExecution',
      () => this.#options.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: executionId })),
      executionId,
    );
    return this.get(executionId, caller);
  }
}

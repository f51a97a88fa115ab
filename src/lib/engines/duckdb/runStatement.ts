/**
 * One statement on the embedded engine: the `cloudtrail_logs` view over the planned files (raw
 * JSON and compacted Parquet), the Trino SQL in DuckDB's spelling with every value bound as a
 * string, the result streamed to CSV.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { logger } from '../../logging/logger.js';
import { CLOUDTRAIL_FIELDS, columnName } from '../../schema/cloudtrailTable.js';
import { BAND_MET } from '../../sql/buildStatement.js';
import { createCloudTrailViews, objectBufferBytes } from '../../store/duckdb/cloudtrailRelation.js';
import { bytesOfColumns, parquetColumnsRead } from '../../store/duckdb/columnsRead.js';
import { readJsonSizes } from '../../store/duckdb/logFiles.js';
import { type ScanPlan, withoutCostlierUnits } from '../../store/duckdb/scanPlan.js';
import type { ExecutionRequest } from '../queryEngine.js';
import { csvLinesSql, knownColumnTypes, rememberColumnTypes } from './csvLines.js';
import {
  defineKeptPartials,
  makePartials,
  readsKeptPartials,
  reducedMonths,
  settlePartials,
} from './keptPartials.js';
import { applySettings, engineStatement } from './matchedEvents.js';
import { type ResultFiles, writeResultCsv } from './resultCsvWriter.js';
import type { ResultFileSystem } from './resultFileSystem.js';

/** The columns of a compacted file: the table's, and the day each row was delivered under. */
const COLUMN_NAMES = [...CLOUDTRAIL_FIELDS.map(columnName), 'day'];

/**
 * The plan the statement runs on, and what it reads there: every raw file whole, and the columns
 * it needs of each compacted file. Which columns those are, DuckDB's plan of the statement over
 * the store says; a unit whose columns cost more than the raw files of its days is read raw
 * (scanPlan.ts). Leaves `cloudtrail_logs` defined over the settled plan.
 */
export const settlePlan = async (
  connection: DuckDBConnection,
  candidate: ScanPlan,
  sql: string,
  parameters: readonly string[],
  options: { forPlanning?: boolean } = {},
): Promise<{ plan: ScanPlan; bytesScanned: number }> => {
  let plan = candidate;
  let columns = new Set<string>();
  if (candidate.compacted.length > 0) {
    const relation = await defineRelation(connection, { ...candidate, raw: [] }, { forPlanning: true });
    columns = await parquetColumnsRead(connection, sql, parameters, COLUMN_NAMES, relation);
    plan = withoutCostlierUnits(candidate, columns);
  }
  // Planned over the store alone with no day moved to raw files: that relation is the one to run.
  if (plan !== candidate || candidate.raw.length > 0 || candidate.compacted.length === 0) {
    await defineRelation(connection, plan, options);
  }
  const raw = plan.raw.reduce((sum, f) => sum + f.bytes, 0);
  return {
    plan,
    bytesScanned: plan.compacted.reduce((sum, file) => sum + bytesOfColumns(file.unit, columns), raw),
  };
};

/**
 * Defines `cloudtrail_logs` on the connection over the plan's files. `forPlanning` skips sizing the
 * JSON reader's buffer from each raw file (a read of every file's gzip trailer): a statement that
 * is only planned, never run, reads no JSON. @returns the SQL of the views it defined.
 */
const defineRelation = async (
  connection: DuckDBConnection,
  plan: ScanPlan,
  options: { forPlanning?: boolean } = {},
): Promise<string> => {
  const objectBytes = objectBufferBytes(plan.raw, options.forPlanning ? [] : await readJsonSizes(plan.raw));
  const views = createCloudTrailViews({
    json: { paths: plan.raw.map((f) => f.path), objectBytes },
    parquet: { days: plan.range, files: plan.compacted },
  });
  for (const view of views) await connection.run(view);
  return views.join(';\n');
};

/**
 * The statement prepared to give its rows as CSV lines (csvLines.ts) when its columns allow, or
 * as it is. Its columns' types are known from having prepared it before (the same text with the
 * same settings binds the same types: every value is bound as text); the first time, it is
 * prepared as it is to learn them, then again wrapped.
 */
const prepareLines = async (
  connection: DuckDBConnection,
  sql: string,
  settings: readonly { readonly sql: string }[],
): Promise<{ prepared: DuckDBPreparedStatement; lines: boolean }> => {
  const key = createHash('sha256')
    .update(JSON.stringify([sql, settings.map((s) => s.sql)]))
    .digest('hex');
  let types = knownColumnTypes(key);
  if (!types) {
    const plain = await connection.prepare(sql);
    types = Array.from({ length: plain.columnCount }, (_, i) => plain.columnTypeId(i));
    rememberColumnTypes(key, types);
    const lines = csvLinesSql(sql, types);
    if (!lines) return { prepared: plain, lines: false };
    plain.destroySync();
    return { prepared: await connection.prepare(lines), lines: true };
  }
  const lines = csvLinesSql(sql, types);
  return { prepared: await connection.prepare(lines ?? sql), lines: lines !== undefined };
};

interface RunOutput {
  readonly files: ResultFileSystem;
  readonly target: ResultFiles;
}

interface RunHooks {
  readonly checkpoint: () => void;
  readonly onScanned: (bytes: number, settled: ScanPlan) => void;
}

/**
 * The statement, its values bound, its rows written to the result files: as lines when its rows
 * are the answer's CSV lines already (`gives: 'lines'`). @returns their number.
 */
const writeRows = async (
  connection: DuckDBConnection,
  statement: {
    readonly sql: string;
    readonly parameters: readonly string[];
    readonly settings: readonly { readonly sql: string }[];
  },
  request: ExecutionRequest,
  output: RunOutput,
  checkpoint: () => void,
  gives: 'rows' | 'lines' = 'rows',
): Promise<number> => {
  const prepared =
    gives === 'lines'
      ? { prepared: await connection.prepare(statement.sql), lines: true }
      : await prepareLines(connection, statement.sql, statement.settings);
  statement.parameters.forEach((value, i) => {
    prepared.prepared.bindVarchar(i + 1, value);
  });
  checkpoint();
  return writeResultCsv(
    output.files,
    output.target,
    request.columns,
    await prepared.prepared.stream(),
    checkpoint,
    {
      lines: prepared.lines,
    },
  );
};

/**
 * The partials a request is answered from, and what that reads, with `kept` (the store's
 * directory): a query with partials over a window from midnight to midnight that reads some
 * compacted file, unless making the missing partials would read more than the raw files
 * (keptPartials.ts). Leaves the connection as settlePartials does.
 */
export const partialsAnswer = async (
  connection: DuckDBConnection,
  request: ExecutionRequest,
  plan: ScanPlan,
  kept: { readonly storeDir: string } | undefined,
) => {
  const { partials } = request.statement;
  if (!kept || !partials || plan.compacted.length === 0 || !readsKeptPartials(request.window))
    return undefined;
  const settled = await settlePartials(connection, plan, partials.making, kept.storeDir, COLUMN_NAMES);
  return settled.costlier ? undefined : { partials, settled };
};

/**
 * Runs the request over the plan. `onScanned` hears the bytes scanned and the settled plan (what
 * is read, each file compacted or raw), before the rows are read; `checkpoint` may throw to stop.
 * With `kept` (the store's directory), a query with partials over a window from midnight to
 * midnight is answered from the partials kept for its compacted files (made first where they are
 * not, unless that reads more than the raw files) and those of its raw days (keptPartials.ts).
 * @returns the number of result rows written to the result files.
 */
export const runStatement = async (
  connection: DuckDBConnection,
  plan: ScanPlan,
  request: ExecutionRequest,
  output: RunOutput,
  hooks: RunHooks,
  kept?: { readonly storeDir: string },
): Promise<number> => {
  const fromPartials = await partialsAnswer(connection, request, plan, kept);
  if (fromPartials) return runFromPartials(connection, plan, request, output, hooks, fromPartials);
  const statement = engineStatement(request.statement);
  await applySettings(connection, statement.settings);
  const settled = await settlePlan(connection, plan, statement.sql, statement.parameters);
  hooks.checkpoint();
  hooks.onScanned(settled.bytesScanned, settled.plan);
  return writeRows(connection, statement, request, output, hooks.checkpoint);
};

/**
 * The request answered from kept partials: those of each compacted file, made for every file
 * that has none yet (the bytes of the columns that reads count as scanned), and those of the raw
 * files, made in the answering statement itself (read whole, as raw files always are).
 */
const runFromPartials = async (
  connection: DuckDBConnection,
  plan: ScanPlan,
  request: ExecutionRequest,
  output: RunOutput,
  hooks: RunHooks,
  { partials, settled }: NonNullable<Awaited<ReturnType<typeof partialsAnswer>>>,
): Promise<number> => {
  hooks.checkpoint();
  hooks.onScanned(settled.bytesScanned, plan);
  if (settled.missing.length > 0) {
    const started = performance.now();
    const keptBytes = await makePartials(connection, partials.making, settled, hooks.checkpoint);
    logger.info('partials made', {
      files: settled.missing.length,
      keptBytes,
      ms: Math.round(performance.now() - started),
    });
  }
  await defineRelation(connection, { ...plan, compacted: [] });
  const { reduced } = partials;
  const months = reduced
    ? await reducedMonths(connection, reduced.reducing, settled.kept, plan, request.window, hooks.checkpoint)
    : [];
  const answer = async (fromReduced: boolean) => {
    await defineKeptPartials(connection, settled.kept, plan.compacted, fromReduced ? months : []);
    const reads = { rawDays: plan.raw.length > 0 };
    const statement = engineStatement(
      fromReduced && reduced ? reduced.combining(reads) : partials.combining(reads),
    );
    await applySettings(connection, statement.settings);
    return writeRows(connection, statement, request, output, hooks.checkpoint, 'lines');
  };
  if (months.length === 0) return answer(false);
  try {
    return await answer(true);
  } catch (error) {
    if (!String((error as Error).message).includes(BAND_MET)) throw error;
    // A row of another month, or of a raw day, within a band (an event delivered days late):
    // the reduced months might miss a burst it joins, so their files' partials are read whole.
    logger.info('partials read whole: a row meets a reduced month', { months: months.length });
    return answer(false);
  }
};

/**
 * One statement on the embedded engine: the `cloudtrail_logs` view over the planned files (raw
 * JSON and compacted Parquet), the Trino SQL in DuckDB's spelling with every value bound as a
 * string, the result streamed to CSV.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_FIELDS, columnName } from '../../schema/cloudtrailTable.js';
import type { ExecutionRequest } from '../queryEngine.js';
import { createCloudTrailView, objectBufferBytes } from './cloudtrailRelation.js';
import { readJsonSizes } from './logFiles.js';
import { type ResultFiles, writeResultCsv } from './resultCsvWriter.js';
import type { ResultFileSystem } from './resultFileSystem.js';
import { bytesOfColumns, parquetColumnsRead } from './store/columnsRead.js';
import type { ScanPlan } from './store/scanPlan.js';
import { toDuckDbDialect } from './trinoCompat.js';

/** The columns of a compacted file: the table's, and the day each row was delivered under. */
const COLUMN_NAMES = [...CLOUDTRAIL_FIELDS.map(columnName), 'day'];

/** What the statement reads: every raw file whole, and the columns it needs of each compacted file. */
export const scannedBytes = async (
  connection: DuckDBConnection,
  plan: ScanPlan,
  sql: string,
  parameters: readonly string[],
): Promise<number> => {
  const raw = plan.raw.reduce((sum, f) => sum + f.bytes, 0);
  if (plan.compacted.length === 0) return raw;
  const columns = await parquetColumnsRead(connection, sql, parameters, COLUMN_NAMES);
  return plan.compacted.reduce((sum, file) => sum + bytesOfColumns(file.unit, columns), raw);
};

/**
 * Defines `cloudtrail_logs` on the connection over the plan's files. `forPlanning` skips sizing the
 * JSON reader's buffer from each raw file (a read of every file's gzip trailer): a statement that
 * is only planned, never run, reads no JSON.
 */
export const defineRelation = async (
  connection: DuckDBConnection,
  plan: ScanPlan,
  options: { forPlanning?: boolean } = {},
): Promise<void> => {
  const objectBytes = objectBufferBytes(plan.raw, options.forPlanning ? [] : await readJsonSizes(plan.raw));
  await connection.run(
    createCloudTrailView({
      json: { paths: plan.raw.map((f) => f.path), objectBytes },
      parquet: { days: plan.range, files: plan.compacted },
    }),
  );
};

/**
 * Runs the request over the plan. `onScanned` hears the bytes scanned before the rows are read;
 * `checkpoint` may throw to stop. @returns the number of result rows written to the result files.
 */
export const runStatement = async (
  connection: DuckDBConnection,
  plan: ScanPlan,
  request: ExecutionRequest,
  output: { files: ResultFileSystem; target: ResultFiles },
  hooks: { checkpoint: () => void; onScanned: (bytes: number) => void },
): Promise<number> => {
  await defineRelation(connection, plan);
  hooks.checkpoint();
  const sql = toDuckDbDialect(request.statement.sql);
  hooks.onScanned(await scannedBytes(connection, plan, sql, request.statement.parameters));
  const prepared = await connection.prepare(sql);
  request.statement.parameters.forEach((value, i) => {
    prepared.bindVarchar(i + 1, value);
  });
  hooks.checkpoint();
  return writeResultCsv(
    output.files,
    output.target,
    request.columns,
    await prepared.stream(),
    hooks.checkpoint,
  );
};

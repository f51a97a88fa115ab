/**
 * One statement on the embedded engine: the `cloudtrail_logs` view over the chosen files, the
 * Trino SQL in DuckDB's spelling with every value bound as a string, the result streamed to CSV.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExecutionRequest } from '../queryEngine.js';
import { createCloudTrailView } from './cloudtrailRelation.js';
import type { LogFile } from './logFiles.js';
import { writeResultCsv } from './resultCsvWriter.js';
import { toDuckDbDialect } from './trinoCompat.js';

/** @returns the number of result rows written to `csvPath`. `checkpoint` may throw to stop. */
export const runStatement = async (
  connection: DuckDBConnection,
  files: readonly LogFile[],
  request: ExecutionRequest,
  csvPath: string,
  checkpoint: () => void,
): Promise<number> => {
  await connection.run(createCloudTrailView(files));
  checkpoint();
  const prepared = await connection.prepare(toDuckDbDialect(request.statement.sql));
  request.statement.parameters.forEach((value, i) => {
    prepared.bindVarchar(i + 1, value);
  });
  checkpoint();
  return writeResultCsv(csvPath, request.columns, await prepared.stream(), checkpoint);
};

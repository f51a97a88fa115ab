/**
 * Writes a DuckDB result stream to CSV as Athena writes results (see csvFormat), chunk by chunk,
 * into a temporary file renamed into place only when complete.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { DuckDBResult } from '@duckdb/node-api';
import { toCsvLine } from '../../results/csvFormat.js';
import type { ResultColumn } from '../queryEngine.js';

/** @returns the number of rows written. `checkpoint` may throw to stop between chunks. */
export const writeResultCsv = async (
  target: string,
  columns: readonly ResultColumn[],
  result: DuckDBResult,
  checkpoint: () => void,
): Promise<number> => {
  const out = createWriteStream(`${target}.tmp`);
  try {
    out.write(toCsvLine(columns.map((c) => c.name)));
    let rows = 0;
    for (
      let chunk = await result.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await result.fetchChunk()
    ) {
      checkpoint();
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
};

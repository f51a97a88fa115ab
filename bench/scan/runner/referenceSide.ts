/**
 * The reference a user would write by hand: DuckDB, in this process, asked `SELECT *` with the
 * question's filter over the store the bench compacted (bench/scan/reference/<query>.sql, values
 * bound as named parameters). No manifest, no store check, no HTTP, no result file: the time
 * is that of the statement alone, from the call to the last row in memory. The bar the engine's
 * full request is held to.
 *
 * Its rows are whole events, not the question's columns, so its check is that it returns every
 * event the planted answer names (by eventid), and how many rows it returned.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ExpectedAnswer } from '../generator/plantedAnswers.js';
import { namedArgs, type QuestionSide, type Window } from './sides.js';

export const REFERENCE = 'duckdb-by-hand';

const REFERENCE_DIR = path.join(import.meta.dirname, '..', 'reference');

/** The hand-written statement of a question, and the names of the values it takes. */
export const referenceSql = (query: string): { sql: string; names: string[] } => {
  const sql = readFileSync(path.join(REFERENCE_DIR, `${query}.sql`), 'utf8');
  return { sql, names: [...new Set([...sql.matchAll(/\$([A-Za-z]\w*)/g)].map((m) => m[1] as string))] };
};

export const referenceSide = (storeDir: string, window: Window): QuestionSide => {
  let connection: DuckDBConnection | undefined;
  return {
    name: REFERENCE,
    start: async () => {
      const instance = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
      connection = await instance.connect();
      const glob = path.join(storeDir, 'AWSLogs', '**', '*.parquet').replaceAll("'", "''");
      await connection.run(`CREATE VIEW store AS SELECT * FROM read_parquet('${glob}')`);
    },
    stop: async () => connection?.closeSync(),
    peakRssKb: () => undefined,
    ask: async (question: ExpectedAnswer) => {
      if (!connection) throw new Error(`${REFERENCE}: not started`);
      const { sql, names } = referenceSql(question.query);
      const values = namedArgs(question, window);
      const started = performance.now();
      const prepared = await connection.prepare(sql);
      prepared.bind(Object.fromEntries(names.map((name) => [name, values[name] ?? null])));
      const reader = await prepared.runAndReadAll();
      const ms = performance.now() - started;
      const eventIds = reader.getRowObjects().map((row) => String(row.eventid));
      return { ms, rows: [], ordered: false, eventIds };
    },
  };
};

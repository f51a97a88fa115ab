/**
 * The bytes a statement reads from compacted files: Parquet is read column by column, so what a
 * scan costs is the compressed size of the column chunks it reads, as Athena counts Parquet.
 * Which columns those are, DuckDB's own plan says (EXPLAIN: the projections and filters of each
 * Parquet scan); each unit's manifest entry holds the size of every leaf column.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RecentMap } from '../../recentMap.js';
import type { StoreUnit } from './monthManifest.js';

interface PlanNode {
  readonly name?: string;
  readonly extra_info?: { readonly Projections?: string[] | string; readonly Filters?: string[] | string };
  readonly children?: readonly PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.children ?? []).flatMap(nodes)];
const asList = (v: string[] | string | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Columns read, by a digest of all that decides them: the statement, its values, the variables set
 * on the connection (a setting may fold a condition away) and the relation it is planned over
 * (its views' SQL). A year's `principal-activity` spent 16 to 19 ms of its 34 to 44 ms of settling
 * in the EXPLAIN; asked again, it needs none.
 */
const remembered = new RecentMap<string, ReadonlySet<string>>(256);

/**
 * Column paths (`eventtime`, `useridentity.userName`) that the plan's Parquet scans read, for the
 * statement over `relation` (the SQL that defined the views it reads).
 */
export const parquetColumnsRead = async (
  connection: DuckDBConnection,
  sql: string,
  parameters: readonly string[],
  columns: readonly string[],
  relation: string,
): Promise<Set<string>> => {
  const variables = (
    await connection.runAndReadAll(
      'SELECT name, CAST(value AS VARCHAR) FROM duckdb_variables() ORDER BY name',
    )
  ).getRows();
  const key = createHash('sha256')
    .update(JSON.stringify([sql, parameters, columns, relation, variables]))
    .digest('hex');
  const known = remembered.get(key);
  if (known) return new Set(known);
  const read = await explainColumnsRead(connection, sql, parameters, columns);
  remembered.set(key, read);
  return new Set(read);
};

const explainColumnsRead = async (
  connection: DuckDBConnection,
  sql: string,
  parameters: readonly string[],
  columns: readonly string[],
): Promise<Set<string>> => {
  const explain = await connection.prepare(`EXPLAIN (FORMAT json) ${sql}`);
  parameters.forEach((value, i) => {
    explain.bindVarchar(i + 1, value);
  });
  const reader = await explain.runAndReadAll();
  const plan = JSON.parse(String(reader.getRows()[0]?.[1] ?? '[]')) as PlanNode[];
  const read = new Set<string>();
  for (const node of plan.flatMap(nodes)) {
    if (node.extra_info === undefined || !/PARQUET/i.test(node.name ?? '')) continue;
    for (const projection of asList(node.extra_info.Projections)) read.add(projection);
    // A column used only by a pushed-down filter is read too, though not projected.
    const filters = asList(node.extra_info.Filters).join(' ');
    for (const column of columns) if (new RegExp(`\\b${column}\\b`, 'i').test(filters)) read.add(column);
  }
  // Where a row is, not what it holds: no column chunk of the file.
  read.delete('filename');
  read.delete('file_row_number');
  return read;
};

/** Bytes of the leaf columns under `paths` in one compacted file. */
export const bytesOfColumns = (manifest: StoreUnit, paths: ReadonlySet<string>): number =>
  Object.entries(manifest.columnBytes)
    .filter(([leaf]) => [...paths].some((p) => leaf === p || leaf.startsWith(`${p}.`)))
    .reduce((sum, [, bytes]) => sum + bytes, 0);

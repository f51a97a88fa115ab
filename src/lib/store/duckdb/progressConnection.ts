/**
 * A connection whose running statement reports how far it is (`connection.progress`): DuckDB
 * tracks progress only for a connection that asks for its progress bar, and then prints it
 * unless told not to. The setting is the connection's own; it cannot be set for the instance.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export const connectWithProgress = async (instance: DuckDBInstance): Promise<DuckDBConnection> => {
  const connection = await instance.connect();
  await connection.run('SET enable_progress_bar = true');
  await connection.run('SET enable_progress_bar_print = false');
  return connection;
};

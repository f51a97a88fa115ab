/**
 * What a named query is: its documentation, the zod schema of its parameters, one SQL template in
 * Athena's dialect (Trino) and the columns it returns.
 *
 * The statement builder puts `WITH events AS (<the window's rows of cloudtrail_logs>)` in front of
 * the template, which reads `events`. A template with parameters starts with a CTE `params` that
 * selects each `?` once, in the order `bind` returns the values, so the rest of the template
 * refers to `params.x` by name. Every value is a string; an absent optional value is bound as ''
 * and the template treats '' as "no filter". No value ever enters the SQL text.
 */
import type { z } from 'zod';

export const COLUMN_TYPES = ['varchar', 'integer', 'bigint', 'double', 'boolean'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ResultColumn {
  readonly name: string;
  readonly type: ColumnType;
}

export interface QueryExample {
  readonly parameters: Record<string, unknown>;
  readonly from: string;
  readonly to: string;
  /** What the example answers on the bundled sample logs. */
  readonly answers: string;
}

export interface QueryDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly parameters: Schema;
  readonly sql: string;
  readonly bind: (parameters: z.infer<Schema>) => readonly string[];
  readonly columns: readonly ResultColumn[];
  readonly example: QueryExample;
}

/** Keeps each module's schema type tied to its bind function while the catalog holds them all. */
export const defineQuery = <Schema extends z.ZodType>(definition: QueryDefinition<Schema>): QueryDefinition =>
  definition as unknown as QueryDefinition;

/**
 * What an engine answers, written once as zod schemas: the engine interface's types are inferred
 * from them (queryEngine.ts), and the OpenAPI document describes the API's answers from them
 * (src/openapi/responseSchemas.ts), so the two cannot drift apart.
 */
import { z } from 'zod';

export const COLUMN_TYPES = ['varchar', 'integer', 'bigint', 'double', 'boolean'] as const;
export const EXECUTION_STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

export const Instant = z.string().describe('ISO 8601, UTC');

export const ResultColumnSchema = z.object({ name: z.string(), type: z.enum(COLUMN_TYPES) }).strict();

export const ResultValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ResultPageSchema = z
  .object({
    columns: z.array(ResultColumnSchema),
    rows: z.array(z.record(z.string(), ResultValueSchema)),
    nextToken: z.string().optional().describe('pass back unchanged for the next page'),
  })
  .strict();

/** Days of one account and region a scan reads compacted (columnar) and raw. */
const DaysSchema = z.object({ compacted: z.number().int(), raw: z.number().int() }).strict();

export const ExecutionErrorSchema = z
  .object({
    /** Short machine-readable category, e.g. USER, SYSTEM, INTERRUPTED. */
    category: z.string(),
    message: z.string(),
  })
  .strict();

export const ExecutionSchema = z
  .object({
    executionId: z.string(),
    query: z.string(),
    /** The case it belongs to, as the request named it. */
    label: z.string().optional(),
    state: z.enum(EXECUTION_STATES),
    submittedAt: Instant,
    completedAt: Instant.optional(),
    window: z.object({ from: Instant, to: Instant }).strict().optional(),
    statistics: z
      .object({
        bytesScanned: z.number().int(),
        /** What the execution was estimated to scan before it started (see ScanEstimateSchema). */
        estimatedBytesScanned: z.number().int().optional(),
        engineMs: z.number().int(),
        queueMs: z.number().int().optional(),
        /** Rough share of the work done while RUNNING, 0 to 100, when the engine can tell. */
        progressPercent: z.number().int().min(0).max(100).optional(),
        days: DaysSchema.optional(),
        /** With verifyIntegrity: the verdict on the log files of the window, and its check. */
        integrity: z
          .object({
            checkId: z.string(),
            verdict: z.enum(['intact', 'tampered', 'unverifiable']),
            logFiles: z
              .object({
                valid: z.number().int(),
                invalid: z.number().int(),
                missing: z.number().int(),
                undigested: z.number().int(),
              })
              .strict(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    error: ExecutionErrorSchema.optional(),
    /** What a client should know of an answer that is not wrong but may surprise (no data read). */
    warnings: z.array(z.string()).optional(),
    /** Its result files were removed after the retention (locally): its results answer 410. */
    expired: z.literal(true).optional(),
  })
  .strict();

export const ExecutionListSchema = z
  .object({
    /** Newest first. A page may hold fewer than asked and still have a nextToken. */
    executions: z.array(ExecutionSchema),
    nextToken: z.string().optional(),
  })
  .strict();

export const ResultLinkSchema = z.object({ url: z.url(), expiresAt: Instant }).strict();

/**
 * What an execution would read, known before it runs: the compressed size of every file it would
 * open (raw log files whole; for compacted files, the columns it reads), an upper bound of what
 * Athena bills, since Athena may read less of a file than all of it.
 */
export const ScanEstimateSchema = z
  .object({ bytesScanned: z.number().int(), files: z.number().int(), days: DaysSchema })
  .strict();

/** A schema's type as engines hand it around: read-only all the way down. */
export type Answer<S extends z.ZodType> = DeepReadonly<z.infer<S>>;
type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

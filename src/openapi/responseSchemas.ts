/**
 * The shapes of the API's answers, as zod schemas: the OpenAPI document describes them from here,
 * the compile-time checks at the end tie them to the engine's types, and the contract tests check
 * real answers against the document.
 */
import { z } from 'zod';
import { SEVERITIES } from '../detections/detection.js';
import type { Execution, ExecutionList, ResultPage, ScanEstimate } from '../lib/engines/queryEngine.js';
import { EXECUTION_STATES } from '../lib/engines/queryEngine.js';

const Instant = z.string().describe('ISO 8601, UTC');

const ResultColumnSchema = z
  .object({ name: z.string(), type: z.enum(['varchar', 'integer', 'bigint', 'double', 'boolean']) })
  .strict();

const ResultPageSchema = z
  .object({
    columns: z.array(ResultColumnSchema),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
    nextToken: z.string().optional().describe('pass back unchanged for the next page'),
  })
  .strict();

const ExecutionSchema = z
  .object({
    executionId: z.string(),
    query: z.string(),
    label: z.string().optional(),
    state: z.enum(EXECUTION_STATES),
    submittedAt: Instant,
    completedAt: Instant.optional(),
    window: z.object({ from: Instant, to: Instant }).strict().optional(),
    statistics: z
      .object({
        bytesScanned: z.number().int(),
        estimatedBytesScanned: z.number().int().optional(),
        engineMs: z.number().int(),
        queueMs: z.number().int().optional(),
        progressPercent: z.number().int().min(0).max(100).optional(),
        days: z.object({ compacted: z.number().int(), raw: z.number().int() }).strict().optional(),
      })
      .strict(),
    error: z.object({ category: z.string(), message: z.string() }).strict().optional(),
    warnings: z.array(z.string()).optional(),
  })
  .strict();

/** A start that waited for the end: the execution, and its first page when it SUCCEEDED. */
const FinishedStartSchema = ExecutionSchema.extend({ results: ResultPageSchema.optional() }).strict();

const AcceptedStartSchema = z
  .object({ executionId: z.string(), state: z.enum(EXECUTION_STATES), label: z.string().optional() })
  .strict();

const EstimateSchema = z
  .object({
    bytesScanned: z.number().int(),
    files: z.number().int(),
    days: z.object({ compacted: z.number().int(), raw: z.number().int() }).strict(),
    costUsd: z.number(),
  })
  .strict();

const DryRunSchema = z
  .object({
    dryRun: z.literal(true),
    query: z.string(),
    label: z.string().optional(),
    window: z.object({ from: Instant, to: Instant }).strict(),
    estimate: EstimateSchema,
    maxBytesScanned: z.number().int().optional(),
    scanCutoffBytes: z.number().int().optional(),
    wouldStart: z.boolean(),
  })
  .strict();

const ExecutionListSchema = z
  .object({ executions: z.array(ExecutionSchema), nextToken: z.string().optional() })
  .strict();

const ResultLinkSchema = z.object({ url: z.url(), expiresAt: Instant }).strict();

const HealthSchema = z.object({ status: z.literal('ok'), engine: z.enum(['duckdb', 'athena']) }).strict();

const QueryCatalogSchema = z
  .object({
    queries: z.array(
      z
        .object({
          name: z.string(),
          title: z.string(),
          description: z.string(),
          parameters: z.record(z.string(), z.unknown()).describe("the JSON Schema of the query's parameters"),
          columns: z.array(ResultColumnSchema),
          example: z.object({ request: z.record(z.string(), z.unknown()), answers: z.string() }).strict(),
        })
        .strict(),
    ),
  })
  .strict();

const DetectionCatalogSchema = z
  .object({
    detections: z.array(
      z
        .object({
          name: z.string(),
          title: z.string(),
          severity: z.enum(SEVERITIES),
          techniques: z.array(z.string()),
          description: z.string(),
          benignCauses: z.array(z.string()),
          references: z.array(
            z.object({ kind: z.string(), id: z.string(), url: z.string().optional() }).strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

/** RFC 9457 problem details, with this API's extensions (errors, state, estimate…). */
const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() }).strict()).optional(),
  })
  .catchall(z.unknown());

/** Every answer schema the document names, by its component id. */
export const ANSWERS = z.registry<{ id: string }>();
const NAMED: Record<string, z.ZodType> = {
  ResultPage: ResultPageSchema,
  Execution: ExecutionSchema,
  FinishedStart: FinishedStartSchema,
  AcceptedStart: AcceptedStartSchema,
  DryRun: DryRunSchema,
  ExecutionList: ExecutionListSchema,
  ResultLink: ResultLinkSchema,
  Health: HealthSchema,
  QueryCatalog: QueryCatalogSchema,
  DetectionCatalog: DetectionCatalogSchema,
  Problem: ProblemSchema,
};
for (const [id, schema] of Object.entries(NAMED)) ANSWERS.add(schema, { id });

// The engines' types and these schemas must agree both ways: a field added to one and not the
// other fails tsc.
type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Fits<Actual, Documented> = [Actual] extends [DeepReadonly<Documented>]
  ? [DeepReadonly<Documented>] extends [Actual]
    ? SameKeys<Actual, Documented>
    : false
  : false;
type DocumentedExecution = z.infer<typeof ExecutionSchema>;
/** @public Checked by tsc, read by nobody. */
export const DOCUMENTED_TYPES: [true, true, true, true, true] = [
  true as Fits<Execution, DocumentedExecution>,
  true as Fits<Execution['statistics'], DocumentedExecution['statistics']>,
  true as Fits<ResultPage, z.infer<typeof ResultPageSchema>>,
  true as Fits<ExecutionList, z.infer<typeof ExecutionListSchema>>,
  true as Fits<ScanEstimate, Omit<z.infer<typeof EstimateSchema>, 'costUsd'>>,
];

/**
 * The shapes of the API's answers, as zod schemas: the OpenAPI document describes them from here,
 * and the contract tests check real answers against the document. What engines answer (executions,
 * pages, estimates, links) is answerSchemas.ts's, from which the engine's types are inferred.
 */
import { z } from 'zod';
import { PRINCIPAL_KINDS, SEVERITIES, ThresholdSchema } from '../detections/detection.js';
import {
  EXECUTION_STATES,
  ExecutionListSchema,
  ExecutionSchema,
  Instant,
  ResultColumnSchema,
  ResultLinkSchema,
  ResultPageSchema,
  ScanEstimateSchema,
} from '../lib/engines/answerSchemas.js';
import { EvidenceSchema } from '../lib/evidence/evidenceManifest.js';
import {
  CHECK_STATES,
  IntegrityCheckSchema,
  PROBLEM_KINDS,
  PROBLEM_MEANINGS,
} from '../lib/integrity/integrityReport.js';
import { AcceptedWatchRunSchema, WatchListSchema, WatchSchema } from '../lib/watches/watchAnswers.js';

/** A start that waited for the end: the execution, and its first page when it SUCCEEDED. */
const FinishedStartSchema = ExecutionSchema.extend({ results: ResultPageSchema.optional() }).strict();

const AcceptedStartSchema = z
  .object({ executionId: z.string(), state: z.enum(EXECUTION_STATES), label: z.string().optional() })
  .strict();

const EstimateSchema = ScanEstimateSchema.extend({ costUsd: z.number() }).strict();

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

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    engine: z.enum(['duckdb', 'athena']),
    /** The local server's results directory on disk. */
    results: z.object({ files: z.number().int(), bytes: z.number().int() }).strict().optional(),
  })
  .strict();

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
          principals: z
            .array(z.enum(PRINCIPAL_KINDS))
            .describe(
              'the kinds of principal whose actions it finds: IAM user, role session, SSO session, EC2 instance role session, root',
            ),
          kind: z
            .enum(['event', 'aggregate'])
            .describe(
              "event: each matching event is a finding; aggregate: a principal's burst over the threshold is",
            ),
          threshold: ThresholdSchema.optional().describe("an aggregate detection's threshold"),
        })
        .strict(),
    ),
  })
  .strict();

const AcceptedIntegrityCheckSchema = z
  .object({
    checkId: z.string(),
    state: z.enum(CHECK_STATES),
    progress: z.object({ filesDone: z.number().int(), filesTotal: z.number().int() }).strict(),
  })
  .strict();

/** A check, each problem kind described by what it means. */
const IntegrityCheckAnswerSchema = IntegrityCheckSchema.extend({
  problems: IntegrityCheckSchema.shape.problems.describe(
    PROBLEM_KINDS.map((kind) => `${kind}: ${PROBLEM_MEANINGS[kind]}`).join('; '),
  ),
}).strict();

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
  IntegrityCheck: IntegrityCheckAnswerSchema,
  AcceptedIntegrityCheck: AcceptedIntegrityCheckSchema,
  Evidence: EvidenceSchema,
  Watch: WatchSchema,
  WatchList: WatchListSchema,
  AcceptedWatchRun: AcceptedWatchRunSchema,
  Problem: ProblemSchema,
};
for (const [id, schema] of Object.entries(NAMED)) ANSWERS.add(schema, { id });

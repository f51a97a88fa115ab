/**
 * What the command line reads of each answer, checked before it is read: an endpoint that answers
 * something else (an HTML error page, `null`, another service) is said to have, in one line and
 * exit 5, rather than failing later as a bug. Loose objects: fields the CLI does not read may be
 * added to the API without breaking it.
 */
import { z } from 'zod';
import type { Execution, ResultPage } from '../lib/engines/queryEngine.js';

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ExecutionAnswer: z.ZodType<Execution> = z.looseObject({
  executionId: z.string().min(1),
  query: z.string(),
  label: z.string().optional(),
  state: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
  submittedAt: z.string(),
  completedAt: z.string().optional(),
  window: z.looseObject({ from: z.string(), to: z.string() }).optional(),
  statistics: z.looseObject({
    bytesScanned: z.number(),
    estimatedBytesScanned: z.number().optional(),
    engineMs: z.number(),
    queueMs: z.number().optional(),
    progressPercent: z.number().optional(),
    days: z.looseObject({ compacted: z.number(), raw: z.number() }).optional(),
  }),
  error: z.looseObject({ category: z.string(), message: z.string() }).optional(),
  warnings: z.array(z.string()).optional(),
}) as unknown as z.ZodType<Execution>;

/** A start's answer: 202 with the id and state, or 200 with the whole execution. */
export const StartAnswer = z.looseObject({ executionId: z.string().min(1), state: z.string() });

export const PageAnswer: z.ZodType<ResultPage> = z.looseObject({
  columns: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), Cell)),
  nextToken: z.string().min(1).optional(),
}) as unknown as z.ZodType<ResultPage>;

export const CatalogAnswer = z.looseObject({
  queries: z.array(
    z.looseObject({ name: z.string(), title: z.string(), parameters: z.looseObject({}).optional() }),
  ),
});

export const LinkAnswer = z.looseObject({ url: z.string().optional() });

/** The shapes of the watch routes' answers: the OpenAPI document describes them, the contract tests check them. */
import { z } from 'zod';
import { EXECUTION_STATES } from '../engines/answerSchemas.js';
import { WATCH_FORMATS } from './watchDefinition.js';

const Timestamp = z.iso.datetime();

const WatchRunSchema = z
  .object({
    trigger: z.enum(['schedule', 'request']),
    startedAt: Timestamp,
    endedAt: Timestamp.optional(),
    state: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
    executionId: z.string().optional(),
    window: z.object({ from: z.string(), to: z.string() }).strict().optional(),
    findings: z.number().int().optional().describe('rows the execution answered'),
    newFindings: z.number().int().optional().describe('of them, not delivered or pending before'),
    delivered: z.number().int().optional().describe('findings delivered by this run, new and pending'),
    pending: z.number().int().optional().describe('findings left for the next run: their delivery failed'),
    error: z.string().optional().describe('why the run failed, or what it could not do'),
    deliveryError: z.string().optional().describe('why a delivery failed after its retries'),
  })
  .strict();

export const WatchSchema = z
  .object({
    watchId: z.string(),
    label: z.string().optional(),
    query: z.string(),
    parameters: z.record(z.string(), z.unknown()).readonly(),
    accounts: z.array(z.string()).readonly().optional(),
    regions: z.array(z.string()).readonly().optional(),
    every: z.string(),
    lookback: z.string(),
    notify: z
      .object({
        url: z.string().describe("the receiver's origin, and /… for its path and query (a webhook's token)"),
        format: z.enum(WATCH_FORMATS),
        routingKeySecret: z.string().optional(),
      })
      .strict(),
    maxBytesScanned: z.number().int().optional(),
    owner: z.string().optional(),
    createdAt: Timestamp,
    nextRunAt: Timestamp,
    running: z
      .object({
        since: Timestamp,
        trigger: z.enum(['schedule', 'request']),
        executionId: z.string().optional(),
        window: z.object({ from: z.string(), to: z.string() }).strict().optional(),
        finishing: Timestamp.optional().describe('when its findings began to be delivered'),
      })
      .strict()
      .optional(),
    lastRun: WatchRunSchema.optional(),
    totals: z
      .object({
        runs: z.number().int(),
        failedRuns: z.number().int(),
        findingsDelivered: z.number().int(),
        pendingFindings: z.number().int(),
      })
      .strict(),
  })
  .strict();

export const WatchListSchema = z.object({ watches: z.array(WatchSchema) }).strict();

export const AcceptedWatchRunSchema = z
  .object({ watchId: z.string(), executionId: z.string(), state: z.enum(EXECUTION_STATES) })
  .strict();

export type WatchView = z.output<typeof WatchSchema>;

/**
 * POST /v1/executions: starts the statement that the edge planned from the body (see
 * queries/executionPlan.ts). With ?wait=N it waits up to N seconds (25 at most, under API
 * Gateway's 29-second limit) and answers 200 with the first page of results if the execution ended.
 * With "dryRun": true it validates the same way, starts nothing and answers with the engine's
 * estimate of the scan; with a budget (the request's maxBytesScanned, else the deployment's) it
 * estimates first and refuses, 422, a start the estimate puts over it.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import {
  type Caller,
  type Execution,
  type ExecutionRequest,
  isTerminal,
  type QueryEngine,
} from '../lib/engines/queryEngine.js';
import { callerOf } from '../lib/http/caller.js';
import { issuesToProblems } from '../lib/http/fieldProblems.js';
import { ValidationError } from '../lib/http/httpErrors.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, type InputParser } from '../lib/http/route.js';
import { estimateBeforeStart, withCost } from '../lib/http/scanBudget.js';
import { WATCH_RUN_LABEL_PREFIX } from '../lib/labels.js';
import { logger } from '../lib/logging/logger.js';
import { integrityChecksOf } from '../lib/runtime.js';
import { type ExecutionPlan, planExecution } from '../queries/executionPlan.js';

const MAX_WAIT_SECONDS = 25;
const INLINE_PAGE_SIZE = 100;
const POLL_MS = 200;
const FIRST_POLL_MS = 25;
/** Everything but the body, which planExecution reads. */
export const StartExecutionOptionsSchema = z.object({
  query: z.object({
    wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0),
  }),
  headers: z.object({
    'idempotency-key': z
      .string()
      .regex(/^[A-Za-z0-9._:-]{32,128}$/, 'Idempotency-Key: 32 to 128 characters of A-Z a-z 0-9 . _ : -')
      .optional()
      .describe(
        'A retried start with the same key and body returns the first execution; with another body, 422. With a key, the body must give `to`.',
      ),
  }),
});

interface StartExecutionInput {
  readonly waitSeconds: number;
  readonly idempotencyKey: string | undefined;
  readonly plan: ExecutionPlan;
  readonly principal: string | undefined;
}

/** Whether the request body names `to` itself. */
const hasTo = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && (body as Record<string, unknown>).to !== undefined;

const parseStartExecution: InputParser<StartExecutionInput> = (raw, config) => {
  if (!config) throw new Error('POST /v1/executions needs the runtime configuration');
  const options = StartExecutionOptionsSchema.safeParse(raw);
  // The caller owns the execution: the statement header says so, and Athena keeps it.
  const planned = planExecution(raw.body, config, { owner: raw.principal });
  const problems = [
    ...(options.success ? [] : issuesToProblems(options.error.issues)),
    ...(planned.ok ? [] : planned.problems),
    // The label of a watch's runs is the watch's alone: its results expire as a run's do.
    ...(planned.ok && planned.plan.body.label?.startsWith(WATCH_RUN_LABEL_PREFIX)
      ? [
          {
            pointer: '#/body/label',
            detail: `${WATCH_RUN_LABEL_PREFIX}… names a watch's runs; choose another label`,
          },
        ]
      : []),
    // A retry must ask what the first start asked: a `to` left out is the time of each request,
    // so the retry's window (and statement) would differ, and be refused as another request.
    ...(options.success && options.data.headers['idempotency-key'] && planned.ok && !hasTo(raw.body)
      ? [
          {
            pointer: '#/body/to',
            detail:
              'required with an Idempotency-Key: left out, it is the time of each request, so a retry would ask another window',
          },
        ]
      : []),
  ];
  if (!options.success || !planned.ok || problems.length > 0) throw new ValidationError(problems);
  return {
    waitSeconds: options.data.query.wait,
    idempotencyKey: options.data.headers['idempotency-key'],
    plan: planned.plan,
    principal: raw.principal,
  };
};

const waitForEnd = async (
  engine: QueryEngine,
  executionId: string,
  caller: Caller,
  seconds: number,
): Promise<Execution> => {
  const deadline = Date.now() + seconds * 1000;
  let execution = await engine.get(executionId, caller);
  // An engine that learns of the end itself says so at once. Another is looked at, soon at first,
  // then every POLL_MS: a short question ends in a fraction of a second, and a fixed 200 ms added
  // half of that to its answer on average; a long one costs 3 looks more.
  for (let pause = FIRST_POLL_MS; !isTerminal(execution.state) && Date.now() < deadline; ) {
    const left = Math.max(0, deadline - Date.now());
    const waited = (await engine.untilEnded?.(executionId, left)) ?? false;
    if (!waited) await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    execution = await engine.get(executionId, caller);
    pause = Math.min(pause * 2, POLL_MS);
  }
  return execution;
};

export const startExecution = engineRoute({
  name: 'startExecution',
  method: 'POST',
  resource: '/v1/executions',
  body: 'json',
  input: parseStartExecution,
  handle: async (
    { waitSeconds, idempotencyKey, plan, principal },
    { runtime, context },
  ): Promise<APIGatewayProxyResult> => {
    const { engine } = runtime;
    const caller = callerOf(principal, runtime.config);
    const request: ExecutionRequest = {
      statement: plan.statement,
      columns: plan.query.columns,
      window: plan.window,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(plan.body.reuseResultsMinutes ? { reuseResultsMinutes: plan.body.reuseResultsMinutes } : {}),
      ...(plan.body.verifyIntegrity ? { verifyIntegrity: true } : {}),
      parameters: plan.body.parameters,
    };
    // Refused (501) where the deployment cannot verify, before anything starts.
    if (plan.body.verifyIntegrity) integrityChecksOf(runtime);
    const cutoff = runtime.config.TRAILHOUND_SCAN_CUTOFF_BYTES;
    if (plan.body.dryRun) {
      const estimate = await engine.estimate(request);
      logger.appendKeys({
        query: plan.query.name,
        dryRun: true,
        estimatedBytesScanned: estimate.bytesScanned,
      });
      return json(200, {
        dryRun: true,
        query: plan.query.name,
        ...(plan.body.label ? { label: plan.body.label } : {}),
        window: { from: plan.window.from, to: plan.window.to },
        estimate: withCost(estimate, runtime.config.TRAILHOUND_PRICE_PER_TB_USD),
        ...(plan.budget !== undefined ? { maxBytesScanned: plan.budget } : {}),
        ...(cutoff !== undefined ? { scanCutoffBytes: cutoff } : {}),
        // What the same request without dryRun would do: start, or be refused over its limit.
        wouldStart: estimate.bytesScanned <= (plan.budget ?? cutoff ?? Number.POSITIVE_INFINITY),
      });
    }
    const estimate = await estimateBeforeStart(engine, request, plan.budget, runtime.config);
    const { executionId } = await engine.start({ ...request, ...(estimate ? { estimate } : {}) });
    logger.appendKeys({
      query: plan.query.name,
      executionId,
      ...(plan.body.label ? { label: plan.body.label } : {}),
    });
    const location = `/v1/executions/${executionId}`;
    // Stay inside the function's own time as well as API Gateway's 29 seconds.
    const wait = Math.min(waitSeconds, Math.max(0, (context.getRemainingTimeInMillis() - 2000) / 1000));
    const execution =
      wait > 0 ? await waitForEnd(engine, executionId, caller, wait) : await engine.get(executionId, caller);
    logger.appendKeys({ state: execution.state, bytesScanned: execution.statistics.bytesScanned });
    if (!isTerminal(execution.state)) {
      // When to look again: a second, as the CLI and the README's examples poll.
      return json(
        202,
        { executionId, state: execution.state, ...(execution.label ? { label: execution.label } : {}) },
        { Location: location, 'Retry-After': '1' },
      );
    }
    const results =
      execution.state === 'SUCCEEDED'
        ? await engine.getResults(executionId, { limit: INLINE_PAGE_SIZE }, caller)
        : undefined;
    return json(200, { ...execution, ...(results ? { results } : {}) }, { Location: location });
  },
});

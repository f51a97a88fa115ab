/**
 * POST /v1/integrity-checks: checks the log files of a window against CloudTrail's digests (the
 * window rules of executions: from, to, accounts, regions). Answers 202 with the check's id, or,
 * with ?wait=N, waits up to N seconds (25 at most) and answers 200 with the check if it ended.
 */
import { z } from 'zod';
import { issuesToProblems } from '../lib/http/fieldProblems.js';
import { ValidationError } from '../lib/http/httpErrors.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, type InputParser } from '../lib/http/route.js';
import type { IntegrityCheck } from '../lib/integrity/integrityReport.js';
import { logger } from '../lib/logging/logger.js';
import { integrityChecksOf } from '../lib/runtime.js';
import { resolveWindow, type TimeWindow, WindowFieldsSchema } from '../lib/sql/timeWindow.js';

const MAX_WAIT_SECONDS = 25;
const POLL_MS = 200;
const INLINE_PROBLEMS = 100;

export const IntegrityCheckBodySchema = WindowFieldsSchema.strict();
export const StartIntegrityCheckQuerySchema = z.object({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0),
});

const parse: InputParser<{ window: TimeWindow; waitSeconds: number }> = (raw, config) => {
  if (!config) throw new Error('POST /v1/integrity-checks needs the runtime configuration');
  const body = IntegrityCheckBodySchema.safeParse(raw.body ?? {});
  const query = StartIntegrityCheckQuerySchema.safeParse(raw.query);
  const resolved = body.success ? resolveWindow(body.data, config.TRAILHOUND_MAX_WINDOW_DAYS) : undefined;
  const problems = [
    ...(body.success ? [] : issuesToProblems(body.error.issues, '#/body')),
    ...(query.success ? [] : issuesToProblems(query.error.issues, '#/query')),
    ...(resolved && 'problem' in resolved
      ? [{ pointer: `#/body/${resolved.problem.field}`, detail: resolved.problem.detail }]
      : []),
  ];
  if (!resolved || 'problem' in resolved || !query.success) throw new ValidationError(problems);
  return { window: resolved.window, waitSeconds: query.data.wait };
};

export const startIntegrityCheck = engineRoute({
  name: 'startIntegrityCheck',
  method: 'POST',
  resource: '/v1/integrity-checks',
  body: 'json',
  input: parse,
  handle: async ({ window, waitSeconds }, { runtime, context }) => {
    const checks = integrityChecksOf(runtime);
    const { checkId } = await checks.start(window);
    logger.appendKeys({ checkId });
    const location = `/v1/integrity-checks/${checkId}`;
    const deadline =
      Date.now() + Math.min(waitSeconds * 1000, Math.max(0, context.getRemainingTimeInMillis() - 2000));
    let check: IntegrityCheck = await checks.get(checkId, { limit: INLINE_PROBLEMS });
    while (check.state === 'RUNNING' && Date.now() < deadline) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))),
      );
      check = await checks.get(checkId, { limit: INLINE_PROBLEMS });
    }
    if (check.state === 'RUNNING') {
      return json(
        202,
        { checkId, state: check.state, progress: check.progress },
        { Location: location, 'Retry-After': '1' },
      );
    }
    logger.appendKeys({ verdict: check.verdict });
    return json(200, check, { Location: location });
  },
});

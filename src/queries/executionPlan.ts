/**
 * The body of POST /v1/executions, and the one function that turns it into what an engine runs
 * (the query, its statement and its window) or into the list of field problems: the catalog's
 * front door. Validation happens here, at the edge, before any handler or engine sees the request.
 */
import { z } from 'zod';
import type { RequestLimits } from '../lib/config.js';
import { type FieldProblem, UnknownQueryError } from '../lib/errors.js';
import { issuesToProblems } from '../lib/http/fieldProblems.js';
import { buildStatement, type Statement } from '../lib/sql/buildStatement.js';
import { resolveWindow, type TimeWindow, WindowFieldsSchema } from '../lib/sql/timeWindow.js';
import { findQuery, QUERIES } from './catalog.js';
import type { Query } from './queryDefinition.js';

const ExecutionBodySchema = WindowFieldsSchema.extend({
  query: z.string().min(1).max(64),
  parameters: z.record(z.string(), z.unknown()).default({}),
  reuseResultsMinutes: z.number().int().min(1).max(10_080).optional(),
}).strict();

type ExecutionBody = z.output<typeof ExecutionBodySchema>;

export interface ExecutionPlan {
  readonly body: ExecutionBody;
  readonly query: Query;
  readonly statement: Statement;
  readonly window: TimeWindow;
}

/** Athena's limit on one ExecutionParameter. */
const MAX_PARAMETER_LITERAL = 1024;

export type ExecutionPlanResult =
  | { readonly ok: true; readonly plan: ExecutionPlan }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/**
 * The plan for a request body, or every problem with it (pointers under `#/body`).
 * @throws UnknownQueryError when the body is well formed but names no query of the catalog.
 */
export const planExecution = (
  rawBody: unknown,
  limits: RequestLimits,
  options: { now?: number; owner?: string | undefined } = {},
): ExecutionPlanResult => {
  const body = ExecutionBodySchema.safeParse(rawBody);
  if (!body.success) return { ok: false, problems: issuesToProblems(body.error.issues, '#/body') };
  const query = findQuery(body.data.query);
  if (!query)
    throw new UnknownQueryError(
      body.data.query,
      QUERIES.map((q) => q.name),
    );
  const parameters = query.parseParameters(body.data.parameters);
  const resolved = resolveWindow(body.data, limits.TRAILHOUND_MAX_WINDOW_DAYS, options.now);
  const problems = [
    ...(parameters.success ? [] : issuesToProblems(parameters.issues, '#/body/parameters')),
    ...('problem' in resolved
      ? [{ pointer: `#/body/${resolved.problem.field}`, detail: resolved.problem.detail }]
      : []),
  ];
  if (!parameters.success || 'problem' in resolved) return { ok: false, problems };
  const statement = buildStatement(query, parameters.values, resolved.window, { owner: options.owner });
  // Athena takes each ExecutionParameter, a quoted literal (quotes doubled, see toSqlLiteral), up
  // to 1,024 characters: a request
  // that one engine would refuse is refused here, on both.
  const literalLength = (value: string) => value.length + 2 + (value.match(/'/g)?.length ?? 0);
  if (statement.parameters.some((value) => literalLength(value) > MAX_PARAMETER_LITERAL)) {
    return {
      ok: false,
      problems: [
        {
          pointer: '#/body/parameters',
          detail: 'a value is too long: Athena takes 1,024 characters at most, quotes included',
        },
      ],
    };
  }
  return { ok: true, plan: { body: body.data, query, statement, window: resolved.window } };
};

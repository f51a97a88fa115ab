/**
 * The body of POST /v1/executions, and the one function that turns it into what an engine runs
 * (the query, its statement and its window) or into the list of field problems: the catalog's
 * front door. Validation happens here, at the edge, before any handler or engine sees the request.
 */
import { z } from 'zod';
import type { RequestLimits } from '../lib/config.js';
import { UnknownQueryError } from '../lib/errors.js';
import { issuesToProblems } from '../lib/http/fieldProblems.js';
import type { FieldProblem } from '../lib/http/httpErrors.js';
import { LabelSchema } from '../lib/labels.js';
import { allowedOrigins } from '../lib/notify/addressPolicy.js';
import { buildStatement, type Statement } from '../lib/sql/buildStatement.js';
import { sqlLiteralLength } from '../lib/sql/sqlLiteral.js';
import { resolveWindow, type TimeWindow, WindowFieldsSchema } from '../lib/sql/timeWindow.js';
import { findQuery, QUERIES } from './catalog.js';
import type { Query } from './queryDefinition.js';

/** Where a callback (or a watch's findings) may be POSTed: http(s), no credentials in it. */
export const NotifyUrlSchema = z
  .url({ protocol: /^https?$/, error: 'an http or https URL' })
  .max(2048)
  // Checked only on a URL: zod runs a refinement even after the URL check has failed.
  .refine(
    (url) => !URL.canParse(url) || (!new URL(url).username && !new URL(url).password),
    'no credentials in the URL',
  );

export const ExecutionBodySchema = WindowFieldsSchema.extend({
  query: z.string().min(1).max(64),
  parameters: z.record(z.string(), z.unknown()).default({}),
  reuseResultsMinutes: z.number().int().min(1).max(10_080).optional(),
  /** Validate and estimate only: nothing starts. */
  dryRun: z.boolean().default(false),
  /** Verify the window's log files against CloudTrail's digests; the answer says what was found. */
  verifyIntegrity: z.boolean().default(false),
  /** Refuse to start if the estimate is over this many bytes: in place of the deployment's default budget, at most the scan cutoff. */
  maxBytesScanned: z.number().int().positive().optional(),
  /** The case the execution belongs to (a ticket id such as INC-1234): in every view of it. */
  label: LabelSchema.optional(),
  /** Where to POST a signed summary when the execution ends. */
  notify: z.strictObject({ url: NotifyUrlSchema }).optional(),
}).strict();

type ExecutionBody = z.output<typeof ExecutionBodySchema>;

export interface ExecutionPlan {
  readonly body: ExecutionBody;
  readonly query: Query;
  readonly statement: Statement;
  readonly window: TimeWindow;
  /**
   * The budget in bytes scanned: the request's, else the deployment's default; none without
   * either. A budget needs an estimate: without one the execution does not start.
   */
  readonly budget: number | undefined;
}

/** The limits a request is checked against (the configuration's). */
type PlanLimits = Pick<RequestLimits, 'TRAILHOUND_MAX_WINDOW_DAYS'> &
  Partial<
    Pick<
      RequestLimits,
      'TRAILHOUND_MAX_BYTES_SCANNED' | 'TRAILHOUND_SCAN_CUTOFF_BYTES' | 'TRAILHOUND_NOTIFY_ALLOWED_ORIGINS'
    >
  >;

/** Athena's limit on one ExecutionParameter. */
const MAX_PARAMETER_LITERAL = 1024;

/** A callback URL must be of an origin the deployment lists. */
export const notifyProblems = (url: string | undefined, listed: readonly string[]): FieldProblem[] => {
  if (url === undefined) return [];
  if (listed.length === 0) {
    return [
      {
        pointer: '#/body/notify/url',
        detail: 'callbacks are off on this deployment (TRAILHOUND_NOTIFY_ALLOWED_ORIGINS is empty)',
      },
    ];
  }
  return allowedOrigins(listed).accepts(new URL(url))
    ? []
    : [
        {
          pointer: '#/body/notify/url',
          detail: `${new URL(url).origin} is not an allowed callback origin (TRAILHOUND_NOTIFY_ALLOWED_ORIGINS)`,
        },
      ];
};

export type ExecutionPlanResult =
  | { readonly ok: true; readonly plan: ExecutionPlan }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/**
 * The problems of the parameters of a body that is malformed elsewhere (no `from`, a date that is
 * not one), when it names a query of the catalog: so that one answer says every problem.
 */
const parameterProblemsOf = (rawBody: unknown): FieldProblem[] => {
  if (typeof rawBody !== 'object' || rawBody === null) return [];
  const { query: name, parameters = {} } = rawBody as { query?: unknown; parameters?: unknown };
  const query = typeof name === 'string' ? findQuery(name) : undefined;
  if (!query || typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return [];
  const parsed = query.parseParameters(parameters);
  return parsed.success ? [] : issuesToProblems(parsed.issues, '#/body/parameters');
};

/**
 * The plan for a request body, or every problem with it (pointers under `#/body`).
 * @throws UnknownQueryError when the body is well formed but names no query of the catalog.
 */
export const planExecution = (
  rawBody: unknown,
  limits: PlanLimits,
  options: { now?: number; owner?: string | undefined } = {},
): ExecutionPlanResult => {
  const body = ExecutionBodySchema.safeParse(rawBody);
  if (!body.success) {
    return {
      ok: false,
      problems: [...parameterProblemsOf(rawBody), ...issuesToProblems(body.error.issues, '#/body')],
    };
  }
  const query = findQuery(body.data.query);
  if (!query)
    throw new UnknownQueryError(
      body.data.query,
      QUERIES.map((q) => q.name),
    );
  const parameters = query.parseParameters(body.data.parameters);
  const resolved = resolveWindow(body.data, limits.TRAILHOUND_MAX_WINDOW_DAYS, options.now);
  const cutoff = limits.TRAILHOUND_SCAN_CUTOFF_BYTES;
  const asked = body.data.maxBytesScanned;
  const problems = [
    ...(parameters.success ? [] : issuesToProblems(parameters.issues, '#/body/parameters')),
    ...('problem' in resolved
      ? [{ pointer: `#/body/${resolved.problem.field}`, detail: resolved.problem.detail }]
      : []),
    ...notifyProblems(body.data.notify?.url, limits.TRAILHOUND_NOTIFY_ALLOWED_ORIGINS ?? []),
    ...(cutoff !== undefined && asked !== undefined && asked > cutoff
      ? [
          {
            pointer: '#/body/maxBytesScanned',
            detail: `at most the workgroup's scan cutoff, ${cutoff} bytes`,
          },
        ]
      : []),
  ];
  if (problems.length > 0 || !parameters.success || 'problem' in resolved) return { ok: false, problems };
  const statement = buildStatement(query, parameters.values, resolved.window, {
    owner: options.owner,
    label: body.data.label,
    notify: body.data.notify?.url,
  });
  // Athena takes each ExecutionParameter, a quoted literal (see toSqlLiteral), up to 1,024
  // characters: a request that one engine would refuse is refused here, on both.
  if (statement.parameters.some((value) => sqlLiteralLength(value) > MAX_PARAMETER_LITERAL)) {
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
  // The deployment's default budget, if it has one, never above the cutoff either.
  const fallback = limits.TRAILHOUND_MAX_BYTES_SCANNED;
  const budget = asked ?? (fallback === undefined ? undefined : Math.min(fallback, cutoff ?? fallback));
  return { ok: true, plan: { body: body.data, query, statement, window: resolved.window, budget } };
};

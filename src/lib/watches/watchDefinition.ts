/**
 * A watch's definition: the body of POST /v1/watches, checked as a start's body is (the query,
 * its parameters, the scope, the budget) with what a schedule adds: how often it runs (`every`),
 * how far back each run looks (`lookback`), and where and how its new findings are delivered.
 */
import { z } from 'zod';
import {
  type ExecutionPlan,
  NotifyUrlSchema,
  notifyProblems,
  planExecution,
} from '../../queries/executionPlan.js';
import type { RequestLimits } from '../config.js';
import { issuesToProblems } from '../http/fieldProblems.js';
import type { FieldProblem } from '../http/httpErrors.js';
import { formatIsoDuration, parseIsoDuration } from '../isoDuration.js';
import { LabelSchema, WATCH_RUN_LABEL_PREFIX } from '../labels.js';
import { WindowFieldsSchema } from '../sql/timeWindow.js';

/** How new findings are sent: see deliveryFormats.ts. */
export const WATCH_FORMATS = ['trailhound', 'pagerduty', 'slack', 'jira'] as const;
export type WatchFormat = (typeof WATCH_FORMATS)[number];

const MINUTE_MS = 60_000;
const MIN_EVERY_MS = 5 * MINUTE_MS;
const MAX_EVERY_MS = 24 * 60 * MINUTE_MS;
/** CloudTrail delivers an event up to about 15 minutes after it happened: a run looks back this much more than `every`. */
const DELIVERY_SLACK_MS = 30 * MINUTE_MS;

const DurationSchema = z
  .string()
  .max(32)
  .refine(
    (text) => parseIsoDuration(text) !== undefined,
    'an ISO 8601 duration of days, hours, minutes and seconds, such as PT15M, PT1H or P1D',
  );

/** The name of a secret the deployment holds (locally an environment variable TRAILHOUND_SECRET_<NAME>). */
const SecretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a secret name: letters, digits and _ . - (128 at most)');

export const WatchBodySchema = z.strictObject({
  query: z.string().min(1).max(64),
  parameters: z.record(z.string(), z.unknown()).default({}),
  accounts: WindowFieldsSchema.shape.accounts,
  regions: WindowFieldsSchema.shape.regions,
  /** How often it runs: PT5M to P1D. */
  every: DurationSchema,
  /** How far back each run looks; default `every` plus PT30M, at most the window limit. */
  lookback: DurationSchema.optional(),
  notify: z.strictObject({
    url: NotifyUrlSchema,
    format: z.enum(WATCH_FORMATS).default('trailhound'),
    /** pagerduty: the secret holding the Events API v2 routing key (integration key). */
    routingKeySecret: SecretNameSchema.optional(),
  }),
  /** What the watch is for (a runbook, a team): shown with it and in what it delivers. */
  label: LabelSchema.optional(),
  /** Each run is refused, FAILED, if its estimate is over this many bytes. */
  maxBytesScanned: z.number().int().positive().optional(),
});

/** A watch as it is kept: the body checked, `lookback` filled in. */
export interface WatchDefinition {
  readonly query: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly every: string;
  readonly lookback: string;
  readonly notify: { readonly url: string; readonly format: WatchFormat; readonly routingKeySecret?: string };
  readonly label?: string;
  readonly maxBytesScanned?: number;
}

/** The label every run of a watch carries: GET /v1/executions?label=watch:<id> lists them. */
const runLabel = (watchId: string): string => `${WATCH_RUN_LABEL_PREFIX}${watchId}`;

type PlanLimits = Pick<
  RequestLimits,
  | 'TRAILHOUND_MAX_WINDOW_DAYS'
  | 'TRAILHOUND_MAX_BYTES_SCANNED'
  | 'TRAILHOUND_SCAN_CUTOFF_BYTES'
  | 'TRAILHOUND_NOTIFY_ALLOWED_ORIGINS'
  | 'TRAILHOUND_PAGERDUTY_ORIGINS'
>;

/**
 * Where a PagerDuty routing key may be sent: the deployment's PagerDuty origins only, so that whoever
 * may make a watch cannot send the key to a receiver of their own. @returns why not, or undefined.
 */
export const routingKeyRefusal = (
  url: string,
  limits: Pick<RequestLimits, 'TRAILHOUND_PAGERDUTY_ORIGINS'>,
) => {
  const origin = URL.canParse(url) ? new URL(url).origin : url;
  const allowed = limits.TRAILHOUND_PAGERDUTY_ORIGINS.map((o) => o.replace(/\/$/, ''));
  return allowed.includes(origin)
    ? undefined
    : `a routing key is sent to PagerDuty's origins only (${allowed.join(', ')}: TRAILHOUND_PAGERDUTY_ORIGINS), not ${origin}`;
};

/**
 * The plan of one run at `now`: the query over [now - lookback, now], labelled with the watch and
 * owned by whoever made it. After a run that failed or was missed, the window reaches back to where
 * the last one that succeeded ended (`coveredTo`), less the same overlap, within the window limit:
 * a failure leaves no part of the timeline unread. Problems point at the watch's fields (the
 * window's at `lookback`).
 */
export const planRun = (
  watchId: string,
  definition: WatchDefinition,
  limits: PlanLimits,
  options: { now: number; owner?: string | undefined; coveredTo?: string | undefined },
): { ok: true; plan: ExecutionPlan } | { ok: false; problems: readonly FieldProblem[] } => {
  const lookbackMs = parseIsoDuration(definition.lookback) ?? 0;
  const limitMs = limits.TRAILHOUND_MAX_WINDOW_DAYS * 86_400_000;
  // Longer than the window limit is refused here, before any date is made of it: P200000000D is
  // a valid duration but no date.
  if (lookbackMs > limitMs) {
    return {
      ok: false,
      problems: [
        {
          pointer: '#/body/lookback',
          detail: `at most the window limit, ${limits.TRAILHOUND_MAX_WINDOW_DAYS} days (TRAILHOUND_MAX_WINDOW_DAYS)`,
        },
      ],
    };
  }
  const overlapMs = Math.max(0, lookbackMs - (parseIsoDuration(definition.every) ?? 0));
  let from = options.now - lookbackMs;
  const covered = options.coveredTo ? Date.parse(options.coveredTo) - overlapMs : from;
  if (covered < from) from = Math.max(covered, options.now - limitMs);
  const planned = planExecution(
    {
      query: definition.query,
      parameters: definition.parameters,
      ...(definition.accounts ? { accounts: definition.accounts } : {}),
      ...(definition.regions ? { regions: definition.regions } : {}),
      from: new Date(from).toISOString(),
      to: new Date(options.now).toISOString(),
      label: runLabel(watchId),
      ...(definition.maxBytesScanned ? { maxBytesScanned: definition.maxBytesScanned } : {}),
    },
    limits,
    { now: options.now, owner: options.owner },
  );
  if (planned.ok) return planned;
  return {
    ok: false,
    problems: planned.problems.map((p) =>
      p.pointer === '#/body/from' || p.pointer === '#/body/to' ? { ...p, pointer: '#/body/lookback' } : p,
    ),
  };
};

/**
 * The definition `body` asks for, or every problem with it (pointers under `#/body`): the schedule's
 * bounds, the receiver's origin, a routing key for PagerDuty that the deployment holds, and the
 * query as a run would plan it now.
 * @throws UnknownQueryError when the body names no query of the catalog (404, as a start's).
 */
export const checkWatchBody = async (
  body: unknown,
  limits: PlanLimits,
  options: { now: number; owner?: string | undefined; hasSecret: (name: string) => Promise<boolean> },
): Promise<{ ok: true; definition: WatchDefinition } | { ok: false; problems: readonly FieldProblem[] }> => {
  const parsed = WatchBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error.issues, '#/body') };
  const { every, lookback, notify, ...rest } = parsed.data;
  const everyMs = parseIsoDuration(every) ?? 0;
  const lookbackMs = lookback === undefined ? everyMs + DELIVERY_SLACK_MS : (parseIsoDuration(lookback) ?? 0);
  const problems: FieldProblem[] = [];
  if (everyMs < MIN_EVERY_MS || everyMs > MAX_EVERY_MS) {
    problems.push({ pointer: '#/body/every', detail: 'from PT5M to P1D' });
  }
  if (lookback !== undefined && lookbackMs < everyMs) {
    problems.push({
      pointer: '#/body/lookback',
      detail: 'at least `every`: a run must look back over the time since the one before',
    });
  }
  if (notify.format === 'pagerduty' && !notify.routingKeySecret) {
    problems.push({
      pointer: '#/body/notify/routingKeySecret',
      detail: 'required for pagerduty: the name of the secret holding the Events API v2 routing key',
    });
  } else if (notify.format !== 'pagerduty' && notify.routingKeySecret) {
    problems.push({ pointer: '#/body/notify/routingKeySecret', detail: 'only for the pagerduty format' });
  } else if (notify.routingKeySecret && !(await options.hasSecret(notify.routingKeySecret))) {
    problems.push({
      pointer: '#/body/notify/routingKeySecret',
      detail: `no secret ${notify.routingKeySecret} on this deployment (locally: set ${secretVariable(notify.routingKeySecret)})`,
    });
  }
  const definition: WatchDefinition = {
    ...rest,
    every,
    lookback: lookback ?? formatIsoDuration(lookbackMs),
    notify: {
      url: notify.url,
      format: notify.format,
      ...(notify.routingKeySecret ? { routingKeySecret: notify.routingKeySecret } : {}),
    },
  };
  // The query, its parameters, the window's length, the receiver's origin and the budget, as a run
  // would be checked now (a placeholder id: the label's form is all that matters here).
  // Only a schedule within its bounds is planned: the problems above already say what is wrong with it.
  if (!problems.some((p) => p.pointer === '#/body/every' || p.pointer === '#/body/lookback')) {
    const planned = planRun('00000000-0000-0000-0000-000000000000', definition, limits, options);
    if (!planned.ok) problems.push(...planned.problems);
  }
  problems.push(...notifyProblems(notify.url, limits.TRAILHOUND_NOTIFY_ALLOWED_ORIGINS));
  const refusal = notify.format === 'pagerduty' ? routingKeyRefusal(notify.url, limits) : undefined;
  if (refusal) problems.push({ pointer: '#/body/notify/url', detail: refusal });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, definition };
};

/** The environment variable that holds secret `name` on the local server. */
export const secretVariable = (name: string): string =>
  `TRAILHOUND_SECRET_${name.toUpperCase().replaceAll(/[^A-Z0-9]/g, '_')}`;

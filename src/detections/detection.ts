/**
 * What a detection is: a named condition that a known attack technique (or its failed attempt)
 * leaves behind, with what a responder needs to weigh a finding: severity, MITRE ATT&CK
 * techniques, what it means, what else can cause it, where it comes from, and a plain sentence
 * saying who did what to which resource. The sweep query runs every chosen detection in one scan
 * of the window (src/queries/sweep.ts). Two kinds:
 * - an event detection: a condition over one event; each event it matches is a finding;
 * - an aggregate detection: a condition over one event, and a threshold over a principal's burst
 *   of such events (events of one principal and account, each within `gapMinutes` of the one
 *   before): at least `distinctResources` distinct resources (the `resources` each event touches)
 *   across at least `services` event sources. Each burst over the threshold is one finding.
 *
 * `condition` and `summary` are Trino SQL over one row of `events` (the window's rows of
 * cloudtrail_logs) and may use `principal`, the actor's display name (queries/fragments.ts
 * PRINCIPAL). They must run unchanged on DuckDB (with the Trino macros) and on Athena engine 3, and
 * reason about meaning (a /0 prefix, a policy granting `*`), never about literal values of the data.
 */
import { z } from 'zod';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

const ReferenceSchema = z.object({
  /** `stratus`: a Stratus Red Team technique id; `sigma`: a Sigma rule (title and file); `aws`: AWS documentation. */
  kind: z.enum(['stratus', 'sigma', 'aws', 'mitre', 'other']),
  /** The technique id, rule file or page title. */
  id: z.string().min(1),
  url: z.url().optional(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

/**
 * The kinds of principal a detection can be about: an IAM user's long-term keys, a role session,
 * a session of an IAM Identity Center (SSO) permission set, an EC2 instance's role session (named
 * after the instance), the root user.
 */
export const PRINCIPAL_KINDS = ['IAMUser', 'AssumedRole', 'SSO', 'InstanceRole', 'Root'] as const;

const DescribedSchema = z.object({
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case'),
  title: z.string().min(5).max(120),
  severity: z.enum(SEVERITIES),
  techniques: z
    .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'a MITRE ATT&CK technique id such as T1562.008'))
    .min(1),
  description: z.string().min(40),
  benignCauses: z.array(z.string().min(3)).min(1),
  references: z.array(ReferenceSchema).min(1),
  /**
   * The kinds of principal the detection is about, when it is about some only (secrets read with
   * long-term keys, the root user): a test rewrites each positive example as done by every kind
   * and expects it found for these. Absent: every kind.
   */
  principals: z.array(z.enum(PRINCIPAL_KINDS)).min(1).optional(),
  /**
   * True when the user agent is part of what the detection finds (an offensive tool's name, a
   * desktop client on instance credentials): the test that rewrites its examples keeps their user
   * agent. Every other detection is found whatever client made the call.
   */
  userAgentIsSignal: z.literal(true).optional(),
  /**
   * The outcome the detection is about, when only one: `refused` for detections of refusals
   * (permission probing), `succeeded` where a refused call is not the behaviour. Absent: a refused
   * attempt is a finding as much as a call that succeeded.
   */
  outcome: z.enum(['succeeded', 'refused']).optional(),
});

const EventDetectionSchema = DescribedSchema.extend({
  condition: z.string().min(5),
  summary: z.string().min(5),
}).strict();

/** The threshold of an aggregate detection, as GET /v1/detections shows it. */
export const ThresholdSchema = z
  .object({
    /** Events further apart than this (of one principal and account) start a new burst. */
    gapMinutes: z.number().int().min(1).max(60),
    /** Distinct resources a burst must touch, at least. */
    distinctResources: z.number().int().min(2),
    /** Distinct event sources (services) a burst must span, at least. */
    services: z.number().int().min(1),
  })
  .strict();

const AggregateDetectionSchema = DescribedSchema.extend({
  aggregate: z
    .object({
      /** Which events count: Trino SQL over one row of `events`, as an event detection's condition. */
      condition: z.string().min(5),
      /** The resources an event touches: a Trino ARRAY(VARCHAR) expression over the row, never NULL or empty. */
      resources: z.string().min(5),
      threshold: ThresholdSchema,
      /**
       * The finding's sentence: Trino SQL over the burst (`principal`, `events`, `distinct_resources`,
       * `services`, `span_seconds`, and the first event's columns).
       */
      summary: z.string().min(5),
    })
    .strict(),
}).strict();

export const DetectionSchema = z.union([EventDetectionSchema, AggregateDetectionSchema]);
export type Detection = z.infer<typeof DetectionSchema>;

export type AggregateDetection = z.infer<typeof AggregateDetectionSchema>;

export const isAggregate = (detection: Detection): detection is AggregateDetection =>
  'aggregate' in detection;

/** A detection module's export: checked when the module loads, so a malformed one fails at once. */
export const defineDetection = <D extends Detection>(detection: D): D =>
  DetectionSchema.parse(detection) as D;

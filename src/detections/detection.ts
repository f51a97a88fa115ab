/**
 * What a detection is: a named condition over one CloudTrail event that a known attack technique
 * (or its failed attempt) leaves behind, with what a responder needs to weigh a finding: severity,
 * MITRE ATT&CK techniques, what it means, what else can cause it, where it comes from, and a
 * plain sentence saying who did what to which resource. The sweep query runs every chosen
 * detection in one scan of the window (src/queries/sweep.ts).
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

export const DetectionSchema = z.object({
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case'),
  title: z.string().min(5).max(120),
  severity: z.enum(SEVERITIES),
  techniques: z
    .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'a MITRE ATT&CK technique id such as T1562.008'))
    .min(1),
  description: z.string().min(40),
  benignCauses: z.array(z.string().min(3)).min(1),
  references: z.array(ReferenceSchema).min(1),
  condition: z.string().min(5),
  summary: z.string().min(5),
});
export type Detection = z.infer<typeof DetectionSchema>;

/** A detection module's export: checked when the module loads, so a malformed one fails at once. */
export const defineDetection = (detection: Detection): Detection => DetectionSchema.parse(detection);

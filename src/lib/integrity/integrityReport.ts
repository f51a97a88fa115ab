/**
 * What an integrity check finds, as the API answers it: the kinds of problem, the counts, and the
 * verdict they add up to. A problem of a tampering kind makes the verdict `tampered`; one that
 * only leaves something unproven (no signature, no key, validation off) makes it `unverifiable`;
 * `intact` means every log file read was listed by a digest whose signature holds, with its hash.
 */
import { z } from 'zod';

/** Problems that show the logs or their digests were changed, moved or removed. */
const TAMPERING = [
  'log-modified',
  'log-missing',
  'log-undigested',
  'digest-invalid-signature',
  'digest-missing',
  'digest-moved',
] as const;

/** Problems that leave the logs unproven without showing a change. */
const UNPROVEN = ['digest-unsigned', 'public-key-unknown', 'gap'] as const;

export const PROBLEM_KINDS = [...TAMPERING, ...UNPROVEN] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

const VERDICTS = ['intact', 'tampered', 'unverifiable'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What each kind means, for the OpenAPI document and the README. */
export const PROBLEM_MEANINGS: Record<ProblemKind, string> = {
  'log-modified': "the log file's gunzipped SHA-256 is not the one its digest lists",
  'log-missing': 'a digest lists the log file and it is not there',
  'log-undigested':
    'a log file in an hour the digests cover that no present digest lists (added, or listed by a missing digest)',
  'digest-invalid-signature': "the digest's signature does not verify, or the file is not a digest",
  'digest-missing': 'the chain names a previous digest that is not there',
  'digest-moved': 'the digest is not where it says it was delivered (digestS3Object, or the bucket when set)',
  'digest-unsigned':
    'no signature for the digest: neither its successor nor a saved .metadata.json holds one',
  'public-key-unknown': "the digest's public key fingerprint is not among the public keys given",
  gap: 'hours without digests: log file validation was off, or the digests were not copied',
};

const IntegrityProblemSchema = z.object({
  kind: z.enum(PROBLEM_KINDS),
  /** The file's key under the logs directory (the S3 key without the trail's prefix). */
  path: z.string(),
  detail: z.string(),
});
export type IntegrityProblem = z.infer<typeof IntegrityProblemSchema>;

const IntegritySummarySchema = z.object({
  /** `unsigned` counts digests with no signature and those whose public key is unknown. */
  digestFiles: z.object({
    valid: z.number().int(),
    invalid: z.number().int(),
    missing: z.number().int(),
    unsigned: z.number().int(),
  }),
  logFiles: z.object({
    valid: z.number().int(),
    invalid: z.number().int(),
    missing: z.number().int(),
    undigested: z.number().int(),
  }),
  gaps: z.number().int(),
});
export type IntegritySummary = z.infer<typeof IntegritySummarySchema>;

export const verdictOf = (problems: readonly IntegrityProblem[]): Verdict => {
  if (problems.some((p) => (TAMPERING as readonly string[]).includes(p.kind))) return 'tampered';
  return problems.length > 0 ? 'unverifiable' : 'intact';
};

export const CHECK_STATES = ['RUNNING', 'SUCCEEDED', 'FAILED'] as const;

/** GET /v1/integrity-checks/{checkId}: a check, its progress, and once done what it found. */
export const IntegrityCheckSchema = z.object({
  checkId: z.string(),
  state: z.enum(CHECK_STATES),
  window: z.object({
    from: z.string(),
    to: z.string(),
    accounts: z.array(z.string()).optional(),
    regions: z.array(z.string()).optional(),
  }),
  submittedAt: z.string(),
  completedAt: z.string().optional(),
  /** Files read so far (digests and log files) of those the check reads. */
  progress: z.object({ filesDone: z.number().int(), filesTotal: z.number().int() }),
  verdict: z.enum(VERDICTS).optional(),
  summary: IntegritySummarySchema.optional(),
  /** One page of the problems, in path order; `nextToken` asks for the next. */
  problems: z.array(IntegrityProblemSchema),
  nextToken: z.string().optional(),
  error: z.object({ message: z.string() }).optional(),
});
export type IntegrityCheck = z.infer<typeof IntegrityCheckSchema>;

/** What an execution that verified its logs says when they are not intact: never silent. */
export const integrityWarning = (
  checkId: string,
  found: { verdict: Verdict; problems: readonly IntegrityProblem[] } | undefined,
): string | undefined => {
  const where = `GET /v1/integrity-checks/${checkId} lists every problem`;
  if (!found)
    return `The log files could not be verified: the integrity check failed (GET /v1/integrity-checks/${checkId} says why).`;
  if (found.verdict === 'intact') return undefined;
  const counts = new Map<string, number>();
  for (const p of found.problems) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const first = found.problems[0];
  return found.verdict === 'tampered'
    ? `The log files read are not as CloudTrail delivered them (tampered): ${kinds}; first ${first?.path}. ${where}.`
    : `The log files read could not all be verified (unverifiable): ${kinds}; first ${first?.path}. ${where}.`;
};

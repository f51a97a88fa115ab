/**
 * Configuration, read once from the environment and validated, so that a typo in a variable fails
 * at start-up with a clear message instead of at the first request. TRAILHOUND_ENGINE chooses the
 * engine and with it which other settings apply: each engine has its own, in its own schema. The
 * local server defaults to the embedded engine; on Lambda the template sets `athena` explicitly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { commaList } from './commaList.js';
import { ConfigurationError } from './errors.js';
import { CorsOriginsSchema } from './http/cors.js';
import { parseIsoDuration } from './isoDuration.js';
import { allowedOrigins } from './notify/addressPolicy.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundled sample: a real attack simulation recorded by CloudTrail (MIT, see its LICENSE). */
export const SAMPLE_LOGS_DIR = path.join(repoRoot, 'data/cloudtrail/invictus-attack-simulation');

/** The public key the sample's digests verify with (made for it: see data/cloudtrail/README.md). */
const SAMPLE_PUBLIC_KEYS = path.join(repoRoot, 'data/cloudtrail/invictus-attack-simulation.public-keys.json');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `schema`, or unset: an unset template parameter arrives as an empty string, which is no value. */
const unlessEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const optionalPositiveInt = unlessEmpty(z.coerce.number().int().positive());
const list = commaList;

/** Listed callback origins: each an origin (`https://hooks.example.com`) or `https://*.domain`. */
const origins = list.refine(
  (entries) =>
    entries.every((entry) => {
      try {
        allowedOrigins([entry]);
        return entry.includes('*') || new URL(entry).origin === entry.replace(/\/$/, '');
      } catch {
        return false;
      }
    }),
  'each entry an origin such as https://hooks.example.com (no path), or https://*.example.com',
);

/** What every engine's requests are bounded by, what a scan costs, and where callbacks may go. */
const RequestLimitsSchema = z.object({
  TRAILHOUND_MAX_WINDOW_DAYS: positiveInt(366),
  TRAILHOUND_LINK_TTL_SECONDS: positiveInt(900),
  /** A budget in bytes scanned for every execution that names none (a request's own replaces it, up to the scan cutoff). */
  TRAILHOUND_MAX_BYTES_SCANNED: optionalPositiveInt,
  /** The workgroup's cutoff: Athena cancels a query past it, so no budget may be higher. */
  TRAILHOUND_SCAN_CUTOFF_BYTES: optionalPositiveInt,
  /** Athena's price per TB (10^12 bytes) scanned, in USD, for the estimate's cost. */
  TRAILHOUND_PRICE_PER_TB_USD: z.coerce.number().positive().default(5),
  /** The origins a start's `notify.url` may name; empty: no callbacks. */
  TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: origins,
  /** The HMAC key of callbacks' signatures (on AWS the template keeps it in Secrets Manager). */
  TRAILHOUND_NOTIFY_SECRET: unlessEmpty(z.string().min(32)),
  /** Exact origins of internal web tools whose pages may call the API; empty: none. */
  TRAILHOUND_CORS_ORIGINS: CorsOriginsSchema,
  /** The API's public base URL: CSV links locally, and the links in callbacks. */
  TRAILHOUND_PUBLIC_URL: unlessEmpty(z.url()),
  /** Where a watch may send a PagerDuty routing key: PagerDuty's Events API origins. */
  TRAILHOUND_PAGERDUTY_ORIGINS: list.default([
    'https://events.pagerduty.com',
    'https://events.eu.pagerduty.com',
  ]),
  /** The most watches a deployment keeps (POST /v1/watches refuses one more, 422). */
  TRAILHOUND_MAX_WATCHES: positiveInt(50),
});

export const DuckDbConfigSchema = RequestLimitsSchema.extend({
  TRAILHOUND_ENGINE: z.literal('duckdb'),
  TRAILHOUND_LOGS_DIR: z.string().min(1).default(SAMPLE_LOGS_DIR),
  TRAILHOUND_RESULTS_DIR: z.string().min(1).default(path.join(repoRoot, '.trailhound/results')),
  TRAILHOUND_STORE_DIR: z.string().min(1).default(path.join(repoRoot, '.trailhound/store')),
  /** How long an execution's result files are kept (an ISO 8601 duration), as the results bucket's lifecycle on AWS. */
  TRAILHOUND_RESULTS_RETENTION: z
    .string()
    .default('P30D')
    .refine(
      (text) => (parseIsoDuration(text) ?? 0) >= 3_600_000,
      'an ISO 8601 duration of an hour or more, such as P30D',
    ),
  /** Watches and the findings they delivered: kept across restarts. */
  TRAILHOUND_STATE_DIR: z.string().min(1).default(path.join(repoRoot, '.trailhound/state')),
  /** `background`: the server compacts closed days into the store; `off`: only `npm run compact` does. */
  TRAILHOUND_COMPACT: z.enum(['background', 'off']).default('background'),
  /**
   * `on`: a query with partial results (the sweep) keeps those of each compacted file beside the
   * store and answers midnight-to-midnight windows from them; `off`: it runs its one statement.
   */
  TRAILHOUND_KEEP_PARTIALS: z.enum(['on', 'off']).default('on'),
  TRAILHOUND_MAX_CONCURRENT: positiveInt(2),
  /** Executions that may wait for a turn; beyond them a start is refused with 429. */
  TRAILHOUND_MAX_QUEUED: positiveInt(100),
  /** A running execution is stopped, FAILED, after this long (Athena's own limit is 30 minutes). */
  TRAILHOUND_EXECUTION_TIMEOUT_SECONDS: positiveInt(1800),
  TRAILHOUND_SIGNING_KEY: z.string().min(32).optional(),
  /** CloudTrail's public keys, the JSON `aws cloudtrail list-public-keys` prints: digests verify with them. */
  TRAILHOUND_CLOUDTRAIL_PUBLIC_KEYS: z.string().min(1).default(SAMPLE_PUBLIC_KEYS),
  /** The Ed25519 private key (PEM) evidence is signed with; made there, mode 0600, on first use. */
  TRAILHOUND_EVIDENCE_KEY: unlessEmpty(z.string().min(1)),
  /** The most bytes of log files (gzipped) one integrity check may hash: some 8 minutes on two cores. */
  TRAILHOUND_INTEGRITY_MAX_BYTES: positiveInt(20_000_000_000),
  /** The trail's bucket: a digest naming another one was moved. Unset: not compared. */
  TRAILHOUND_LOG_BUCKET: unlessEmpty(z.string().min(3).max(63)),
});

export const AthenaConfigSchema = RequestLimitsSchema.extend({
  TRAILHOUND_ENGINE: z.literal('athena'),
  TRAILHOUND_ATHENA_WORKGROUP: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/)
    .default('trailhound'),
  TRAILHOUND_ATHENA_DATABASE: z
    .string()
    .regex(/^[a-z0-9_]{1,255}$/)
    .default('trailhound'),
  TRAILHOUND_ATHENA_CATALOG: z.string().min(1).max(256).default('AwsDataCatalog'),
  /** How long throttled AWS calls are retried, well within a Lambda's 29 s behind API Gateway. */
  TRAILHOUND_AWS_RETRY_MS: positiveInt(8000),
  /** Principals (ARNs, or apiKey:<id>) who may read and cancel every caller's executions. */
  TRAILHOUND_AUDITORS: list,
  /** The trail's bucket and prefix: a dry run lists the window's partitions there to estimate. */
  TRAILHOUND_LOG_BUCKET: unlessEmpty(z.string().min(3).max(63)),
  TRAILHOUND_LOG_PREFIX: z
    .string()
    .regex(/^AWSLogs\/(o-[a-z0-9]{10,32}\/)?$/)
    .default('AWSLogs/'),
  /** The accounts and regions the table's partitions project (the template sets both). */
  TRAILHOUND_ACCOUNTS: list,
  TRAILHOUND_REGIONS: list,
  /** The Secrets Manager secret holding the callbacks' HMAC key (the template creates it). */
  TRAILHOUND_NOTIFY_SECRET_ARN: unlessEmpty(
    z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/),
  ),
  /** The columnar copy's bucket (the template creates it): executions read its compacted days. */
  TRAILHOUND_STORE_BUCKET: unlessEmpty(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)),
  /** The workgroup compactions run in (the template makes one without a scan cutoff); default: the API's. */
  TRAILHOUND_COMPACT_WORKGROUP: unlessEmpty(z.string().regex(/^[A-Za-z0-9._-]{1,128}$/)),
  /**
   * UNLOADs a compaction runs at once, each of up to 100 partitions of a day. Each counts against
   * the account's quota of DML queries running at once (20 to 25 by default), shared with the API's.
   */
  TRAILHOUND_COMPACT_CONCURRENCY: positiveInt(8),
  /** At most this many S3 listings per estimate; a window that needs more is refused (422). */
  TRAILHOUND_ESTIMATE_MAX_CALLS: positiveInt(2000),
  /** The bucket of Athena's results (the template's): integrity checks are kept there too. */
  TRAILHOUND_RESULTS_BUCKET: unlessEmpty(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)),
  /** The function that runs integrity checks (the template's runIntegrityCheck); unset: the process that starts one runs it. */
  TRAILHOUND_INTEGRITY_FUNCTION: unlessEmpty(z.string().regex(/^[A-Za-z0-9_:.-]{1,140}$/)),
  /**
   * The most bytes of log files (gzipped) one integrity check may hash: a check runs in one
   * function invocation, 15 minutes at most (see README, Evidence).
   */
  TRAILHOUND_INTEGRITY_MAX_BYTES: positiveInt(10_000_000_000),
  /** The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) evidence is signed with: id, ARN or alias (the template makes one). */
  /** The DynamoDB table watches and their delivered keys are kept in (the template's WatchesTable); unset: no watches. */
  TRAILHOUND_WATCHES_TABLE: unlessEmpty(z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/)),
  /** Where the secrets a watch names are in Secrets Manager: `<prefix><name>` (a PagerDuty routing key). */
  TRAILHOUND_WATCH_SECRETS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{0,256}$/)
    .default('trailhound/watches/'),
  TRAILHOUND_EVIDENCE_KMS_KEY: unlessEmpty(
    z
      .string()
      .regex(
        /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f-]{36}|mrk-[0-9a-f]{32})$/,
      ),
  ),
});

const ConfigSchema = z.discriminatedUnion('TRAILHOUND_ENGINE', [DuckDbConfigSchema, AthenaConfigSchema]);

/** Where `npm start` listens: the local server's own settings, not an engine's. */
export const ServerConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
});

export type Config = z.infer<typeof ConfigSchema>;
export type DuckDbConfig = z.infer<typeof DuckDbConfigSchema>;
export type AthenaConfig = z.infer<typeof AthenaConfigSchema>;
export type RequestLimits = z.infer<typeof RequestLimitsSchema>;
export type ServerConfig = z.infer<typeof ServerConfigSchema>;
export type EngineName = Config['TRAILHOUND_ENGINE'];

const parse = <Schema extends z.ZodType>(schema: Schema, env: unknown): z.infer<Schema> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || 'TRAILHOUND_ENGINE'}: ${issue.message}`,
    );
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
};

/**
 * The configuration in `env`. Without TRAILHOUND_ENGINE it is `defaultEngine` when one is given
 * (the local server's), and an error otherwise (Lambda, where the template must say).
 */
export const loadConfig = (
  env: Record<string, string | undefined> = process.env,
  options: { defaultEngine?: EngineName } = {},
): Config =>
  parse(ConfigSchema, {
    ...env,
    TRAILHOUND_ENGINE: env.TRAILHOUND_ENGINE ?? options.defaultEngine,
  });

/** The settings of one engine, whatever TRAILHOUND_ENGINE says: for code that makes that engine. */
export const loadDuckDbConfig = (env: Record<string, string | undefined>): DuckDbConfig =>
  parse(DuckDbConfigSchema, { ...env, TRAILHOUND_ENGINE: 'duckdb' });

export const loadAthenaConfig = (env: Record<string, string | undefined>): AthenaConfig =>
  parse(AthenaConfigSchema, { ...env, TRAILHOUND_ENGINE: 'athena' });

export const loadServerConfig = (env: Record<string, string | undefined> = process.env): ServerConfig =>
  parse(ServerConfigSchema, env);

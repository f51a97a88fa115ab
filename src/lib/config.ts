/**
 * Configuration, read once from the environment and validated, so that a typo in a variable fails
 * at start-up with a clear message instead of at the first request. TRAILHOUND_ENGINE chooses the
 * engine and with it which other settings apply: each engine has its own, in its own schema. The
 * local server defaults to the embedded engine; on Lambda the template sets `athena` explicitly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigurationError } from './errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundled sample: a real attack simulation recorded by CloudTrail (MIT, see its LICENSE). */
export const SAMPLE_LOGS_DIR = path.join(repoRoot, 'data/cloudtrail/invictus-attack-simulation');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** What every engine's requests are bounded by. */
const RequestLimitsSchema = z.object({
  TRAILHOUND_MAX_WINDOW_DAYS: positiveInt(366),
  TRAILHOUND_LINK_TTL_SECONDS: positiveInt(900),
});

export const DuckDbConfigSchema = RequestLimitsSchema.extend({
  TRAILHOUND_ENGINE: z.literal('duckdb'),
  TRAILHOUND_LOGS_DIR: z.string().min(1).default(SAMPLE_LOGS_DIR),
  TRAILHOUND_RESULTS_DIR: z.string().min(1).default(path.join(repoRoot, '.trailhound/results')),
  TRAILHOUND_STORE_DIR: z.string().min(1).default(path.join(repoRoot, '.trailhound/store')),
  /** `background`: the server compacts closed days into the store; `off`: only `npm run compact` does. */
  TRAILHOUND_COMPACT: z.enum(['background', 'off']).default('background'),
  TRAILHOUND_MAX_CONCURRENT: positiveInt(2),
  /** Executions that may wait for a turn; beyond them a start is refused with 429. */
  TRAILHOUND_MAX_QUEUED: positiveInt(100),
  /** A running execution is stopped, FAILED, after this long (Athena's own limit is 30 minutes). */
  TRAILHOUND_EXECUTION_TIMEOUT_SECONDS: positiveInt(1800),
  TRAILHOUND_SIGNING_KEY: z.string().min(32).optional(),
  TRAILHOUND_PUBLIC_URL: z.url().optional(),
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
  TRAILHOUND_AUDITORS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
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

/**
 * Runtime configuration, read once from the environment and validated, so that a typo in a
 * variable fails at start-up with a clear message instead of at the first request.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundled sample: a real attack simulation recorded by CloudTrail (MIT, see its LICENSE). */
export const SAMPLE_LOGS_DIR = path.join(repoRoot, 'data/cloudtrail/invictus-attack-simulation');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const ConfigSchema = z.object({
  TRAILHOUND_ENGINE: z.enum(['duckdb', 'athena']).default('duckdb'),
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
  TRAILHOUND_LOGS_DIR: z.string().min(1).default(SAMPLE_LOGS_DIR),
  TRAILHOUND_RESULTS_DIR: z.string().min(1).default(path.join(repoRoot, '.trailhound/results')),
  TRAILHOUND_MAX_WINDOW_DAYS: positiveInt(366),
  TRAILHOUND_LINK_TTL_SECONDS: positiveInt(900),
  TRAILHOUND_MAX_CONCURRENT: positiveInt(2),
  TRAILHOUND_SIGNING_KEY: z.string().min(32).optional(),
  TRAILHOUND_PUBLIC_URL: z.url().optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
});

export type Config = z.infer<typeof ConfigSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
};

/**
 * `trailhound smoke`: after a deploy, is the API there and does it answer as it should? Each check
 * is a real call, its answer's shape checked, and one line printed with its time: health, the
 * query catalog, the OpenAPI document, a dry run, one small execution over the last hour (its
 * first page and its CSV link fetched), and a second execution cancelled. Every check runs even
 * when one before it fails, except after an unreachable health check: then nothing else can pass.
 * The result is the exit code: 0 when every check passed, 1 otherwise.
 */
import { z } from 'zod';
import type { ApiClient } from '../apiClient.js';
import { EndpointUnavailableError } from '../errors.js';
import { type Terminal, writeTo } from '../output.js';
import { executionPath, waitForExecution } from '../waitForExecution.js';

const HealthSchema = z.object({ status: z.literal('ok'), engine: z.string() });
const CatalogSchema = z.object({ queries: z.array(z.object({ name: z.string() })).min(1) });
const OpenApiSchema = z.object({
  openapi: z.string().regex(/^3\.1\./),
  paths: z.record(z.string(), z.unknown()).refine((p) => '/v1/executions' in p, 'a path /v1/executions'),
});
const DryRunSchema = z.object({
  dryRun: z.literal(true),
  estimate: z.object({ bytesScanned: z.number().nonnegative(), files: z.number().nonnegative() }),
});
const StartedSchema = z.object({ executionId: z.string().min(1), state: z.string() });
const PageSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.unknown())),
});
const CancelledSchema = z.object({ state: z.literal('CANCELLED') });

/** The small question each execution asks: events per hour over the last hour, all principals. */
const lastHour = (now: Date) => ({
  query: 'activity-timeline',
  parameters: { granularity: 'hour' },
  from: new Date(now.getTime() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  to: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  label: 'trailhound-smoke',
});

class CheckFailed extends Error {}

/** The answer's body as `schema` says it must be, or a failure saying what it was not. */
const shaped = <T>(schema: z.ZodType<T>, body: unknown, what: string): T => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new CheckFailed(`${what} is not trailhound's answer (${where}${issue?.message ?? 'unexpected'})`);
};

interface Check {
  readonly name: string;
  /** What was seen, in a few words. */
  run(): Promise<string>;
}

const checksOf = (api: ApiClient, now: Date): Check[] => {
  let executionId: string | undefined;
  return [
    {
      name: 'health',
      run: async () =>
        `engine ${shaped(HealthSchema, (await api.get('/health')).body, 'GET /health').engine}`,
    },
    {
      name: 'catalog',
      run: async () =>
        `${shaped(CatalogSchema, (await api.get('/v1/queries')).body, 'GET /v1/queries').queries.length} queries`,
    },
    {
      name: 'openapi',
      run: async () => {
        const document = shaped(
          OpenApiSchema,
          (await api.get('/v1/openapi.json')).body,
          'GET /v1/openapi.json',
        );
        return `OpenAPI ${document.openapi}, ${Object.keys(document.paths).length} paths`;
      },
    },
    {
      name: 'dry run',
      run: async () => {
        const answer = await api.post('/v1/executions', { ...lastHour(now), dryRun: true });
        const { estimate } = shaped(DryRunSchema, answer.body, 'the dry run');
        return `${estimate.bytesScanned} bytes in ${estimate.files} files estimated`;
      },
    },
    {
      name: 'execution',
      run: async () => {
        const answer = await api.post('/v1/executions?wait=20', lastHour(now));
        const started = shaped(StartedSchema, answer.body, 'the start');
        executionId = started.executionId;
        const silent = { show: () => {}, stop: () => {} };
        const ended = await waitForExecution(
          api,
          executionId,
          silent,
          answer.status === 202 ? '1' : undefined,
        );
        return `${ended.state}, ${ended.statistics.bytesScanned} bytes scanned (${executionId})`;
      },
    },
    {
      name: 'first page',
      run: async () => {
        if (!executionId) throw new CheckFailed('no execution to read: the execution check failed');
        const page = shaped(
          PageSchema,
          (await api.get(`${executionPath(executionId)}/results?limit=10`)).body,
          'the first page',
        );
        return `${page.rows.length} rows, ${page.columns.length} columns`;
      },
    },
    {
      name: 'csv link',
      run: async () => {
        if (!executionId) throw new CheckFailed('no execution to read: the execution check failed');
        const link = await api.redirectOf(`${executionPath(executionId)}/csv`);
        const file = await api.download(link);
        const text = await file.text();
        const header = text.split('\n', 1)[0] ?? '';
        if (!header.startsWith('"'))
          throw new CheckFailed(`the CSV link gave no CSV: ${header.slice(0, 60)}`);
        return `${Buffer.byteLength(text)} bytes of CSV from ${link.host}`;
      },
    },
    {
      name: 'cancel',
      run: async () => {
        const started = shaped(
          StartedSchema,
          (await api.post('/v1/executions', lastHour(now))).body,
          'the start',
        );
        try {
          const cancelled = await api.delete(executionPath(started.executionId));
          shaped(CancelledSchema, cancelled.body, 'the cancel');
          return `CANCELLED (${started.executionId})`;
        } catch (error) {
          // A small question can end before the cancel reaches it: the API then says 409.
          if ((error as { status?: number }).status === 409)
            return `ended before the cancel reached it (409)`;
          throw error;
        }
      },
    },
  ];
};

const elapsed = (since: number) => `${Math.round(performance.now() - since)} ms`;

export const smoke = async (api: ApiClient, terminal: Terminal, now = new Date()): Promise<0 | 1> => {
  await writeTo(terminal.stdout, `smoke test of ${api.endpoint.href}\n`);
  const checks = checksOf(api, now);
  let failed = 0;
  let unreachable = false;
  for (const check of checks) {
    const started = performance.now();
    let line: string;
    if (unreachable) {
      failed += 1;
      line = `SKIP  ${check.name.padEnd(11)}  the endpoint did not answer the health check`;
    } else {
      try {
        const seen = await check.run();
        line = `ok    ${check.name.padEnd(11)}  ${elapsed(started).padStart(8)}  ${seen}`;
      } catch (error) {
        failed += 1;
        unreachable ||= check.name === 'health' && error instanceof EndpointUnavailableError;
        const message = (error as Error).message.split('\n').join(' ');
        line = `FAIL  ${check.name.padEnd(11)}  ${elapsed(started).padStart(8)}  ${message}`;
      }
    }
    await writeTo(terminal.stdout, `${line}\n`);
  }
  await writeTo(
    terminal.stdout,
    failed === 0 ? `all ${checks.length} checks passed\n` : `${failed} of ${checks.length} checks failed\n`,
  );
  return failed === 0 ? 0 : 1;
};

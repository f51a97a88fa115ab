/**
 * Asks the running server one question as a client would: POST /v1/executions?wait=25, which
 * answers when the execution ends if it ends within 25 s (the server's cap), else poll
 * GET /v1/executions/{id} until it ends, then read every page of results. The time is taken from the POST to the last page;
 * the execution's statistics (bytes scanned, engine time, days compacted and raw) come along.
 */

export interface EngineAnswer {
  readonly ms: number;
  readonly rows: readonly Record<string, unknown>[];
  readonly bytesScanned: number;
  readonly engineMs: number;
  /** Days of one account and region read from the columnar store and from raw files. */
  readonly days?: ScanDays;
}

export interface ScanDays {
  readonly compacted: number;
  readonly raw: number;
}

interface Execution {
  executionId: string;
  state: string;
  statistics?: { bytesScanned?: number; engineMs?: number; progressPercent?: number; days?: ScanDays };
  error?: { category: string; message: string };
}

const json = async <T>(response: Response, what: string): Promise<T> => {
  const body = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${body.slice(0, 1000)}`);
  return JSON.parse(body) as T;
};

const POLL_MS = 250;
const WAIT_SECONDS = 25;

export const askEngine = async (
  baseUrl: string,
  request: { query: string; parameters: unknown; from: string; to: string },
  options: { timeoutMs: number; onWait?: (elapsedMs: number, progress?: number) => void },
): Promise<EngineAnswer> => {
  const started = performance.now();
  const first = await json<Execution>(
    await fetch(`${baseUrl}/v1/executions?wait=${WAIT_SECONDS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    }),
    `POST ${request.query}`,
  );
  const { executionId } = first;
  let execution: Execution = first;
  let lastNote = performance.now();
  while (['QUEUED', 'RUNNING'].includes(execution.state)) {
    execution = await json<Execution>(
      await fetch(`${baseUrl}/v1/executions/${executionId}`),
      'GET execution',
    );
    if (!['QUEUED', 'RUNNING'].includes(execution.state)) break;
    const elapsed = performance.now() - started;
    if (elapsed > options.timeoutMs) {
      await fetch(`${baseUrl}/v1/executions/${executionId}`, { method: 'DELETE' });
      throw new Error(
        `${request.query}: still ${execution.state} after ${(elapsed / 1000).toFixed(0)} s; cancelled`,
      );
    }
    if (performance.now() - lastNote > 30_000) {
      lastNote = performance.now();
      options.onWait?.(elapsed, execution.statistics?.progressPercent);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (execution.state !== 'SUCCEEDED') {
    throw new Error(`${request.query}: ${execution.state} ${JSON.stringify(execution.error ?? {})}`);
  }
  const rows: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '1000', ...(nextToken ? { nextToken } : {}) });
    const page = await json<{ rows: Record<string, unknown>[]; nextToken?: string }>(
      await fetch(`${baseUrl}/v1/executions/${executionId}/results?${query}`),
      'GET results',
    );
    rows.push(...page.rows);
    nextToken = page.nextToken;
  } while (nextToken);
  return {
    ms: performance.now() - started,
    rows,
    bytesScanned: execution.statistics?.bytesScanned ?? 0,
    engineMs: execution.statistics?.engineMs ?? 0,
    ...(execution.statistics?.days ? { days: execution.statistics.days } : {}),
  };
};

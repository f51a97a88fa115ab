/**
 * Asks the running server one question as a client would: POST /v1/executions?wait=25, which
 * answers when the execution ends if it ends within 25 s (the server's cap), else poll
 * GET /v1/executions/{id} until it ends, then read every page of results (or, with `answer: 'csv'`,
 * download the CSV as a ticketing system attaching it would: GET /v1/executions/{id}/csv and the
 * signed link it names). The time is taken from the POST to the last page or byte; the execution's
 * statistics (bytes scanned, engine time, days compacted and raw) come along.
 */

export interface EngineAnswer {
  readonly ms: number;
  /** The rows read from the pages; none for a CSV answer, whose rows are only counted. */
  readonly rows: readonly Record<string, unknown>[];
  readonly rowCount: number;
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
  options: {
    timeoutMs: number;
    onWait?: (elapsedMs: number, progress?: number) => void;
    answer?: 'pages' | 'csv';
  },
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
  const statistics = {
    bytesScanned: execution.statistics?.bytesScanned ?? 0,
    engineMs: execution.statistics?.engineMs ?? 0,
    ...(execution.statistics?.days ? { days: execution.statistics.days } : {}),
  };
  if (options.answer === 'csv') {
    const response = await fetch(`${baseUrl}/v1/executions/${executionId}/csv`);
    const csv = await response.text();
    if (!response.ok) throw new Error(`GET csv: HTTP ${response.status} ${csv.slice(0, 1000)}`);
    return { ms: performance.now() - started, rows: [], rowCount: csvRecords(csv) - 1, ...statistics };
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
  return { ms: performance.now() - started, rows, rowCount: rows.length, ...statistics };
};

/** Records of a CSV text (RFC 4180: a line break inside quotes is part of its field). */
export const csvRecords = (csv: string): number => {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i += 1) {
    const c = csv.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) records += 1;
  }
  return csv.length > 0 && !csv.endsWith('\n') ? records + 1 : records;
};

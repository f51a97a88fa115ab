/** Small helpers for talking to the API over HTTP in tests. */

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  readonly body: any;
}

export const call = async (
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const answer = {
    status: response.status,
    headers: response.headers,
    body: type.includes('json') ? JSON.parse(text) : text,
  };
  ANSWERS.push({ method, path, status: answer.status, contentType: type, body: answer.body });
  return answer;
};

/** Every answer `call` received in this test file, for checking against the OpenAPI document. */
export const ANSWERS: { method: string; path: string; status: number; contentType: string; body: unknown }[] =
  [];

/** Starts an execution, waits for it, and reads every page of its results. */
export const runToEnd = async (
  baseUrl: string,
  request: Record<string, unknown>,
  limit = 1000,
): Promise<{
  execution: ApiResponse;
  columns: unknown;
  rows: Record<string, unknown>[];
  pages: number;
}> => {
  let execution = await call(baseUrl, 'POST', '/v1/executions?wait=20', request);
  // A loaded machine (CI runs the projects side by side) can take longer than the wait: follow it
  // to its end as a client would, then answer as the POST would have, with the first page inline.
  const deadline = Date.now() + 10 * 60_000;
  while (execution.status === 202 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = await call(baseUrl, 'GET', `/v1/executions/${execution.body.executionId}`);
    if (current.status !== 200) throw new Error(`execution lookup failed: ${current.status}`);
    if (['QUEUED', 'RUNNING'].includes(current.body.state)) continue;
    const first = await call(
      baseUrl,
      'GET',
      `/v1/executions/${execution.body.executionId}/results?limit=100`,
    );
    execution = {
      ...current,
      body: { ...current.body, ...(first.status === 200 ? { results: first.body } : {}) },
    };
  }
  if (execution.status !== 200 || execution.body.state !== 'SUCCEEDED') {
    throw new Error(`execution did not succeed: ${execution.status} ${JSON.stringify(execution.body)}`);
  }
  const rows: Record<string, unknown>[] = [];
  let columns: unknown;
  let pages = 0;
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(token ? { nextToken: token } : {}) });
    const page = await call(baseUrl, 'GET', `/v1/executions/${execution.body.executionId}/results?${query}`);
    if (page.status !== 200)
      throw new Error(`results page failed: ${page.status} ${JSON.stringify(page.body)}`);
    rows.push(...page.body.rows);
    columns ??= page.body.columns;
    token = page.body.nextToken;
    pages += 1;
  } while (token);
  return { execution, columns, rows, pages };
};

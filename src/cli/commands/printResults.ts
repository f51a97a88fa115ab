/**
 * Every row of a SUCCEEDED execution, paged from GET /v1/executions/{id}/results 1,000 rows at a
 * time and printed page by page in the format asked; then its warnings, and on a terminal a
 * closing line with the row count and the execution id.
 */
import type { Execution } from '../../lib/engines/queryEngine.js';
import { PageAnswer } from '../answers.js';
import type { ApiClient } from '../apiClient.js';
import type { ResultFormat } from '../args.js';
import { type Terminal, writeTo } from '../output.js';
import { formatBytes } from '../progress.js';
import { createResultPrinter } from '../resultPrinters.js';
import { executionPath } from '../waitForExecution.js';

/** The most rows GET …/results gives in one page. */
const PAGE_SIZE = 1000;

export const printResults = async (
  api: ApiClient,
  terminal: Terminal,
  execution: Execution,
  format: ResultFormat | undefined,
): Promise<void> => {
  const { stdout, stderr } = terminal;
  const printer = createResultPrinter(format ?? (stdout.isTTY ? 'table' : 'ndjson'), stdout, { execution });
  let rows = 0;
  let nextToken: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(nextToken ? { nextToken } : {}) });
    const page = await api.get(`${executionPath(execution.executionId)}/results?${query}`, PageAnswer);
    await printer.page(page.body.columns, page.body.rows);
    rows += page.body.rows.length;
    nextToken = page.body.nextToken;
  } while (nextToken);
  await printer.end();
  for (const warning of execution.warnings ?? []) await writeTo(stderr, `warning: ${warning}\n`);
  if (stderr.isTTY) {
    await writeTo(
      stderr,
      `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'} · ${formatBytes(
        execution.statistics.bytesScanned,
      )} scanned · execution ${execution.executionId}\n`,
    );
  }
};

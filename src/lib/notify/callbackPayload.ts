/**
 * What a callback says: which execution ended and how (with the verdict on its logs where it
 * verified them, and its warnings), with links to read it. Links are
 * absolute when the deployment knows its public address (TRAILHOUND_PUBLIC_URL, which the
 * template sets to the API's URL), and paths on the API otherwise.
 */
import type { Execution } from '../engines/queryEngine.js';

export const callbackPayload = (
  execution: Execution,
  options: { publicUrl?: string | undefined; rowCount?: number | undefined },
) => {
  const base = `${(options.publicUrl ?? '').replace(/\/$/, '')}/v1/executions/${execution.executionId}`;
  return {
    type: 'execution.ended',
    executionId: execution.executionId,
    ...(execution.label ? { label: execution.label } : {}),
    query: execution.query,
    state: execution.state,
    submittedAt: execution.submittedAt,
    ...(execution.completedAt ? { completedAt: execution.completedAt } : {}),
    ...(execution.window ? { window: execution.window } : {}),
    ...(options.rowCount !== undefined ? { rowCount: options.rowCount } : {}),
    bytesScanned: execution.statistics.bytesScanned,
    // An execution that verified its logs: the verdict, and what failed when it is not intact.
    ...(execution.statistics.integrity ? { integrity: execution.statistics.integrity } : {}),
    ...(execution.warnings ? { warnings: execution.warnings } : {}),
    ...(execution.error ? { error: execution.error } : {}),
    links: {
      execution: base,
      ...(execution.state === 'SUCCEEDED' ? { results: `${base}/results`, csv: `${base}/csv` } : {}),
    },
  };
};

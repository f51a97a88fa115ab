/**
 * `trailhound status ID`: an execution as GET /v1/executions/{id} gives it, one field a line (or
 * the JSON document). An execution that ended FAILED or CANCELLED makes it exit 4.
 */
import type { Execution } from '../../lib/engines/queryEngine.js';
import { ExecutionAnswer } from '../answers.js';
import type { ApiClient } from '../apiClient.js';
import type { Command } from '../args.js';
import { resolveExecutionId } from '../executionIds.js';
import { type Terminal, writeTo } from '../output.js';
import { executionPath, succeeded } from '../waitForExecution.js';

type StatusCommand = Extract<Command, { name: 'status' }>;

const count = (n: number) => n.toLocaleString('en-US');

/** The fields worth reading, in the order one reads them, without the ones absent. */
const statusLines = (execution: Execution): string => {
  const { statistics: s } = execution;
  const fields: [string, string | undefined][] = [
    ['execution', execution.executionId],
    ['query', execution.query],
    ['label', execution.label],
    ['state', execution.state],
    ['window', execution.window ? `${execution.window.from} to ${execution.window.to}` : undefined],
    ['submitted', execution.submittedAt],
    ['completed', execution.completedAt],
    [
      'scanned',
      `${count(s.bytesScanned)} bytes${
        s.estimatedBytesScanned !== undefined ? ` (estimated ${count(s.estimatedBytesScanned)})` : ''
      }`,
    ],
    ['engine', `${count(s.engineMs)} ms${s.queueMs !== undefined ? `, ${count(s.queueMs)} ms queued` : ''}`],
    ['progress', s.progressPercent !== undefined ? `${s.progressPercent}%` : undefined],
    ['days', s.days ? `${s.days.compacted} compacted, ${s.days.raw} raw` : undefined],
    ['error', execution.error ? `${execution.error.category}: ${execution.error.message}` : undefined],
    ...(execution.warnings ?? []).map((w): [string, string] => ['warning', w]),
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `${name.padEnd(10)}${value}\n`)
    .join('');
};

export const status = async (command: StatusCommand, api: ApiClient, terminal: Terminal): Promise<void> => {
  const id = await resolveExecutionId(api, command.id, 'status');
  const { body: execution } = await api.get(executionPath(id), ExecutionAnswer);
  await writeTo(
    terminal.stdout,
    command.format === 'json' ? `${JSON.stringify(execution, null, 2)}\n` : statusLines(execution),
  );
  succeeded(execution);
};

/** `trailhound results ID`: every row of an execution, after waiting for it if it still runs. */
import type { ApiClient } from '../apiClient.js';
import type { Command } from '../args.js';
import { resolveExecutionId } from '../executionIds.js';
import type { Terminal } from '../output.js';
import { createProgress } from '../progress.js';
import { waitForExecution } from '../waitForExecution.js';
import { printResults } from './printResults.js';

type ResultsCommand = Extract<Command, { name: 'results' }>;

export const results = async (command: ResultsCommand, api: ApiClient, terminal: Terminal): Promise<void> => {
  const id = await resolveExecutionId(api, command.id, 'results');
  const execution = await waitForExecution(api, id, createProgress(terminal.stderr));
  await printResults(api, terminal, execution, command.format);
};

/**
 * `trailhound csv ID`: the execution's CSV file on stdout. GET …/csv answers 303 with a signed
 * link (an S3 presigned URL on AWS); the link is fetched as it is, without SigV4, since its
 * signature is in the URL and S3 would refuse a second one.
 */
import type { ApiClient } from '../apiClient.js';
import type { Command } from '../args.js';
import { resolveExecutionId } from '../executionIds.js';
import { type Terminal, writeTo } from '../output.js';
import { createProgress } from '../progress.js';
import { executionPath, waitForExecution } from '../waitForExecution.js';

type CsvCommand = Extract<Command, { name: 'csv' }>;

export const csv = async (command: CsvCommand, api: ApiClient, terminal: Terminal): Promise<void> => {
  const id = await resolveExecutionId(api, command.id, 'csv');
  await waitForExecution(api, id, createProgress(terminal.stderr));
  const link = await api.redirectOf(`${executionPath(id)}/csv`);
  const file = await api.download(link);
  if (!file.body) return;
  for await (const chunk of file.body) await writeTo(terminal.stdout, chunk);
};

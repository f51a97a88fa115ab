/**
 * `trailhound watches ACTION`: the watches of an API. `list` one a line (id, label, query, every,
 * next run, last run and what it delivered), `show ID` one field a line, `create QUERY --every
 * … --notify URL` makes one (parameters typed from the catalog as `ask` types them), `delete ID`,
 * and `run ID` runs one now and prints its execution's id. --format json prints the API's
 * documents instead.
 */
import { z } from 'zod';
import { CatalogAnswer } from '../answers.js';
import type { ApiClient } from '../apiClient.js';
import type { Command } from '../args.js';
import { type Terminal, writeTo } from '../output.js';
import { type JsonSchema, typedParameters } from '../parameters.js';

type WatchesCommand = Extract<Command, { name: 'watches' }>;

const WatchAnswer = z.looseObject({
  watchId: z.string().min(1),
  label: z.string().optional(),
  query: z.string(),
  every: z.string(),
  lookback: z.string(),
  notify: z.looseObject({ url: z.string(), format: z.string() }),
  nextRunAt: z.string(),
  running: z.looseObject({ since: z.string(), executionId: z.string().optional() }).optional(),
  lastRun: z
    .looseObject({
      state: z.string(),
      startedAt: z.string(),
      executionId: z.string().optional(),
      findings: z.number().optional(),
      newFindings: z.number().optional(),
      delivered: z.number().optional(),
      pending: z.number().optional(),
      error: z.string().optional(),
      deliveryError: z.string().optional(),
    })
    .optional(),
  totals: z.looseObject({
    runs: z.number(),
    failedRuns: z.number(),
    findingsDelivered: z.number(),
    pendingFindings: z.number(),
  }),
});
type Watch = z.infer<typeof WatchAnswer>;
const WatchListAnswer = z.looseObject({ watches: z.array(WatchAnswer) });
const RunAnswer = z.looseObject({ executionId: z.string().min(1) });

const lastRunText = (watch: Watch): string => {
  const run = watch.lastRun;
  if (watch.running) return `running since ${watch.running.since}`;
  if (!run) return 'not run yet';
  const counts =
    run.state === 'SUCCEEDED'
      ? `: ${run.newFindings ?? 0} new, ${run.delivered ?? 0} delivered${run.pending ? `, ${run.pending} pending` : ''}`
      : '';
  return `${run.state} at ${run.startedAt}${counts}`;
};

const lines = (watch: Watch): string => {
  const run = watch.lastRun;
  const fields: [string, string | undefined][] = [
    ['watch', watch.watchId],
    ['label', watch.label],
    ['query', watch.query],
    ['every', `${watch.every}, looking back ${watch.lookback}`],
    ['notify', `${watch.notify.url} (${watch.notify.format})`],
    ['next run', watch.nextRunAt],
    ['last run', lastRunText(watch)],
    ['execution', run?.executionId],
    ['error', run?.error],
    ['delivery', run?.deliveryError ? `failed: ${run.deliveryError}` : undefined],
    [
      'totals',
      `${watch.totals.runs} runs (${watch.totals.failedRuns} failed), ${watch.totals.findingsDelivered} findings delivered, ${watch.totals.pendingFindings} pending`,
    ],
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `${name.padEnd(11)}${value}\n`)
    .join('');
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The query's parameter schema, asked only when there are parameters to type. */
const parameterSchema = async (api: ApiClient, query: string, given: number) => {
  if (given === 0) return undefined;
  const catalog = await api.get('/v1/queries', CatalogAnswer);
  return catalog.body.queries.find((q) => q.name === query)?.parameters as JsonSchema | undefined;
};

export const watches = async (command: WatchesCommand, api: ApiClient, terminal: Terminal): Promise<void> => {
  const path = `/v1/watches${command.id ? `/${encodeURIComponent(command.id)}` : ''}`;
  const asJson = command.format === 'json';
  switch (command.action) {
    case 'list': {
      const { body } = await api.get(path, WatchListAnswer);
      if (asJson) return writeTo(terminal.stdout, json(body));
      const text = body.watches
        .map(
          (w) =>
            `${w.watchId}  ${(w.label ?? '-').padEnd(16)}  ${w.query.padEnd(22)}  every ${w.every.padEnd(6)}  next ${w.nextRunAt}  last ${lastRunText(w)}\n`,
        )
        .join('');
      return writeTo(terminal.stdout, text || 'no watches\n');
    }
    case 'show': {
      const { body } = await api.get(path, WatchAnswer);
      return writeTo(terminal.stdout, asJson ? json(body) : lines(body));
    }
    case 'create': {
      const create = command.create;
      if (!create) throw new Error('watches create without its options');
      const parameters = typedParameters(
        create.params,
        await parameterSchema(api, create.query, create.params.length),
        create.query,
      );
      const { body } = await api.post(
        path,
        {
          query: create.query,
          parameters,
          every: create.every,
          ...(create.lookback ? { lookback: create.lookback } : {}),
          notify: create.notify,
          ...(create.label ? { label: create.label } : {}),
          ...(create.accounts.length > 0 ? { accounts: create.accounts } : {}),
          ...(create.regions.length > 0 ? { regions: create.regions } : {}),
          ...(create.maxBytesScanned ? { maxBytesScanned: create.maxBytesScanned } : {}),
        },
        WatchAnswer,
      );
      return writeTo(terminal.stdout, asJson ? json(body) : lines(body));
    }
    case 'delete':
      await api.delete(path);
      return writeTo(
        terminal.stdout,
        asJson ? json({ watchId: command.id, deleted: true }) : `deleted ${command.id}\n`,
      );
    case 'run': {
      const { body } = await api.post(`${path}/runs`, undefined, RunAnswer);
      return writeTo(
        terminal.stdout,
        asJson
          ? json(body)
          : `started ${body.executionId}: trailhound status ${body.executionId}, or trailhound watches show ${command.id} once it ended\n`,
      );
    }
  }
};

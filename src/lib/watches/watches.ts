/**
 * Watches: a query run on a schedule over the last `lookback`, whose new findings are delivered
 * once. A run is an ordinary execution (labelled watch:<watchId>, listed with the others); its
 * result rows are the findings, each named by its key (findings.ts). Only keys this watch has not
 * delivered are sent; a key counts as delivered once the receiver answered 2xx, and findings whose
 * delivery failed stay pending for the next run. Two runs of one watch never overlap: a run claims
 * the watch in the store before it starts, and releases it when it ends.
 */
import { randomUUID } from 'node:crypto';
import type { RequestLimits } from '../config.js';
import { type Caller, type ExecutionRequest, isTerminal, type QueryEngine } from '../engines/queryEngine.js';
import { WatchNotFoundError, WatchRunningError } from '../errors.js';
import { estimateBeforeStart } from '../http/scanBudget.js';
import { parseIsoDuration } from '../isoDuration.js';
import { logger } from '../logging/logger.js';
import type { DeliveryOutcome } from '../notify/callbackDelivery.js';
import { deliveriesOf, type Finding } from './deliveryFormats.js';
import { findingKey } from './findings.js';
import type { WatchView } from './watchAnswers.js';
import { planRun, type WatchDefinition } from './watchDefinition.js';
import type { WatchRecord, WatchRun, WatchRunTrigger, WatchStore } from './watchStore.js';

const DAY_MS = 86_400_000;
/** Rows of one run read as findings; a run that answers more says so and delivers these. */
const MAX_FINDINGS_PER_RUN = 10_000;
/**
 * Findings kept pending at most, and their bytes (a watch is one DynamoDB item on AWS, 400 KB at
 * most): the oldest beyond are dropped, and the run says so.
 */
const MAX_PENDING = 1_000;
const MAX_PENDING_BYTES = 256_000;

/** How many of `left`, oldest first, must go for the rest to fit the bounds. */
const overflowOf = (left: readonly Finding[]): number => {
  let bytes = 0;
  let kept = 0;
  for (let i = left.length - 1; i >= 0 && kept < MAX_PENDING; i -= 1) {
    bytes += JSON.stringify(left[i]).length;
    if (bytes > MAX_PENDING_BYTES) break;
    kept += 1;
  }
  return left.length - kept;
};
const PAGE = 1000;

export interface WatchesOptions {
  readonly store: WatchStore;
  readonly engine: QueryEngine;
  readonly limits: RequestLimits;
  readonly maxWatches: number;
  /** POSTs a delivery's body to the watch's URL: retried with backoff, signed (callbackDelivery.ts). */
  readonly send: (url: string, body: unknown, deliveryId: string) => Promise<DeliveryOutcome>;
  /** The value of the secret `name`, or undefined when the deployment has none of that name. */
  readonly secret: (name: string) => Promise<string | undefined>;
  /** Whether the secret `name` exists, without reading it (a watch is checked when made). */
  readonly secretExists?: (name: string) => Promise<boolean>;
  /** The API's base URL, for links in deliveries (callbacks' rule). */
  readonly publicUrl?: () => string | undefined;
  readonly now?: () => number;
  /** How often a run looks at its execution (200 ms). */
  readonly pollMs?: number;
  /**
   * Whether a run follows its execution in this process until it ends (the local server). On
   * Lambda a function ends with its answer: the scheduled function finishes runs (resume).
   */
  readonly follow?: boolean;
}

/** A claim that never got its execution started (its function stopped) is given up after this. */
const STALE_CLAIM_MS = 10 * 60_000;
/** A run being finished by another process is taken over after this (its function stopped). */
const STALE_FINISH_MS = 15 * 60_000;

/** A watch as the API shows it. */
const watchView = (record: WatchRecord): WatchView => ({
  watchId: record.watchId,
  ...(record.definition.label ? { label: record.definition.label } : {}),
  query: record.definition.query,
  parameters: record.definition.parameters,
  ...(record.definition.accounts ? { accounts: record.definition.accounts } : {}),
  ...(record.definition.regions ? { regions: record.definition.regions } : {}),
  every: record.definition.every,
  lookback: record.definition.lookback,
  notify: record.definition.notify,
  ...(record.definition.maxBytesScanned ? { maxBytesScanned: record.definition.maxBytesScanned } : {}),
  ...(record.owner ? { owner: record.owner } : {}),
  createdAt: record.createdAt,
  nextRunAt: record.nextRunAt,
  ...(record.running ? { running: record.running } : {}),
  ...(record.lastRun ? { lastRun: record.lastRun } : {}),
  totals: { ...record.totals, pendingFindings: record.pending.length },
});

const iso = (ms: number) => new Date(ms).toISOString();

export class Watches {
  readonly #runs = new Set<Promise<void>>();
  readonly #now: () => number;
  /** Told when a watch is made: its first run is due at once (the scheduler looks then). */
  #onCreated: (() => void) | undefined;

  constructor(private readonly options: WatchesOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** `listener` is called when a watch is made (the scheduler runs what is due then). */
  whenCreated(listener: () => void): void {
    this.#onCreated = listener;
  }

  /** Whether the deployment holds the secret `name` (a PagerDuty routing key). */
  async hasSecret(name: string): Promise<boolean> {
    if (this.options.secretExists) return this.options.secretExists(name);
    return (await this.options.secret(name)) !== undefined;
  }

  /** Makes a watch of a checked definition; its first run is due at once. @throws WatchLimitError */
  async create(definition: WatchDefinition, owner: string | undefined): Promise<WatchView> {
    const now = this.#now();
    const record: WatchRecord = {
      watchId: randomUUID(),
      createdAt: iso(now),
      ...(owner ? { owner } : {}),
      definition,
      nextRunAt: iso(now),
      totals: { runs: 0, failedRuns: 0, findingsDelivered: 0 },
      pending: [],
    };
    await this.options.store.create(record, this.options.maxWatches);
    logger.info('watch created', {
      watchId: record.watchId,
      query: definition.query,
      every: definition.every,
    });
    this.#onCreated?.();
    return watchView(record);
  }

  async list(): Promise<WatchView[]> {
    return (await this.options.store.list()).map(watchView);
  }

  /** @throws WatchNotFoundError */
  async get(watchId: string): Promise<WatchView> {
    const record = await this.options.store.get(watchId);
    if (!record) throw new WatchNotFoundError(watchId);
    return watchView(record);
  }

  /** Removes the watch and the keys it delivered (a run under way ends unrecorded). @throws WatchNotFoundError */
  async delete(watchId: string): Promise<void> {
    if (!(await this.options.store.remove(watchId))) throw new WatchNotFoundError(watchId);
    logger.info('watch deleted', { watchId });
  }

  /**
   * Runs the watch now: claims it, starts its execution and answers with the execution's id; the
   * run waits for it and delivers in the background. A run that cannot start (its budget, the
   * query) is recorded FAILED and thrown.
   * @throws WatchNotFoundError, WatchRunningError, or why the execution could not start.
   */
  async run(watchId: string, trigger: WatchRunTrigger = 'request'): Promise<{ executionId: string }> {
    const now = this.#now();
    const claimed = await this.#claim(watchId, trigger, now);
    const record = claimed.record;
    const definition = record.definition;
    let executionId: string;
    let window: { from: string; to: string };
    try {
      const planned = planRun(watchId, definition, this.options.limits, { now, owner: record.owner });
      if (!planned.ok) throw new Error(planned.problems.map((p) => `${p.pointer}: ${p.detail}`).join('; '));
      const { plan } = planned;
      const request: ExecutionRequest = {
        statement: plan.statement,
        columns: plan.query.columns,
        window: plan.window,
        parameters: plan.body.parameters,
      };
      const estimate = await estimateBeforeStart(
        this.options.engine,
        request,
        plan.budget,
        this.options.limits,
      );
      ({ executionId } = await this.options.engine.start({ ...request, ...(estimate ? { estimate } : {}) }));
      window = { from: plan.window.from, to: plan.window.to };
    } catch (error) {
      await this.#end(watchId, {
        trigger,
        startedAt: iso(now),
        endedAt: iso(this.#now()),
        state: 'FAILED',
        error: `the run could not start: ${(error as Error).message}`,
      });
      throw error;
    }
    await this.options.store.update(watchId, (r) =>
      r.running ? { ...r, running: { ...r.running, executionId, window } } : undefined,
    );
    logger.info('watch run started', { watchId, executionId, trigger });
    if (this.options.follow !== false) this.#track(this.#follow(watchId, executionId));
    return { executionId };
  }

  /** Keeps `work` among the runs under way (settled() waits for them); its failure is logged. */
  #track(work: Promise<void>): void {
    const run = work.catch((error: unknown) => logger.error('watch run failed', error as Error));
    this.#runs.add(run);
    void run.finally(() => this.#runs.delete(run));
  }

  /** Runs every watch whose time has come and that is not running (the scheduler's tick). */
  async runDue(): Promise<void> {
    const now = this.#now();
    for (const record of await this.options.store.list()) {
      if (record.running || Date.parse(record.nextRunAt) > now) continue;
      await this.run(record.watchId, 'schedule').catch((error: unknown) => {
        if (error instanceof WatchRunningError || error instanceof WatchNotFoundError) return;
        logger.warn('scheduled watch run did not start', {
          watchId: record.watchId,
          reason: (error as Error).message,
        });
      });
    }
  }

  /**
   * Finishes the runs whose execution has ended, waiting until `waitUntil` (ms since the epoch) for
   * those still running (the rest are finished by a later call), and gives up claims whose
   * execution never started, older than `staleClaimMs`. The scheduled function on AWS calls it
   * every tick; the local server once at start, where every claim it finds is stale.
   */
  async resume(options: { waitUntil?: number; staleClaimMs?: number } = {}): Promise<void> {
    const now = this.#now();
    const follows: Promise<void>[] = [];
    for (const record of await this.options.store.list()) {
      const { running } = record;
      if (!running) continue;
      if (running.executionId) {
        follows.push(
          this.#follow(record.watchId, running.executionId, options.waitUntil).catch((error: unknown) =>
            logger.error('watch run could not be finished', error as Error),
          ),
        );
      } else if (now - Date.parse(running.since) >= (options.staleClaimMs ?? STALE_CLAIM_MS)) {
        await this.#end(record.watchId, {
          trigger: running.trigger,
          startedAt: running.since,
          endedAt: iso(now),
          state: 'FAILED',
          error: 'the run stopped before its execution started; the next run looks again',
        });
      }
    }
    await Promise.all(follows);
  }

  /** What a server does at start (it holds the state now): every run it finds is resumed or given up. */
  async recover(): Promise<void> {
    this.#track(this.resume({ staleClaimMs: 0 }));
  }

  /** Resolves when the runs under way have ended. */
  async settled(): Promise<void> {
    while (this.#runs.size > 0) await Promise.allSettled([...this.#runs]);
  }

  async #claim(watchId: string, trigger: WatchRunTrigger, now: number): Promise<{ record: WatchRecord }> {
    let found: WatchRecord | undefined;
    const claimed = await this.options.store.update(watchId, (record) => {
      found = record;
      if (record.running) return undefined;
      const everyMs = parseIsoDuration(record.definition.every) ?? DAY_MS;
      // The schedule keeps its cadence from its slot; a slot missed (the server was down) runs
      // once, and the next is a whole period from now.
      const slot = Date.parse(record.nextRunAt) + everyMs;
      const next = slot > now ? slot : now + everyMs;
      return {
        ...record,
        running: { since: iso(now), trigger },
        ...(trigger === 'schedule' ? { nextRunAt: iso(next) } : {}),
      };
    });
    if (claimed) return { record: claimed };
    if (!found) throw new WatchNotFoundError(watchId);
    throw new WatchRunningError(watchId, found.running?.executionId);
  }

  /** Records `run` as the watch's last, releases it, and counts it; `change` adjusts the rest. */
  async #end(
    watchId: string,
    run: WatchRun,
    change: (record: WatchRecord) => Partial<WatchRecord> = () => ({}),
  ) {
    await this.options.store.update(watchId, (record) => {
      const { running: _released, ...rest } = record;
      return {
        ...rest,
        ...change(record),
        lastRun: run,
        totals: {
          runs: record.totals.runs + 1,
          failedRuns: record.totals.failedRuns + (run.state === 'FAILED' ? 1 : 0),
          findingsDelivered: record.totals.findingsDelivered + (run.delivered ?? 0),
        },
      };
    });
  }

  /** The execution once it ended, or as it stands at `waitUntil`. */
  async #waitForEnd(executionId: string, caller: Caller, waitUntil = Number.POSITIVE_INFINITY) {
    const { engine } = this.options;
    let execution = await engine.get(executionId, caller);
    while (!isTerminal(execution.state) && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 200));
      execution = await engine.get(executionId, caller);
    }
    return execution;
  }

  /** Waits for the run's execution (until `waitUntil`), then finishes the run if it ended. */
  async #follow(watchId: string, executionId: string, waitUntil?: number): Promise<void> {
    const record = await this.options.store.get(watchId);
    if (record?.running?.executionId !== executionId) return;
    const caller: Caller = { principal: record.owner, auditor: false };
    const execution = await this.#waitForEnd(executionId, caller, waitUntil).catch((error: unknown) => ({
      state: 'FAILED' as const,
      error: { message: (error as Error).message },
    }));
    if (!isTerminal(execution.state)) return;
    await this.#finish(watchId, executionId, execution);
  }

  async #rows(executionId: string, caller: Caller) {
    const rows: Finding['row'][] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.options.engine.getResults(
        executionId,
        { limit: PAGE, ...(nextToken ? { nextToken } : {}) },
        caller,
      );
      rows.push(...page.rows);
      nextToken = page.nextToken ?? undefined;
    } while (nextToken && rows.length < MAX_FINDINGS_PER_RUN);
    return {
      rows: rows.slice(0, MAX_FINDINGS_PER_RUN),
      more: nextToken !== undefined || rows.length > MAX_FINDINGS_PER_RUN,
    };
  }

  /**
   * Ends the run of `executionId`, ended: its findings read, the new ones delivered, the run
   * recorded. Claimed first (running.finishing), so that two processes never deliver one run twice.
   */
  async #finish(
    watchId: string,
    executionId: string,
    execution: {
      state: string;
      error?: { message: string } | undefined;
      window?: { from: string; to: string } | undefined;
    },
  ): Promise<void> {
    const now = this.#now();
    const record = await this.options.store.update(watchId, (r) =>
      r.running?.executionId === executionId &&
      (!r.running.finishing || now - Date.parse(r.running.finishing) >= STALE_FINISH_MS)
        ? { ...r, running: { ...r.running, finishing: iso(now) } }
        : undefined,
    );
    if (!record?.running) return;
    const caller: Caller = { principal: record.owner, auditor: false };
    const window = execution.window ?? record.running.window;
    const started = {
      trigger: record.running.trigger,
      startedAt: record.running.since,
      executionId,
      window: { from: window?.from ?? '', to: window?.to ?? '' },
    };
    const base = { ...started };
    if (execution.state !== 'SUCCEEDED') {
      await this.#end(watchId, {
        ...base,
        endedAt: iso(this.#now()),
        state: 'FAILED',
        error: `the execution ended ${execution.state}${execution.error ? `: ${execution.error.message}` : ''}`,
      });
      return;
    }
    const { rows, more } = await this.#rows(started.executionId, caller);
    // One finding per key: a row seen twice in one answer is one finding.
    const found = new Map<string, Finding>();
    for (const row of rows) {
      const key = findingKey(row);
      if (!found.has(key)) found.set(key, { key, row, executionId: started.executionId });
    }
    const current = record;
    const pendingKeys = new Set(current.pending.map((f) => f.key));
    const delivered = await this.options.store.delivered(watchId, [...found.keys()]);
    const fresh = [...found.values()].filter((f) => !delivered.has(f.key) && !pendingKeys.has(f.key));
    const toSend = [...current.pending, ...fresh];
    const outcome = await this.#deliver(record, started, toSend);
    const left = toSend.filter((f) => !outcome.sent.has(f.key));
    const dropped = overflowOf(left);
    const warnings = [
      ...(more
        ? [`the execution answered more than ${MAX_FINDINGS_PER_RUN} rows: only the first were read`]
        : []),
      ...(dropped > 0
        ? [
            `${dropped} undelivered findings were dropped: at most ${MAX_PENDING} (${MAX_PENDING_BYTES} bytes) are kept pending`,
          ]
        : []),
    ];
    await this.#end(
      watchId,
      {
        ...base,
        endedAt: iso(this.#now()),
        state: 'SUCCEEDED',
        findings: found.size,
        newFindings: fresh.length,
        delivered: outcome.sent.size,
        pending: left.length - dropped,
        ...(outcome.error ? { deliveryError: outcome.error } : {}),
        ...(warnings.length > 0 ? { error: warnings.join('; ') } : {}),
      },
      // Pending: what is left of those this run took, and any a concurrent change added (none locally).
      () => ({ pending: left.slice(dropped) }),
    );
    logger.info('watch run ended', {
      watchId,
      executionId: started.executionId,
      findings: found.size,
      newFindings: fresh.length,
      delivered: outcome.sent.size,
      pending: left.length - dropped,
    });
  }

  /** Sends `findings` in the watch's format, until one delivery fails after its retries. */
  async #deliver(
    record: WatchRecord,
    started: { executionId: string; window: { from: string; to: string } },
    findings: readonly Finding[],
  ): Promise<{ sent: Set<string>; error?: string }> {
    const sent = new Set<string>();
    if (findings.length === 0) return { sent };
    const { definition, watchId } = record;
    const routingKey = definition.notify.routingKeySecret
      ? await this.options.secret(definition.notify.routingKeySecret)
      : undefined;
    if (definition.notify.format === 'pagerduty' && !routingKey) {
      return { sent, error: `the secret ${definition.notify.routingKeySecret} is not set: nothing was sent` };
    }
    const deliveries = deliveriesOf(definition.notify.format, findings, {
      watchId,
      label: definition.label,
      query: definition.query,
      executionId: started.executionId,
      window: started.window,
      publicUrl: this.options.publicUrl?.(),
      routingKey,
    });
    const lookbackMs = parseIsoDuration(definition.lookback) ?? DAY_MS;
    for (const delivery of deliveries) {
      const outcome = await this.options.send(definition.notify.url, delivery.body, delivery.deliveryId);
      if (!outcome.delivered) {
        // The rest wait for the next run: a receiver that is down is not asked again and again.
        return { sent, error: `${outcome.reason ?? 'not delivered'} (after ${outcome.attempts} tries)` };
      }
      await this.options.store.markDelivered(watchId, delivery.keys, this.#now() + lookbackMs + DAY_MS);
      for (const key of delivery.keys) sent.add(key);
      // The executions that found what was delivered keep their results the whole retention.
      const keys = new Set(delivery.keys);
      const sources = new Set(findings.filter((f) => keys.has(f.key)).map((f) => f.executionId));
      for (const executionId of sources) await this.options.engine.retain?.(executionId);
    }
    return { sent };
  }
}

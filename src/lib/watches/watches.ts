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
import {
  EngineUnavailableError,
  WatchInvalidError,
  WatchNotFoundError,
  WatchRunningError,
} from '../errors.js';
import { estimateBeforeStart } from '../http/scanBudget.js';
import { parseIsoDuration } from '../isoDuration.js';
import { logger } from '../logging/logger.js';
import type { DeliveryOutcome } from '../notify/callbackDelivery.js';
import { deliveriesOf, type Finding } from './deliveryFormats.js';
import { findingKey } from './findings.js';
import type { WatchView } from './watchAnswers.js';
import { planRun, routingKeyRefusal, type WatchDefinition } from './watchDefinition.js';
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
    // DynamoDB counts an item's UTF-8 bytes.
    bytes += Buffer.byteLength(JSON.stringify(left[i]));
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
  /**
   * A watch is due this long before its slot: a schedule that ticks every 5 minutes, a little late
   * or early, still runs a PT5M watch on every tick (60 s on AWS; 0 locally, which looks every 15 s).
   */
  readonly dueToleranceMs?: number;
}

/** A claim that never got its execution started (its function stopped) is given up after this. */
const STALE_CLAIM_MS = 10 * 60_000;
/** A run being finished by another process is taken over after this (its function stopped). */
const STALE_FINISH_MS = 15 * 60_000;

/**
 * A receiver's URL as answers show it: its origin, and `/…` for its path and query, which carry a
 * Slack or Jira webhook's token.
 */
const shownUrl = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname === '/' && !parsed.search ? '/' : '/…'}`;
};

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
  notify: { ...record.definition.notify, url: shownUrl(record.definition.notify.url) },
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
  /** When this process began: claims older than that were left by a process that stopped. */
  readonly #startedAt: number;
  /** Told when a watch is made: its first run is due at once (the scheduler looks then). */
  #onCreated: (() => void) | undefined;

  constructor(private readonly options: WatchesOptions) {
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
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
   * run waits for it and delivers in the background (locally), or the next tick does (AWS). A run
   * that cannot start (its budget, the query) is recorded FAILED and thrown.
   * @throws WatchNotFoundError, WatchRunningError, or why the execution could not start.
   */
  async run(watchId: string, trigger: WatchRunTrigger = 'request'): Promise<{ executionId: string }> {
    const now = this.#now();
    const record = await this.#claim(watchId, trigger, now);
    const since = iso(now);
    let executionId: string;
    let window: { from: string; to: string };
    try {
      const planned = planRun(watchId, record.definition, this.options.limits, {
        now,
        owner: record.owner,
        coveredTo: record.coveredTo,
      });
      if (!planned.ok) throw new WatchInvalidError(watchId, planned.problems);
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
      await this.#end(watchId, since, {
        trigger,
        startedAt: since,
        endedAt: iso(this.#now()),
        state: 'FAILED',
        error: `the run could not start: ${(error as Error).message}`,
      });
      throw error;
    }
    await this.options.store.update(watchId, (r) =>
      r.running?.since === since ? { ...r, running: { ...r.running, executionId, window } } : undefined,
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

  /** Runs every watch whose time has come (within the tolerance) and that is not running. */
  async runDue(): Promise<void> {
    const now = this.#now();
    const tolerance = this.options.dueToleranceMs ?? 0;
    for (const record of await this.options.store.list()) {
      if (record.running || Date.parse(record.nextRunAt) > now + tolerance) continue;
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
   * Finishes the runs whose execution has ended, waiting until `waitUntil` (ms since the epoch)
   * for those still running (the rest are finished by a later call) and delivering until
   * `deliverUntil`; gives up claims whose execution never started once they are `staleClaimMs`
   * old, and takes over runs claimed before `takeOverBefore` (left by a process that stopped).
   * The scheduled function on AWS and the local scheduler call it every tick.
   */
  async resume(
    options: {
      waitUntil?: number;
      deliverUntil?: number;
      staleClaimMs?: number;
      takeOverBefore?: number;
    } = {},
  ): Promise<void> {
    const now = this.#now();
    const follows: Promise<void>[] = [];
    for (const record of await this.options.store.list()) {
      const { running } = record;
      if (!running) continue;
      const abandoned =
        options.takeOverBefore !== undefined && Date.parse(running.since) < options.takeOverBefore;
      if (running.executionId) {
        follows.push(
          this.#follow(record.watchId, running.executionId, {
            waitUntil: options.waitUntil,
            deliverUntil: options.deliverUntil,
            takeOver: abandoned,
          }).catch((error: unknown) => logger.error('watch run could not be finished', error as Error)),
        );
      } else if (abandoned || now - Date.parse(running.since) >= (options.staleClaimMs ?? STALE_CLAIM_MS)) {
        await this.#end(record.watchId, running.since, {
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

  /**
   * What the local server does at start (it holds the state now): the runs a stopped server left
   * are finished if their execution ended, or given up if none started; none is waited for.
   */
  async recover(): Promise<void> {
    await this.resume({ waitUntil: this.#now(), takeOverBefore: this.#startedAt });
  }

  /** Resolves when the runs under way have ended. */
  async settled(): Promise<void> {
    while (this.#runs.size > 0) await Promise.allSettled([...this.#runs]);
  }

  /**
   * Claims the watch for a run. The schedule keeps its grid (the slots `every` apart from the
   * first): a run by the schedule moves `nextRunAt` to the first slot after now, so a slot missed
   * (the server was down) runs once; a run by request leaves it.
   */
  async #claim(watchId: string, trigger: WatchRunTrigger, now: number): Promise<WatchRecord> {
    let found: WatchRecord | undefined;
    const tolerance = this.options.dueToleranceMs ?? 0;
    const claimed = await this.options.store.update(watchId, (record) => {
      found = record;
      if (record.running) return undefined;
      const everyMs = parseIsoDuration(record.definition.every) ?? DAY_MS;
      const slot = Date.parse(record.nextRunAt);
      const next = slot + (Math.floor(Math.max(0, now + tolerance - slot) / everyMs) + 1) * everyMs;
      return {
        ...record,
        running: { since: iso(now), trigger },
        ...(trigger === 'schedule' ? { nextRunAt: iso(next) } : {}),
      };
    });
    if (claimed) return claimed;
    if (!found) throw new WatchNotFoundError(watchId);
    throw new WatchRunningError(watchId, found.running?.executionId);
  }

  /**
   * Records `run` as the watch's last, releases the claim made at `since` and counts the run;
   * `change` adjusts the rest. Nothing is written when the watch holds another claim (a newer run).
   */
  async #end(
    watchId: string,
    since: string,
    run: WatchRun,
    change: (record: WatchRecord) => Partial<WatchRecord> = () => ({}),
  ) {
    await this.options.store.update(watchId, (record) => {
      if (record.running?.since !== since) return undefined;
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

  /**
   * Waits for the run's execution (until `waitUntil`), then finishes the run if it ended. An
   * engine that cannot answer now (throttled, unreachable) leaves the run for a later look.
   */
  async #follow(
    watchId: string,
    executionId: string,
    options: { waitUntil?: number | undefined; deliverUntil?: number | undefined; takeOver?: boolean } = {},
  ): Promise<void> {
    const record = await this.options.store.get(watchId);
    if (record?.running?.executionId !== executionId) return;
    const caller: Caller = { principal: record.owner, auditor: false };
    let execution: Awaited<ReturnType<QueryEngine['get']>> | { state: 'FAILED'; error: { message: string } };
    try {
      execution = await this.#waitForEnd(executionId, caller, options.waitUntil);
    } catch (error) {
      if (error instanceof EngineUnavailableError) return;
      execution = { state: 'FAILED', error: { message: (error as Error).message } };
    }
    if (!isTerminal(execution.state)) return;
    await this.#finish(watchId, executionId, execution, options);
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
   * recorded. Claimed first (running.finishing), so that two processes never deliver one run twice;
   * a claim older than STALE_FINISH_MS, or one to `takeOver`, was left by a process that stopped.
   * Whatever fails on the way ends the run FAILED, saying why: a watch is never left claimed.
   */
  async #finish(
    watchId: string,
    executionId: string,
    execution: {
      state: string;
      error?: { message: string } | undefined;
      window?: { from: string; to: string } | undefined;
    },
    options: { deliverUntil?: number | undefined; takeOver?: boolean | undefined },
  ): Promise<void> {
    const now = this.#now();
    const record = await this.options.store.update(watchId, (r) =>
      r.running?.executionId === executionId &&
      (!r.running.finishing || options.takeOver || now - Date.parse(r.running.finishing) >= STALE_FINISH_MS)
        ? { ...r, running: { ...r.running, finishing: iso(now) } }
        : undefined,
    );
    if (!record?.running) return;
    const { since } = record.running;
    const window = execution.window ?? record.running.window;
    const base = {
      trigger: record.running.trigger,
      startedAt: since,
      executionId,
      window: { from: window?.from ?? '', to: window?.to ?? '' },
    };
    const failed = (error: string) =>
      this.#end(watchId, since, { ...base, endedAt: iso(this.#now()), state: 'FAILED', error });
    if (execution.state !== 'SUCCEEDED') {
      await failed(
        `the execution ended ${execution.state}${execution.error ? `: ${execution.error.message}` : ''}`,
      );
      return;
    }
    try {
      await this.#deliverRun(record, base, options.deliverUntil);
    } catch (error) {
      logger.error('watch run could not finish', error as Error);
      await failed(`the run could not finish: ${(error as Error).message}`);
    }
  }

  /** Reads the run's findings, delivers the new and pending ones, and records the run. */
  async #deliverRun(
    record: WatchRecord,
    base: {
      trigger: WatchRunTrigger;
      startedAt: string;
      executionId: string;
      window: { from: string; to: string };
    },
    deliverUntil: number | undefined,
  ): Promise<void> {
    const { watchId } = record;
    const caller: Caller = { principal: record.owner, auditor: false };
    const { rows, more } = await this.#rows(base.executionId, caller);
    // One finding per key: a row seen twice in one answer is one finding.
    const found = new Map<string, Finding>();
    for (const row of rows) {
      const key = findingKey(row);
      if (!found.has(key)) found.set(key, { key, row, executionId: base.executionId });
    }
    const pendingKeys = new Set(record.pending.map((f) => f.key));
    // Pending ones are asked too: a run stopped mid-delivery may have delivered some of them.
    const delivered = await this.options.store.delivered(watchId, [...found.keys(), ...pendingKeys]);
    const fresh = [...found.values()].filter((f) => !delivered.has(f.key) && !pendingKeys.has(f.key));
    const toSend = [...record.pending.filter((f) => !delivered.has(f.key)), ...fresh];
    const outcome = await this.#deliver(record, base, toSend, deliverUntil);
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
      base.startedAt,
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
      // Only this run, holding the claim, changes what is pending: what is left of what it took.
      () => ({ pending: left.slice(dropped), coveredTo: base.window.to }),
    );
    logger.info('watch run ended', {
      watchId,
      executionId: base.executionId,
      findings: found.size,
      newFindings: fresh.length,
      delivered: outcome.sent.size,
      pending: left.length - dropped,
    });
  }

  /**
   * Sends `findings` in the watch's format, until one delivery fails after its retries or the time
   * runs out (`deliverUntil`): the rest stay pending for the next run.
   */
  async #deliver(
    record: WatchRecord,
    started: { executionId: string; window: { from: string; to: string } },
    findings: readonly Finding[],
    deliverUntil = Number.POSITIVE_INFINITY,
  ): Promise<{ sent: Set<string>; error?: string }> {
    const sent = new Set<string>();
    if (findings.length === 0) return { sent };
    const { definition, watchId } = record;
    let routingKey: string | undefined;
    if (definition.notify.format === 'pagerduty') {
      // Checked again here: the deployment's PagerDuty origins may have changed since the watch was made.
      const refusal = routingKeyRefusal(definition.notify.url, this.options.limits);
      if (refusal) return { sent, error: `${refusal}: nothing was sent` };
      routingKey = definition.notify.routingKeySecret
        ? await this.options.secret(definition.notify.routingKeySecret)
        : undefined;
      if (!routingKey) {
        return {
          sent,
          error: `the secret ${definition.notify.routingKeySecret} is not set: nothing was sent`,
        };
      }
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
      if (Date.now() >= deliverUntil) {
        return { sent, error: 'out of time in this invocation: the rest is delivered by the next run' };
      }
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

/**
 * Integrity checks as the API offers them: started for a window, run in the background, read back
 * by id with their problems a page at a time. The checking itself is verifyTrail's; where the
 * trail's files are is the TrailObjects' (a local copy, or the bucket). A check runs in the process
 * that started it (the local server), or, given a dispatch, in a function of its own (on AWS: the
 * API's function answers within 29 s, a check of a year takes minutes), which resumes it by id.
 * Either way its record is saved when it starts, as its progress moves, and when it ends, so that
 * any process reads it back.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CancelledError, IntegrityBoundError, IntegrityCheckNotFoundError } from '../errors.js';
import { decodeToken, encodeToken } from '../results/pageToken.js';
import { resolveWindow, type TimeWindow } from '../sql/timeWindow.js';
import type { IntegrityCheck } from './integrityReport.js';
import type { TrailIntegrity } from './verifyTrail.js';

/** What a check found of each log file: kept with it for evidence, not answered by the API. */
interface CheckedFile {
  readonly key: string;
  readonly status: 'valid' | 'modified' | 'undigested' | 'uncovered';
  readonly sha256?: string;
}

/** A check as kept: every problem, not a page of them, and each file's result. */
export type CheckRecord = Omit<IntegrityCheck, 'nextToken'> & { readonly files?: readonly CheckedFile[] };

/**
 * Where checks are kept, for every process to read. A check's end is kept apart from its progress
 * and written once: the first end stands (a check abandoned by one process while another runs it
 * stays FAILED, whatever the runner saves after), and a progress save landing after the end
 * changes nothing a reader sees.
 */
export interface CheckRecords {
  /** Saves a running check's progress, replacing the last. */
  save(record: CheckRecord): Promise<void>;
  /** Saves a check's end unless it ended already. @returns whether this end is the one kept. */
  end(record: CheckRecord): Promise<boolean>;
  /** The check's end once it ended, else its last progress. */
  load(checkId: string): Promise<CheckRecord | undefined>;
}

/**
 * Finds a window's log files (their bytes bound a check), then verifies them, reporting files done
 * of total as it goes.
 */
export type WindowVerifier = (window: TimeWindow) => Promise<{
  readonly bytes: number;
  run(onProgress: (progress: { done: number; total: number }) => void): Promise<TrailIntegrity>;
}>;

/**
 * Starts checking a window: the check's id, and what it found once it ended (undefined if it
 * FAILED). @throws IntegrityBoundError when the window's log files are over the bound.
 */
export type IntegrityVerifier = (window: TimeWindow) => Promise<{
  checkId: string;
  ended: Promise<TrailIntegrity | undefined>;
}>;

/** Hands a started check to the process that runs it (runDispatched there). */
export type CheckDispatch = (checkId: string) => Promise<void>;

export interface IntegrityChecksOptions {
  /** The most bytes of log files (gzipped, as stored) one check may hash. */
  readonly maxBytes?: number;
  /** Runs checks elsewhere: absent, they run in this process. */
  readonly dispatch?: CheckDispatch;
  readonly now?: () => Date;
  /** How often a running check's progress is saved, in ms. */
  readonly saveProgressMs?: number;
  /**
   * How long a dispatched check may show RUNNING: past it, its function stopped without saving
   * it (killed: out of memory), and it reads as FAILED. Default: the runner's 15 minutes, and one.
   */
  readonly lostAfterMs?: number;
  /**
   * Checks run in this process alone (the local server): a check RUNNING that this process does
   * not run was left by one that stopped, and reads as FAILED.
   */
  readonly singleProcess?: boolean;
}

/** Why a dispatched check reads FAILED long after its function's time ran out. */
export const LOST =
  'The check stopped without saving its result (its function ended: out of memory, or killed); start it again';

/** Why a check of the local server reads FAILED when no run of it is under way. */
export const STOPPED =
  'The check stopped without saving its result (the server stopped while it ran); start it again';

/** Why a dispatched check stopped: its function's time ran out. */
export const OUT_OF_TIME =
  'The check did not finish within the time its function has (15 minutes): check a shorter window, or fewer accounts or regions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CursorSchema = z.object({ c: z.string(), o: z.number().int().nonnegative() });

const windowOf = (w: TimeWindow): CheckRecord['window'] => ({
  from: w.from,
  to: w.to,
  ...(w.accounts ? { accounts: [...w.accounts] } : {}),
  ...(w.regions ? { regions: [...w.regions] } : {}),
});

export class IntegrityChecks {
  readonly #running = new Map<string, CheckRecord>();
  readonly #settled = new Set<Promise<void>>();

  readonly #maxBytes: number;
  readonly #dispatch: CheckDispatch | undefined;
  readonly #now: () => Date;
  readonly #saveProgressMs: number;
  readonly #lostAfterMs: number;
  readonly #singleProcess: boolean;

  constructor(
    private readonly verify: WindowVerifier,
    private readonly records: CheckRecords,
    options: IntegrityChecksOptions = {},
  ) {
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#dispatch = options.dispatch;
    this.#now = options.now ?? (() => new Date());
    this.#saveProgressMs = options.saveProgressMs ?? 2000;
    this.#lostAfterMs = options.lostAfterMs ?? 16 * 60_000;
    this.#singleProcess = options.singleProcess ?? false;
  }

  /**
   * The record as it stands: a dispatched check RUNNING past its function's time is FAILED, and so
   * is a local server's check that it does not run (`singleProcess`): the server that ran it
   * stopped before saving its end.
   */
  #current(record: CheckRecord | undefined): CheckRecord | undefined {
    if (record?.state !== 'RUNNING') return record;
    if (this.#singleProcess && !this.#running.has(record.checkId)) return this.#failed(record, STOPPED);
    if (!this.#dispatch) return record;
    return this.#now().getTime() > this.#lostAt(record) ? this.#failed(record, LOST) : record;
  }

  /** When a dispatched check still RUNNING reads as lost. */
  #lostAt(record: CheckRecord): number {
    return Date.parse(record.submittedAt) + this.#lostAfterMs;
  }

  /**
   * Starts checking `window`; `ended` resolves with what was found once the check is saved
   * (undefined if it FAILED: the record says why). A dispatched check has no `ended` here: its
   * record says when it ended. @throws IntegrityBoundError past the bound, before anything starts.
   */
  async start(
    window: TimeWindow,
    /** The id to give it (a retried request's, made from its Idempotency-Key): started once. */
    options: { checkId?: string } = {},
  ): Promise<{ checkId: string; ended?: Promise<TrailIntegrity | undefined> }> {
    if (options.checkId && (await this.records.load(options.checkId))) return { checkId: options.checkId };
    const prepared = await this.verify(window);
    if (prepared.bytes > this.#maxBytes) throw new IntegrityBoundError(prepared.bytes, this.#maxBytes);
    const checkId = options.checkId ?? randomUUID();
    const record: CheckRecord = {
      checkId,
      state: 'RUNNING',
      window: windowOf(window),
      submittedAt: this.#now().toISOString(),
      progress: { filesDone: 0, filesTotal: 0 },
      problems: [],
    };
    if (this.#dispatch) {
      await this.records.save(record);
      try {
        await this.#dispatch(checkId);
      } catch (error) {
        await this.records.end(
          this.#failed(record, `The check could not be started: ${(error as Error).message}`),
        );
        throw error;
      }
      return { checkId };
    }
    this.#running.set(checkId, record);
    const run = this.#run(record, prepared.run);
    const settled = run.then(() => undefined).finally(() => this.#settled.delete(settled));
    this.#settled.add(settled);
    return { checkId, ended: run };
  }

  /**
   * Runs a check another process started and dispatched here (by its id: the record holds the
   * rest), saving its progress as it goes;
   * one that would outlast `deadline` (ms since the epoch), or the time after which readers take it
   * as lost, is saved FAILED first. A check that is unknown or no longer RUNNING (a retried
   * dispatch) is left as it is.
   */
  async runDispatched(checkId: string, deadline?: number): Promise<CheckRecord | undefined> {
    const record = UUID.test(checkId) ? await this.records.load(checkId) : undefined;
    if (record?.state !== 'RUNNING') return record;
    // Readers take a check RUNNING past its lost time as FAILED: a runner that starts after it (an
    // invocation retried late) ends it so rather than run, and one that starts before stops then.
    const lostInMs = this.#lostAt(record) - this.#now().getTime();
    if (lostInMs <= 0) {
      const lost = this.#failed(record, LOST);
      return (await this.records.end(lost)) ? lost : this.records.load(checkId);
    }
    const lostAt = Date.now() + lostInMs;
    const byLost = deadline === undefined || lostAt < deadline;
    // The window as it was resolved at the start: the same from and to give the same days.
    const resolved = resolveWindow(record.window, Number.MAX_SAFE_INTEGER);
    if ('problem' in resolved) throw new Error(`check ${checkId} has no window: ${resolved.problem.detail}`);
    const prepared = await this.verify(resolved.window);
    const run = this.#run(record, prepared.run);
    {
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), Math.max(0, (byLost ? lostAt : deadline) - Date.now()));
      });
      const outcome = await Promise.race([run, outOfTime]);
      clearTimeout(timer);
      if (outcome === 'late') {
        const failed = this.#failed(this.#running.get(checkId) ?? record, byLost ? LOST : OUT_OF_TIME);
        this.#running.delete(checkId);
        return (await this.records.end(failed)) ? failed : this.records.load(checkId);
      }
    }
    return this.records.load(checkId);
  }

  /**
   * Ends a check no execution will read (the one it was started for could not start), FAILED with
   * `reason`: its runner, in this process or another, stops at its next saved progress and saves
   * nothing over it. A check already ended is left as it is.
   */
  async abandon(checkId: string, reason: string): Promise<void> {
    const record = this.#running.get(checkId) ?? (await this.records.load(checkId));
    if (record?.state !== 'RUNNING') return;
    this.#running.delete(checkId);
    await this.records.end(this.#failed(record, reason));
  }

  /** Whether the saved record of a check is no longer RUNNING: ended elsewhere (abandoned). */
  async #endedElsewhere(checkId: string): Promise<boolean> {
    const stored = await this.records.load(checkId);
    return stored !== undefined && stored.state !== 'RUNNING';
  }

  #failed(record: CheckRecord, message: string): CheckRecord {
    return { ...record, state: 'FAILED', completedAt: this.#now().toISOString(), error: { message } };
  }

  async #run(
    record: CheckRecord,
    verify: Awaited<ReturnType<WindowVerifier>>['run'],
  ): Promise<TrailIntegrity | undefined> {
    let ended: CheckRecord;
    let found: TrailIntegrity | undefined;
    let progress = record.progress;
    let savedAt = Date.now();
    let saving: Promise<void> = Promise.resolve();
    let abandoned = false;
    this.#running.set(record.checkId, record);
    try {
      found = await verify(({ done, total }) => {
        if (abandoned || !this.#running.has(record.checkId)) throw new CancelledError();
        progress = { filesDone: done, filesTotal: total };
        const running = { ...record, progress };
        this.#running.set(record.checkId, running);
        // Readers in other processes see the progress as it is every few seconds, unless the check
        // was ended there meanwhile (abandoned): then it stops, and saves nothing over that.
        if (Date.now() - savedAt >= this.#saveProgressMs) {
          savedAt = Date.now();
          saving = saving
            .then(async () => {
              if (!this.#running.has(record.checkId) || (await this.#endedElsewhere(record.checkId))) {
                abandoned = true;
              } else await this.records.save(running);
            })
            .catch(() => undefined);
        }
      });
      ended = {
        ...record,
        state: 'SUCCEEDED',
        completedAt: this.#now().toISOString(),
        progress: { filesDone: progress.filesTotal, filesTotal: progress.filesTotal },
        verdict: found.verdict,
        summary: found.summary,
        problems: found.problems,
        files: [...found.logs].map(([key, log]) => ({ key, ...log })),
      };
    } catch (error) {
      ended = this.#failed({ ...record, progress }, (error as Error).message);
    }
    await saving;
    // Ended already (abandoned, here or in another process; out of time): that end stands. Kept
    // running here until the end is saved, so that a reader meanwhile finds it one way or the other.
    try {
      return (await this.records.end(ended)) ? found : undefined;
    } finally {
      this.#running.delete(record.checkId);
    }
  }

  /** @throws IntegrityCheckNotFoundError; PageTokenError for a token of another check. */
  async get(
    checkId: string,
    page: { limit: number; nextToken?: string | undefined },
  ): Promise<IntegrityCheck> {
    const record = UUID.test(checkId)
      ? (this.#running.get(checkId) ?? this.#current(await this.records.load(checkId)))
      : undefined;
    if (!record) throw new IntegrityCheckNotFoundError(checkId);
    const offset = page.nextToken
      ? decodeToken(
          page.nextToken,
          CursorSchema.refine((c) => c.c === checkId),
          'this integrity check',
        ).o
      : 0;
    const end = offset + page.limit;
    const { problems, files: _files, ...rest } = record;
    return {
      ...rest,
      problems: problems.slice(offset, end),
      ...(end < record.problems.length ? { nextToken: encodeToken({ c: checkId, o: end }) } : {}),
    };
  }

  /** An ended check as kept, each file's result included. @throws IntegrityCheckNotFoundError. */
  async record(checkId: string): Promise<CheckRecord> {
    const record = UUID.test(checkId) ? this.#current(await this.records.load(checkId)) : undefined;
    if (!record) throw new IntegrityCheckNotFoundError(checkId);
    return record;
  }

  /** Resolves when the checks under way have ended and been saved. */
  async settled(): Promise<void> {
    await Promise.all([...this.#settled]);
  }
}

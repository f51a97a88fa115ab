/**
 * Integrity checks as the API offers them: started for a window, run in the background, read back
 * by id with their problems a page at a time. The checking itself is verifyTrail's; where the
 * trail's files are is the TrailObjects' (a local copy, or the bucket).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { IntegrityBoundError, IntegrityCheckNotFoundError } from '../errors.js';
import { decodeToken, encodeToken } from '../results/pageToken.js';
import type { TimeWindow } from '../sql/timeWindow.js';
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

export interface CheckRecords {
  save(record: CheckRecord): Promise<void>;
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

  constructor(
    private readonly verify: WindowVerifier,
    private readonly records: CheckRecords,
    /** The most bytes of log files (gzipped, as stored) one check may hash. */
    private readonly maxBytes: number = Number.POSITIVE_INFINITY,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Starts checking `window`; `ended` resolves with what was found once the check is saved
   * (undefined if it FAILED: the record says why).
   */
  async start(window: TimeWindow): Promise<{ checkId: string; ended: Promise<TrailIntegrity | undefined> }> {
    const prepared = await this.verify(window);
    if (prepared.bytes > this.maxBytes) throw new IntegrityBoundError(prepared.bytes, this.maxBytes);
    const checkId = randomUUID();
    const record: CheckRecord = {
      checkId,
      state: 'RUNNING',
      window: windowOf(window),
      submittedAt: this.now().toISOString(),
      progress: { filesDone: 0, filesTotal: 0 },
      problems: [],
    };
    this.#running.set(checkId, record);
    const run = this.#run(record, prepared.run);
    const settled = run.then(() => undefined).finally(() => this.#settled.delete(settled));
    this.#settled.add(settled);
    return { checkId, ended: run };
  }

  async #run(
    record: CheckRecord,
    verify: Awaited<ReturnType<WindowVerifier>>['run'],
  ): Promise<TrailIntegrity | undefined> {
    let ended: CheckRecord;
    let found: TrailIntegrity | undefined;
    let progress = record.progress;
    try {
      found = await verify(({ done, total }) => {
        progress = { filesDone: done, filesTotal: total };
        this.#running.set(record.checkId, { ...record, progress });
      });
      ended = {
        ...record,
        state: 'SUCCEEDED',
        completedAt: this.now().toISOString(),
        progress: { filesDone: progress.filesTotal, filesTotal: progress.filesTotal },
        verdict: found.verdict,
        summary: found.summary,
        problems: found.problems,
        files: [...found.logs].map(([key, log]) => ({ key, ...log })),
      };
    } catch (error) {
      ended = {
        ...record,
        state: 'FAILED',
        completedAt: this.now().toISOString(),
        error: { message: (error as Error).message },
      };
    }
    await this.records.save(ended);
    this.#running.delete(record.checkId);
    return found;
  }

  /** @throws IntegrityCheckNotFoundError; PageTokenError for a token of another check. */
  async get(
    checkId: string,
    page: { limit: number; nextToken?: string | undefined },
  ): Promise<IntegrityCheck> {
    const record = UUID.test(checkId)
      ? (this.#running.get(checkId) ?? (await this.records.load(checkId)))
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
    const record = UUID.test(checkId) ? await this.records.load(checkId) : undefined;
    if (!record) throw new IntegrityCheckNotFoundError(checkId);
    return record;
  }

  /** Resolves when the checks under way have ended and been saved. */
  async settled(): Promise<void> {
    await Promise.all([...this.#settled]);
  }
}

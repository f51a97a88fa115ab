/**
 * Integrity checks as the API offers them: started for a window, run in the background, read back
 * by id with their problems a page at a time. The checking itself is verifyTrail's; where the
 * trail's files are is the TrailObjects' (a local copy, or the bucket).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { IntegrityCheckNotFoundError } from '../errors.js';
import { decodeToken, encodeToken } from '../results/pageToken.js';
import type { TimeWindow } from '../sql/timeWindow.js';
import type { IntegrityCheck } from './integrityReport.js';
import type { TrailIntegrity } from './verifyTrail.js';

/** A check as kept: every problem, not a page of them. */
export type CheckRecord = Omit<IntegrityCheck, 'nextToken'>;

export interface CheckRecords {
  save(record: CheckRecord): Promise<void>;
  load(checkId: string): Promise<CheckRecord | undefined>;
}

/** Verifies a window's log files, reporting files done of total as it goes. */
export type WindowVerifier = (
  window: TimeWindow,
  onProgress: (progress: { done: number; total: number }) => void,
) => Promise<TrailIntegrity>;

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
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(window: TimeWindow): { checkId: string } {
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
    const run = this.#run(record, window).finally(() => this.#settled.delete(run));
    this.#settled.add(run);
    return { checkId };
  }

  async #run(record: CheckRecord, window: TimeWindow): Promise<void> {
    let ended: CheckRecord;
    let progress = record.progress;
    try {
      const found = await this.verify(window, ({ done, total }) => {
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
    const { problems, ...rest } = record;
    return {
      ...rest,
      problems: problems.slice(offset, end),
      ...(end < record.problems.length ? { nextToken: encodeToken({ c: checkId, o: end }) } : {}),
    };
  }

  /** Resolves when the checks under way have ended and been saved. */
  async settled(): Promise<void> {
    await Promise.all([...this.#settled]);
  }
}

/**
 * Integrity checks handed to another function (dispatched), as on AWS: saved RUNNING before the
 * dispatch, started once for a retried id, saved FAILED when the dispatch fails, and read as
 * FAILED once their function's time is long past without a result (a runner killed: out of
 * memory). The checking itself is verifyTrail's (verifyTrail.test.ts); here it is a stand-in that
 * counts its runs.
 */
import { describe, expect, it } from 'vitest';
import {
  type CheckRecord,
  type CheckRecords,
  IntegrityChecks,
  LOST,
  STOPPED,
  type WindowVerifier,
} from '../../../src/lib/integrity/integrityChecks.js';
import type { TrailIntegrity } from '../../../src/lib/integrity/verifyTrail.js';
import { resolveWindow, type TimeWindow } from '../../../src/lib/sql/timeWindow.js';

const WINDOW = (
  resolveWindow({ from: '2024-03-05T00:00:00Z', to: '2024-03-06T00:00:00Z' }, 366) as {
    window: TimeWindow;
  }
).window;

/** Records kept as the real ones keep them: progress replaced, the first end kept, the end read first. */
const memoryRecords = (): CheckRecords & { saved: CheckRecord[] } => {
  const progress = new Map<string, CheckRecord>();
  const ends = new Map<string, CheckRecord>();
  const saved: CheckRecord[] = [];
  return {
    saved,
    save: async (record) => {
      saved.push(record);
      progress.set(record.checkId, structuredClone(record));
    },
    end: async (record) => {
      if (ends.has(record.checkId)) return false;
      saved.push(record);
      ends.set(record.checkId, structuredClone(record));
      return true;
    },
    load: async (checkId) => ends.get(checkId) ?? progress.get(checkId),
  };
};

/** What a check of an intact trail finds. */
const intact = (): TrailIntegrity => ({
  verdict: 'intact',
  summary: {
    digestFiles: { valid: 1, invalid: 0, missing: 0, unsigned: 0 },
    logFiles: { valid: 1, invalid: 0, missing: 0, undigested: 0 },
    gaps: 0,
  },
  problems: [],
  logs: new Map(),
});

const setup = (dispatch: (checkId: string) => Promise<void>) => {
  let nowMs = Date.parse('2026-12-04T10:00:00Z');
  const records = memoryRecords();
  let prepared = 0;
  const verify: WindowVerifier = async () => {
    prepared++;
    return {
      bytes: 10,
      run: async () => intact(),
    };
  };
  const checks = new IntegrityChecks(verify, records, { dispatch, now: () => new Date(nowMs) });
  return {
    checks,
    records,
    prepared: () => prepared,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
};

describe('dispatched integrity checks', () => {
  it('saves a check RUNNING before dispatching it, and the runner ends it', async () => {
    const dispatched: string[] = [];
    const { checks, records } = setup(async (id) => {
      dispatched.push(id);
    });
    const { checkId, ended } = await checks.start(WINDOW);
    expect(ended).toBeUndefined();
    expect(dispatched).toEqual([checkId]);
    expect(records.saved.map((r) => r.state)).toEqual(['RUNNING']);
    expect((await checks.get(checkId, { limit: 10 })).state).toBe('RUNNING');
    const ran = await checks.runDispatched(checkId);
    expect(ran).toMatchObject({ checkId, state: 'SUCCEEDED', verdict: 'intact' });
    // A second invocation with the same id (a retry) leaves the ended check as it is.
    expect(await checks.runDispatched(checkId)).toEqual(ran);
    expect(records.saved.at(-1)?.state).toBe('SUCCEEDED');
  });

  it('starts a check once for a retried id', async () => {
    const dispatched: string[] = [];
    const { checks, prepared } = setup(async (id) => {
      dispatched.push(id);
    });
    const checkId = '0b0c0d0e-1111-4222-8333-444455556666';
    expect((await checks.start(WINDOW, { checkId })).checkId).toBe(checkId);
    expect((await checks.start(WINDOW, { checkId })).checkId).toBe(checkId);
    expect(dispatched).toEqual([checkId]);
    expect(prepared()).toBe(1);
  });

  it('saves a check FAILED, saying why, when it cannot be dispatched', async () => {
    const { checks, records } = setup(async () => {
      throw new Error('Rate exceeded');
    });
    await expect(checks.start(WINDOW)).rejects.toThrow('Rate exceeded');
    expect(records.saved.at(-1)).toMatchObject({
      state: 'FAILED',
      error: { message: 'The check could not be started: Rate exceeded' },
    });
  });

  it('ends a check LOST rather than run it when its runner starts after readers took it as lost (an invocation retried late)', async () => {
    const { checks, records, advance } = setup(async () => undefined);
    const { checkId } = await checks.start(WINDOW);
    advance(17 * 60_000);
    expect(await checks.runDispatched(checkId)).toMatchObject({ state: 'FAILED', error: { message: LOST } });
    expect(records.saved.map((r) => r.state)).toEqual(['RUNNING', 'FAILED']);
    expect((await checks.get(checkId, { limit: 10 })).state).toBe('FAILED');
  });

  it("reads a check RUNNING long past its function's time as FAILED: its runner was lost", async () => {
    const { checks, advance } = setup(async () => undefined);
    const { checkId } = await checks.start(WINDOW);
    advance(15 * 60_000);
    expect((await checks.get(checkId, { limit: 10 })).state).toBe('RUNNING');
    advance(2 * 60_000);
    expect(await checks.get(checkId, { limit: 10 })).toMatchObject({
      state: 'FAILED',
      error: { message: LOST },
    });
    expect((await checks.record(checkId)).state).toBe('FAILED');
  });
});

/** A runner that hashes `files` files, 5 ms each, reporting each; it is abandoned before it ends. */
const abandonedRunner =
  (files: number, onReported: (done: number) => void = () => {}): WindowVerifier =>
  async () => ({
    bytes: 10,
    run: async (onProgress) => {
      for (let done = 1; done <= files; done++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        onProgress({ done, total: files });
        onReported(done);
      }
      throw new Error('not reached: the check was abandoned');
    },
  });

describe('an abandoned check', () => {
  it('is FAILED saying why, and its runner in another process stops at its next progress and saves nothing over it', async () => {
    const records = memoryRecords();
    const progressed: number[] = [];
    const verify = abandonedRunner(10, (done) => progressed.push(done));
    const api = new IntegrityChecks(verify, records, { dispatch: async () => {} });
    const worker = new IntegrityChecks(verify, records, { saveProgressMs: 0 });
    const { checkId } = await api.start(WINDOW);
    const running = worker.runDispatched(checkId);
    await new Promise((resolve) => setTimeout(resolve, 12));
    await api.abandon(checkId, 'The execution it was started for could not start: throttled');
    await running;
    const stored = await records.load(checkId);
    expect(stored).toMatchObject({
      state: 'FAILED',
      error: { message: 'The execution it was started for could not start: throttled' },
    });
    expect(progressed.length).toBeLessThan(10);
    // Abandoning an ended check leaves it as it is.
    await api.abandon(checkId, 'again');
    expect((await records.load(checkId))?.error?.message).toMatch(/throttled/);
  });
});

describe('a check abandoned in the process that runs it', () => {
  it('stays FAILED even when a progress save was under way as it was abandoned', async () => {
    const records = memoryRecords();
    let release: () => void = () => {};
    const slowSaves = {
      ...records,
      // A progress save (RUNNING) that lands after the abandonment's FAILED.
      save: async (record: CheckRecord) => {
        if (record.state === 'RUNNING' && record.progress.filesDone === 1) {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        }
        await records.save(record);
      },
    };
    const verify = abandonedRunner(5);
    const checks = new IntegrityChecks(verify, slowSaves, { saveProgressMs: 0 });
    const { checkId, ended } = await checks.start(WINDOW);
    await new Promise((resolve) => setTimeout(resolve, 8));
    await checks.abandon(checkId, 'abandoned: its execution could not start');
    release();
    await ended;
    expect(await records.load(checkId)).toMatchObject({
      state: 'FAILED',
      error: { message: 'abandoned: its execution could not start' },
    });
  });
});

describe('a check abandoned in one process while another saves its progress', () => {
  it('stays FAILED though the runner read it RUNNING just before, saved its progress after, and went on to the end', async () => {
    const records = memoryRecords();
    let abandon: () => Promise<void> = async () => {};
    let runnerSaves = 0;
    const racing: CheckRecords = {
      ...records,
      // The runner's first progress save: it read the check RUNNING, and the abandonment lands
      // before its write does.
      save: async (record) => {
        if (record.state === 'RUNNING' && record.progress.filesDone > 0 && runnerSaves++ === 0)
          await abandon();
        await records.save(record);
      },
    };
    const files = 3;
    const verify: WindowVerifier = async () => ({
      bytes: 10,
      run: async (onProgress) => {
        for (let done = 1; done <= files; done++) {
          onProgress({ done, total: files });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return intact();
      },
    });
    const api = new IntegrityChecks(verify, records, { dispatch: async () => {} });
    const worker = new IntegrityChecks(verify, racing, { saveProgressMs: 0 });
    const { checkId } = await api.start(WINDOW);
    abandon = () => api.abandon(checkId, 'abandoned: its execution could not start');
    const ran = await worker.runDispatched(checkId);
    expect(runnerSaves).toBeGreaterThan(0);
    // The runner's RUNNING progress landed after the FAILED end; the end is what every reader sees.
    expect(records.saved.map((r) => r.state)).toContain('FAILED');
    const states = records.saved.map((r) => r.state);
    expect(states.indexOf('FAILED')).toBeLessThan(states.lastIndexOf('RUNNING'));
    expect(ran).toMatchObject({
      state: 'FAILED',
      error: { message: 'abandoned: its execution could not start' },
    });
    expect(await api.record(checkId)).toMatchObject({ state: 'FAILED' });
    expect(records.saved.some((r) => r.state === 'SUCCEEDED')).toBe(false);
  });
});

describe("a local server's checks", () => {
  it('read FAILED when RUNNING but not run by this server (one that stopped left them), and are found while their end is saved', async () => {
    const records = memoryRecords();
    let release: () => void = () => {};
    const slowEnd: CheckRecords = {
      ...records,
      end: async (record) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return records.end(record);
      },
    };
    const verify: WindowVerifier = async () => ({
      bytes: 10,
      run: async () => intact(),
    });
    const server = new IntegrityChecks(verify, slowEnd, { singleProcess: true });
    const { checkId, ended } = await server.start(WINDOW);
    // The run is over and its end being saved: the check is still found, RUNNING.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await server.get(checkId, { limit: 10 })).state).toBe('RUNNING');
    release();
    await ended;
    expect((await server.get(checkId, { limit: 10 })).state).toBe('SUCCEEDED');

    // A RUNNING record this server does not run: a server that stopped left it.
    const left = {
      ...(await records.load(checkId)),
      checkId: '0b0c0d0e-1111-4222-8333-444455559999',
      state: 'RUNNING',
    } as CheckRecord;
    await records.save(left);
    const restarted = new IntegrityChecks(verify, records, { singleProcess: true });
    expect(await restarted.get(left.checkId, { limit: 10 })).toMatchObject({
      state: 'FAILED',
      error: { message: STOPPED },
    });
  });
});

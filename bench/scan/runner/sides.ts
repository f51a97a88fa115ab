/**
 * The sides that answer the bench questions. A side takes a question (from planted.json) and
 * returns its rows and its time. The engine sides are a list: each is the real server started
 * with its own extra environment. Two here, on the same files: `engine-raw` with an empty store
 * (every day read from the raw .json.gz) and `engine-store` over the store the bench compacted;
 * background compaction is off in both, so nothing else runs while a question is timed.
 */
import type { ExpectedAnswer } from '../generator/plantedAnswers.js';
import { askEngine, type ScanDays } from './engineClient.js';
import { type RunningServer, startServer } from './engineServer.js';
import { jqQuestion, parseJqRows } from './shellSides.js';

/** Where an engine side must read every day of the window from: the columnar store, or raw files. */
export type DaysFrom = 'compacted' | 'raw';

export interface EngineSideSpec {
  readonly name: string;
  /** Extra environment for the server child, on top of the logs and results directories. */
  readonly env: Readonly<Record<string, string>>;
  /** Checked on every answer: the execution's statistics.days must be all of this kind. */
  readonly daysFrom: DaysFrom;
}

export const ENGINE_RAW = 'engine-raw';
export const ENGINE_STORE = 'engine-store';

/** Another configuration is one more entry: a name, the server's environment, where days come from. */
export const engineSideSpecs = (dirs: { emptyStore: string; store: string }): EngineSideSpec[] => [
  {
    name: ENGINE_RAW,
    env: { TRAILHOUND_COMPACT: 'off', TRAILHOUND_STORE_DIR: dirs.emptyStore },
    daysFrom: 'raw',
  },
  {
    name: ENGINE_STORE,
    env: { TRAILHOUND_COMPACT: 'off', TRAILHOUND_STORE_DIR: dirs.store },
    daysFrom: 'compacted',
  },
];

export interface SideAnswer {
  readonly ms: number;
  readonly rows: readonly unknown[][];
  /** Whether the side promises the API's row order (the engine does; zcat | jq gives file order). */
  readonly ordered: boolean;
  readonly bytesScanned?: number;
  readonly engineMs?: number;
  readonly days?: ScanDays;
  /** A side whose rows are whole events (the reference): their event ids, checked instead of rows. */
  readonly eventIds?: readonly string[];
}

export interface QuestionSide {
  readonly name: string;
  /** For engine sides: where every day must be read from (statistics.days). */
  readonly daysFrom?: DaysFrom;
  start(): Promise<void>;
  ask(question: ExpectedAnswer): Promise<SideAnswer>;
  stop(): Promise<void>;
  /** Peak resident memory of the side's server, KiB, when it has one and it can be read. */
  peakRssKb(): number | undefined;
  /** Engine sides: asks another query of the window, for its time and row count only, read as pages or the CSV. */
  time?(
    query: string,
    parameters: Record<string, unknown>,
    answer?: 'pages' | 'csv',
  ): Promise<{ ms: number; rows: number }>;
}

export interface Window {
  readonly from: string;
  readonly to: string;
}

/** A question's parameters as text, with the window's from and to: what jq and the reference bind. */
export const namedArgs = (question: ExpectedAnswer, window: Window): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(question.parameters).map(([k, v]) => [k, String(v)])),
  from: window.from,
  to: window.to,
});

export const jqSide = (listPath: string, window: Window): QuestionSide => ({
  name: 'jq',
  start: async () => {},
  stop: async () => {},
  peakRssKb: () => undefined,
  ask: async (question) => {
    const run = await jqQuestion(listPath, question.query, namedArgs(question, window));
    return { ms: run.ms, rows: parseJqRows(run.stdout), ordered: false };
  },
});

export const engineSide = (
  spec: EngineSideSpec,
  trailDir: string,
  window: Window,
  timeoutMs: number,
): QuestionSide => {
  let server: RunningServer | undefined;
  const running = () => {
    if (!server) throw new Error(`${spec.name}: server not started`);
    return server;
  };
  return {
    name: spec.name,
    daysFrom: spec.daysFrom,
    start: async () => {
      server = await startServer(trailDir, spec.env);
    },
    stop: async () => server?.stop(),
    peakRssKb: () => server?.peakRssKb(),
    time: async (query, parameters, answer = 'pages') => {
      const asked = await askEngine(
        running().baseUrl,
        { query, parameters, ...window },
        { timeoutMs, answer },
      );
      return { ms: asked.ms, rows: asked.rowCount };
    },
    ask: async (question) => {
      const answer = await askEngine(
        running().baseUrl,
        { query: question.query, parameters: question.parameters, ...window },
        {
          timeoutMs,
          onWait: (ms, progress) =>
            process.stderr.write(
              `  ${spec.name} ${question.query}: ${(ms / 1000).toFixed(0)} s${progress === undefined ? '' : `, ${progress}%`}\n`,
            ),
        },
      );
      return {
        ms: answer.ms,
        rows: answer.rows.map((row) => question.columns.map((c) => row[c] ?? null)),
        ordered: true,
        bytesScanned: answer.bytesScanned,
        engineMs: answer.engineMs,
        ...(answer.days ? { days: answer.days } : {}),
      };
    },
  };
};

/**
 * The sides that answer the bench questions. A side takes a question (from planted.json) and
 * returns its rows and its time. The engine sides are a list: each is the real server started
 * with its own extra environment, so another engine configuration (say a columnar store switched
 * on by an environment variable) is one more entry in ENGINE_SIDES.
 */
import type { ExpectedAnswer } from '../generator/plantedAnswers.js';
import { askEngine } from './engineClient.js';
import { type RunningServer, startServer } from './engineServer.js';
import { jqQuestion, parseJqRows } from './shellSides.js';

export interface EngineSideSpec {
  readonly name: string;
  /** Extra environment for the server child, on top of the logs and results directories. */
  readonly env: Readonly<Record<string, string>>;
}

/** Add a configuration here, e.g. { name: 'engine-columnar', env: { TRAILHOUND_STORE: 'parquet' } }. */
export const ENGINE_SIDES: readonly EngineSideSpec[] = [{ name: 'engine', env: {} }];

export interface SideAnswer {
  readonly ms: number;
  readonly rows: readonly unknown[][];
  /** Whether the side promises the API's row order (the engine does; zcat | jq gives file order). */
  readonly ordered: boolean;
  readonly bytesScanned?: number;
  readonly engineMs?: number;
}

export interface QuestionSide {
  readonly name: string;
  start(): Promise<void>;
  ask(question: ExpectedAnswer): Promise<SideAnswer>;
  stop(): Promise<void>;
  /** Peak resident memory of the side's server, KiB, when it has one and it can be read. */
  peakRssKb(): number | undefined;
}

export interface Window {
  readonly from: string;
  readonly to: string;
}

const namedArgs = (question: ExpectedAnswer, window: Window): Record<string, string> => ({
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
    start: async () => {
      server = await startServer(trailDir, spec.env);
    },
    stop: async () => server?.stop(),
    peakRssKb: () => server?.peakRssKb(),
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
      };
    },
  };
};

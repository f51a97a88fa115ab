/**
 * The one updating line a terminal's stderr shows while an execution runs: its state, the seconds
 * since it was asked for, the bytes scanned and, when the engine tells, how far along it is.
 * Nothing is written when stderr is not a terminal: a script's log stays clean.
 */
import type { OutputStream } from './output.js';

/** What the line shows of an execution (GET /v1/executions/{id} has more). */
export interface ProgressSnapshot {
  readonly state: string;
  readonly statistics?: { readonly bytesScanned?: number; readonly progressPercent?: number };
}

export interface Progress {
  show(snapshot: ProgressSnapshot): void;
  /** Clears the line; the next output starts on a clean one. */
  stop(): void;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Bytes in decimal units, as Athena bills them: 337195 → "337.2 kB". */
export const formatBytes = (bytes: number): string => {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
};

export const progressLine = (snapshot: ProgressSnapshot, elapsedMs: number): string => {
  const { bytesScanned, progressPercent } = snapshot.statistics ?? {};
  return [
    snapshot.state,
    `${Math.floor(elapsedMs / 1000)} s`,
    ...(bytesScanned !== undefined ? [`${formatBytes(bytesScanned)} scanned`] : []),
    ...(progressPercent !== undefined ? [`${Math.round(progressPercent)}%`] : []),
  ].join(' · ');
};

const CLEAR_LINE = '\r\x1b[K';

export const createProgress = (stream: OutputStream, now: () => number = Date.now): Progress => {
  if (!stream.isTTY) return { show: () => {}, stop: () => {} };
  const started = now();
  let last: ProgressSnapshot | undefined;
  const render = () => {
    if (!last) return;
    // One line only: a line wider than the terminal would wrap, and \r could not rewrite it.
    const line = progressLine(last, now() - started).slice(0, Math.max(10, (stream.columns || 80) - 1));
    stream.write(`${CLEAR_LINE}${line}`);
  };
  // The seconds keep counting between polls (and during a start that waits on the server).
  const ticker = setInterval(render, 1000);
  ticker.unref();
  return {
    show: (snapshot) => {
      last = snapshot;
      render();
    },
    stop: () => {
      clearInterval(ticker);
      if (last) stream.write(CLEAR_LINE);
      last = undefined;
    },
  };
};

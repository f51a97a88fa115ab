/** The progress line: on a terminal only, one line rewritten in place, cleared at the end. */
import { describe, expect, it } from 'vitest';
import type { OutputStream } from '../../src/cli/output.js';
import { createProgress, formatBytes, progressLine } from '../../src/cli/progress.js';

const stream = (isTTY: boolean, columns = 80) => {
  const written: string[] = [];
  const output: OutputStream = {
    isTTY,
    columns,
    write: (chunk) => {
      written.push(String(chunk));
      return true;
    },
    once: () => undefined,
  };
  return { output, written };
};

describe('progressLine', () => {
  it('shows the state, whole seconds, bytes scanned and progress when known', () => {
    expect(
      progressLine(
        { state: 'RUNNING', statistics: { bytesScanned: 337_195, progressPercent: 41.6 } },
        12_900,
      ),
    ).toBe('RUNNING · 12 s · 337.2 kB scanned · 42%');
    expect(progressLine({ state: 'QUEUED' }, 0)).toBe('QUEUED · 0 s');
  });

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [5_300_000_000, '5.3 GB'],
  ])('writes %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('createProgress', () => {
  it('rewrites one line on a terminal, cut to its width, and clears it when stopped', () => {
    let now = 1_000;
    const { output, written } = stream(true, 20);
    const progress = createProgress(output, () => now);
    now += 3_000;
    progress.show({ state: 'RUNNING', statistics: { bytesScanned: 1_500_000 } });
    progress.stop();
    expect(written).toEqual(['\r\x1b[KRUNNING · 3 s · 1.5', '\r\x1b[K']);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { output, written } = stream(false);
    const progress = createProgress(output);
    progress.show({ state: 'RUNNING' });
    progress.stop();
    expect(written).toEqual([]);
  });
});

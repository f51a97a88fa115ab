/**
 * Peak resident memory of a child process, read from /proc/<pid>/status (VmHWM, the kernel's
 * high-water mark of the resident set). The value is gone once the child is reaped, so callers
 * poll it while the child runs and keep the largest reading.
 */
import { readFileSync } from 'node:fs';

/** VmHWM in KiB, or undefined where /proc is not readable or the process is gone. */
const readVmHwm = (pid: number): number | undefined => {
  try {
    const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
};

/** A reader that remembers the largest VmHWM seen: call it as often as you like, and at the end. */
export const peakRssTracker = (pid: number): (() => number | undefined) => {
  let peak: number | undefined;
  return () => {
    peak = Math.max(peak ?? 0, readVmHwm(pid) ?? 0) || undefined;
    return peak;
  };
};

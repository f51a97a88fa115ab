/**
 * Which digests a window's check reads. The window's log files lie in its partition days
 * (firstDay..lastDay); a file delivered late on the last day is listed by a digest stored under the
 * next day, so digests are checked and counted over those days and one more. The next two days'
 * digests are read only for the signatures they carry of the last counted ones.
 */
import { DAY_MS } from '../clock.js';
import { daysBetween, type TimeWindow } from '../sql/timeWindow.js';
import { logKeyParts } from './logKey.js';

const dayAfter = (day: string, n: number) =>
  new Date(Date.parse(`${day.replaceAll('/', '-')}T00:00:00Z`) + n * DAY_MS)
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '/');

export interface IntegrityScope {
  readonly digestDays: readonly string[];
  readonly signerDays: readonly string[];
  readonly accounts?: readonly string[] | undefined;
  readonly regions?: readonly string[] | undefined;
  /** Whether the log file a digest lists is one the window reads. */
  readonly inWindow: (key: string) => boolean;
}

export const integrityScope = (window: TimeWindow): IntegrityScope => {
  const logDays = new Set(daysBetween(window.firstDay, window.lastDay));
  return {
    digestDays: daysBetween(window.firstDay, dayAfter(window.lastDay, 1)),
    signerDays: [dayAfter(window.lastDay, 2), dayAfter(window.lastDay, 3)],
    accounts: window.accounts,
    regions: window.regions,
    inWindow: (key) => {
      const parts = logKeyParts(key);
      return (
        parts !== undefined &&
        logDays.has(parts.day) &&
        (!window.accounts || window.accounts.includes(parts.account)) &&
        (!window.regions || window.regions.includes(parts.region))
      );
    },
  };
};

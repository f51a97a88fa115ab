/**
 * The time window every execution is bounded by, and the scope of log files it may read.
 * CloudTrail delivers a file some minutes after the events in it, so a file under day D can hold
 * events of the evening before: the partition range runs one day past the window's end.
 */
import { z } from 'zod';
import { DAY_MS } from '../clock.js';

const AccountIdSchema = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
// Real region names and the pseudonymised ones of the Stratus set (sagov-westsouth-1r) alike.
export const RegionSchema = z
  .string()
  .regex(/^[a-z]{2,10}(-[a-z0-9]{1,20}){1,4}$/, 'a region name such as us-east-1');

/** The instants a window may name: UTC years 1970 to 9999, which CloudTrail's eventTime format can write. */
const FIRST_MS = Date.UTC(1970, 0, 1);
const LAST_MS = Date.UTC(10000, 0, 1);

const isoInstant = z.iso
  .datetime({
    offset: true,
    // A missing `from` is the usual first mistake: say that it is required, not only its format.
    error: (issue) =>
      issue.input === undefined
        ? 'required: the start of the window, an ISO 8601 date-time such as 2023-07-10T00:00:00Z'
        : 'an ISO 8601 date-time such as 2023-07-10T12:00:00Z',
  })
  // 0000-01-01T00:00:00+01:00 is well formed, and in UTC a year before year 0.
  // Tested only once the format holds: text that is no date-time has one problem, its format's.
  .refine(
    (text) => {
      const ms = Date.parse(text);
      return ms >= FIRST_MS && ms < LAST_MS;
    },
    { message: 'an instant from 1970 to 9999 in UTC', when: (payload) => payload.issues.length === 0 },
  );

/** The request fields that scope an execution; `resolveWindow` checks what zod cannot. */
export const WindowFieldsSchema = z.object({
  from: isoInstant,
  to: isoInstant.optional(),
  accounts: z.array(AccountIdSchema).min(1).max(100).optional(),
  regions: z.array(RegionSchema).min(1).max(50).optional(),
});

export interface TimeWindow {
  /** Inclusive, `YYYY-MM-DDTHH:MM:SSZ`, the format of CloudTrail's eventTime. */
  readonly from: string;
  /** Exclusive, same format. */
  readonly to: string;
  /** First and last partition day, `YYYY/MM/DD`, slack included. */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

/** CloudTrail's eventTime format: compared as text, which orders as time for this format. */
const toEventTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const toPartitionDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');

export interface WindowInput {
  readonly from: string;
  readonly to?: string | undefined;
  readonly accounts?: readonly string[] | undefined;
  readonly regions?: readonly string[] | undefined;
}

/** Checks the window's order and length; returns the problem as text, or the window. */
export const resolveWindow = (
  input: WindowInput,
  maxDays: number,
  now: number = Date.now(),
): { window: TimeWindow } | { problem: { field: 'from' | 'to'; detail: string } } => {
  const fromMs = Math.floor(Date.parse(input.from) / 1000) * 1000;
  const toMs = Math.ceil((input.to === undefined ? now : Date.parse(input.to)) / 1000) * 1000;
  if (toMs <= fromMs) return { problem: { field: 'to', detail: '`to` must be later than `from`' } };
  if (toMs - fromMs > maxDays * DAY_MS) {
    // A forgotten `to` is the usual cause on old logs: say what it defaulted to.
    const defaulted =
      input.to === undefined ? `; \`to\` was not given, so it is now (${toEventTime(toMs)})` : '';
    return {
      problem: {
        field: 'to',
        detail: `the window is at most ${maxDays} days (TRAILHOUND_MAX_WINDOW_DAYS)${defaulted}; narrow from/to`,
      },
    };
  }
  return {
    window: {
      from: toEventTime(fromMs),
      to: toEventTime(toMs),
      firstDay: toPartitionDay(fromMs),
      lastDay: toPartitionDay(toMs - 1000 + DAY_MS),
      ...(input.accounts ? { accounts: [...new Set(input.accounts)] } : {}),
      ...(input.regions ? { regions: [...new Set(input.regions)] } : {}),
    },
  };
};

/** Every partition day from `firstDay` to `lastDay`, both included, `YYYY/MM/DD`. */
export const daysBetween = (firstDay: string, lastDay: string): string[] => {
  const days: string[] = [];
  const end = Date.parse(`${lastDay.replaceAll('/', '-')}T00:00:00Z`);
  for (let t = Date.parse(`${firstDay.replaceAll('/', '-')}T00:00:00Z`); t <= end; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10).replaceAll('-', '/'));
  }
  return days;
};

/**
 * Which days may be compacted. CloudTrail names a log file, and files it under the day, by when it
 * delivered the file, not by the events in it ("the year, month, day, hour, and minute when the
 * log file was delivered", CloudTrail log file name format): a day's prefix only receives files
 * during that day (UTC). An event delivered late lands in a later day's prefix, which the window's
 * day of slack reads. So a day is closed, and its prefix final, once it has ended; an hour more is
 * kept for a delivery begun before midnight and for clocks.
 */
import { DAY_MS } from '../clock.js';

const DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/** A day closes this long after it ends. */
const CLOSED_AFTER_MS = 3_600_000;

const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');

/** Milliseconds since the epoch at the start of a day (YYYY/MM/DD); throws for anything else. */
export const dayStartMs = (day: string): number => {
  const match = DAY.exec(day);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || toDay(ms) !== day) throw new Error(`Not a day (YYYY/MM/DD): ${day}`);
  return ms;
};

export const isDay = (text: string): boolean => {
  try {
    dayStartMs(text);
    return true;
  } catch {
    return false;
  }
};

/** The latest day that is closed at `now`. */
export const lastClosedDay = (now: Date): string => toDay(now.getTime() - CLOSED_AFTER_MS - DAY_MS);

export const nextDay = (day: string): string => toDay(dayStartMs(day) + DAY_MS);
export const previousDay = (day: string): string => toDay(dayStartMs(day) - DAY_MS);

/** Every day from `from` through `through`, in order; none when `from` is after `through`. */
export const daysFrom = (from: string, through: string): string[] => {
  const days: string[] = [];
  for (let ms = dayStartMs(from); ms <= dayStartMs(through); ms += DAY_MS) days.push(toDay(ms));
  return days;
};

/**
 * Checks a side's rows against planted.json: the same rows, each as often (every side), and in
 * the same order for sides that promise the API's order; for an engine side, also that every day
 * was read where the side says (all compacted for engine-store, all raw for engine-raw). Says what
 * differs, briefly.
 */
import type { ExpectedAnswer } from '../generator/plantedAnswers.js';
import type { DaysFrom, SideAnswer } from './sides.js';

export interface Verdict {
  readonly ok: boolean;
  readonly detail: string;
}

const keys = (rows: readonly unknown[][]) => rows.map((row) => JSON.stringify(row));

const checkRows = (expected: ExpectedAnswer, answer: SideAnswer): Verdict => {
  const want = keys(expected.rows);
  const got = keys(answer.rows);
  const remaining = new Map<string, number>();
  for (const k of want) remaining.set(k, (remaining.get(k) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const k of got) {
    const left = remaining.get(k) ?? 0;
    if (left > 0) remaining.set(k, left - 1);
    else unexpected.push(k);
  }
  const missing = [...remaining.entries()].flatMap(([k, n]) => Array<string>(n).fill(k));
  if (missing.length > 0 || unexpected.length > 0) {
    return {
      ok: false,
      detail: `${got.length} rows for ${want.length} expected: ${missing.length} missing (${missing.slice(0, 2).join(' ')}), ${unexpected.length} unexpected (${unexpected.slice(0, 2).join(' ')})`,
    };
  }
  if (answer.ordered && got.some((k, i) => k !== want[i])) {
    return { ok: false, detail: `the ${want.length} expected rows, in another order than the API's` };
  }
  return { ok: true, detail: `${got.length} rows as planted${answer.ordered ? ', in order' : ''}` };
};

/** All days from one place: statistics.days.raw (or .compacted) must be 0, and days reported. */
const checkDays = (daysFrom: DaysFrom, answer: SideAnswer): Verdict => {
  const days = answer.days;
  if (!days) return { ok: false, detail: 'no statistics.days in the execution' };
  const other = daysFrom === 'compacted' ? days.raw : days.compacted;
  return other === 0
    ? { ok: true, detail: `all ${days[daysFrom]} days ${daysFrom}` }
    : { ok: false, detail: `${days.raw} days raw and ${days.compacted} compacted, expected all ${daysFrom}` };
};

/** Whole events (the reference side): every event id of the planted answer among them. */
const checkEventIds = (expected: ExpectedAnswer, eventIds: readonly string[]): Verdict => {
  const column = expected.columns.indexOf('eventid');
  const want = new Set(expected.rows.map((row) => String(row[column])));
  const got = new Set(eventIds);
  const missing = [...want].filter((id) => !got.has(id));
  return missing.length > 0 || column < 0
    ? {
        ok: false,
        detail: `${eventIds.length} events, missing ${missing.length} of the ${want.size} planted (${missing.slice(0, 2).join(' ')})`,
      }
    : { ok: true, detail: `${eventIds.length} events, the ${want.size} planted among them` };
};

export const checkAnswer = (expected: ExpectedAnswer, answer: SideAnswer, daysFrom?: DaysFrom): Verdict => {
  const rows = answer.eventIds ? checkEventIds(expected, answer.eventIds) : checkRows(expected, answer);
  const verdicts = [rows, ...(daysFrom ? [checkDays(daysFrom, answer)] : [])];
  return { ok: verdicts.every((v) => v.ok), detail: verdicts.map((v) => v.detail).join('; ') };
};

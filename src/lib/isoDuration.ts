/**
 * ISO 8601 durations as watches take them (`PT5M`, `PT1H30M`, `P1D`, `P1W`): days, hours,
 * minutes and seconds, each a whole number. Years and months are refused: their length in time
 * depends on the calendar, and a schedule must not.
 */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The duration's length in milliseconds, or undefined when `text` is no duration of that form. */
export const parseIsoDuration = (text: string): number | undefined => {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (
    (weeks ?? 0) * 7 * DAY +
    (days ?? 0) * DAY +
    (hours ?? 0) * HOUR +
    (minutes ?? 0) * MINUTE +
    (seconds ?? 0) * SECOND
  );
};

/** `ms` as the shortest duration of whole days, hours, minutes and seconds (`P1DT30M`). */
export const formatIsoDuration = (ms: number): string => {
  let rest = Math.round(ms / SECOND) * SECOND;
  const days = Math.floor(rest / DAY);
  rest -= days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  const seconds = (rest - minutes * MINUTE) / SECOND;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
};

/**
 * A watch's findings are its run's result rows. Each has a key that names it across runs, so that
 * it is delivered once: the detection and the event id for the sweep (one event may trip several
 * detections), the event id for the other queries, and the hash of the row's values for a row
 * without one. PagerDuty's dedup_key carries it, as Opsgenie's alias or ServiceNow's
 * correlation_id would.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../evidence/canonicalJson.js';
import type { FindingRow } from './watchStore.js';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export const findingKey = (row: FindingRow): string => {
  const eventId = text(row.eventid);
  const detection = text(row.detection);
  if (eventId) return detection ? `${detection}:${eventId}` : eventId;
  return `sha256:${createHash('sha256').update(canonicalJson(row)).digest('hex')}`;
};

/** The finding's severity where its row has one (the sweep's detections). */
export const findingSeverity = (row: FindingRow): string | undefined => text(row.severity);

/** When it happened: the event's time, or an aggregate finding's first. */
export const findingTime = (row: FindingRow): string | undefined =>
  text(row.eventtime) ?? text(row.first_seen);

/** One line on what happened: the detection's own summary, or the call, who made it and from where. */
export const findingSummary = (query: string, row: FindingRow): string => {
  const detection = text(row.detection);
  const summary = text(row.summary);
  if (detection) return `${detection}: ${summary ?? text(row.eventname) ?? 'finding'}`;
  const who = text(row.principal) ?? text(row.principal_arn);
  const from = text(row.source_ip);
  const error = text(row.error_code);
  return [
    `${query}:`,
    text(row.eventname) ?? 'finding',
    ...(who ? [`by ${who}`] : []),
    ...(from ? [`from ${from}`] : []),
    ...(error ? [`(${error})`] : []),
  ].join(' ');
};

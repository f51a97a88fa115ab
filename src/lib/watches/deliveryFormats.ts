/**
 * What a watch sends for its new findings, in the format its receiver reads. Each delivery carries
 * the keys of the findings it holds: they count as delivered once the receiver answered it 2xx.
 * - `trailhound`: one signed POST `{type, watchId, executionId, window, findings: [rows]}`, each row
 *   with its `finding_key` (500 findings at most a POST);
 * - `pagerduty`: one Events API v2 `trigger` per finding, its `dedup_key` the finding's key, so
 *   PagerDuty too folds a finding sent twice into one incident;
 * - `slack`: incoming-webhook messages listing the findings, 20 a message (Slack takes 50 blocks);
 * - `jira`: one body per finding for a Jira Automation incoming webhook (summary, description,
 *   the finding), one issue each.
 */
import { createHash } from 'node:crypto';
import { chunks } from '../chunks.js';
import { findingSeverity, findingSummary, findingTime } from './findings.js';
import type { WatchFormat } from './watchDefinition.js';
import type { FindingRow } from './watchStore.js';

export interface Finding {
  readonly key: string;
  readonly row: FindingRow;
  /** The execution that found it (an earlier run's, for a finding left pending). */
  readonly executionId: string;
}

export interface DeliveryContext {
  readonly watchId: string;
  readonly label?: string | undefined;
  readonly query: string;
  readonly executionId: string;
  readonly window: { readonly from: string; readonly to: string };
  /** The API's base URL where known: links are absolute then, paths otherwise. */
  readonly publicUrl?: string | undefined;
  /** PagerDuty's routing key (the watch names the secret that holds it). */
  readonly routingKey?: string | undefined;
}

export interface Delivery {
  /** The same on every try of this delivery, and for the same findings in a later run. */
  readonly deliveryId: string;
  readonly keys: readonly string[];
  readonly body: unknown;
}

const TRAILHOUND_BATCH = 500;
const SLACK_BATCH = 20;

const digest = (keys: readonly string[]) =>
  createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32);

const links = (context: DeliveryContext, executionId: string) => {
  const base = (context.publicUrl ?? '').replace(/\/$/, '');
  return {
    watch: `${base}/v1/watches/${context.watchId}`,
    execution: `${base}/v1/executions/${executionId}`,
    results: `${base}/v1/executions/${executionId}/results`,
  };
};

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** PagerDuty's four severities, from the detections' four. */
const PAGERDUTY_SEVERITY: Record<string, string> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

const pagerDutyEvent = (finding: Finding, context: DeliveryContext) => {
  const { row } = finding;
  const account = typeof row.account === 'string' ? row.account : undefined;
  const region = typeof row.region === 'string' ? row.region : undefined;
  const time = findingTime(row);
  const href = links(context, finding.executionId).execution;
  return {
    routing_key: context.routingKey,
    event_action: 'trigger',
    dedup_key: finding.key,
    payload: {
      summary: cut(findingSummary(context.query, row), 1024),
      source: account ? `aws:${account}${region ? `:${region}` : ''}` : 'aws',
      severity: PAGERDUTY_SEVERITY[findingSeverity(row) ?? ''] ?? 'warning',
      ...(time ? { timestamp: time } : {}),
      ...(typeof row.eventsource === 'string' ? { component: row.eventsource } : {}),
      ...(account ? { group: account } : {}),
      class: typeof row.detection === 'string' ? row.detection : context.query,
      custom_details: { ...row, finding_key: finding.key, watch_id: context.watchId },
    },
    client: `trailhound watch ${context.label ?? context.watchId}`,
    ...(/^https?:/.test(href) ? { client_url: href } : {}),
  };
};

/** Slack's mrkdwn: &, < and > escaped, as its formatting reference asks. */
const slackText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const slackMessage = (findings: readonly Finding[], context: DeliveryContext, part: string) => {
  const name = context.label ?? context.watchId;
  const title = `trailhound watch ${name}: ${findings.length} new finding${findings.length === 1 ? '' : 's'} of ${context.query}${part}`;
  const { execution } = links(context, context.executionId);
  return {
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(title, 150) } },
      ...findings.map(({ row, key }) => {
        const severity = findingSeverity(row);
        const time = findingTime(row);
        const lines = [
          `${severity ? `*${slackText(severity)}* ` : ''}${slackText(findingSummary(context.query, row))}`,
          [
            time,
            typeof row.account === 'string' ? row.account : undefined,
            typeof row.region === 'string' ? row.region : undefined,
          ]
            .filter(Boolean)
            .map((part) => `\`${slackText(String(part))}\``)
            .join(' '),
          `key \`${slackText(key)}\``,
        ];
        return { type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), 3000) } };
      }),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: slackText(`window ${context.window.from} to ${context.window.to} · execution ${execution}`),
          },
        ],
      },
    ],
  };
};

const jiraBody = (finding: Finding, context: DeliveryContext) => {
  const { row } = finding;
  const summary = findingSummary(context.query, row);
  const link = links(context, finding.executionId);
  const details = Object.entries(row)
    .filter(([, value]) => value !== null && value !== '')
    .map(([column, value]) => `${column}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return {
    // Jira's summary field takes 255 characters.
    summary: cut(`[trailhound] ${summary}`, 255),
    description: [
      `Found by trailhound watch ${context.label ?? context.watchId} (query ${context.query}) in ${context.window.from} to ${context.window.to}.`,
      '',
      ...details,
      '',
      `Execution: ${link.execution}`,
      `Finding key: ${finding.key}`,
    ].join('\n'),
    ...(findingSeverity(row) ? { severity: findingSeverity(row) } : {}),
    findingKey: finding.key,
    watchId: context.watchId,
    ...(context.label ? { label: context.label } : {}),
    query: context.query,
    executionId: finding.executionId,
    window: context.window,
    finding: row,
    links: link,
  };
};

/** The deliveries of `findings` in `format`, in the order they are to be sent. */
export const deliveriesOf = (
  format: WatchFormat,
  findings: readonly Finding[],
  context: DeliveryContext,
): Delivery[] => {
  if (findings.length === 0) return [];
  switch (format) {
    case 'trailhound':
      return chunks(findings, TRAILHOUND_BATCH).map((part) => {
        const keys = part.map((f) => f.key);
        return {
          deliveryId: `${context.watchId}:${digest(keys)}`,
          keys,
          body: {
            type: 'watch.findings',
            watchId: context.watchId,
            ...(context.label ? { label: context.label } : {}),
            query: context.query,
            executionId: context.executionId,
            window: context.window,
            findings: part.map((f) => ({ ...f.row, finding_key: f.key })),
            links: links(context, context.executionId),
          },
        };
      });
    case 'pagerduty':
      return findings.map((f) => ({
        deliveryId: `${context.watchId}:${f.key}`,
        keys: [f.key],
        body: pagerDutyEvent(f, context),
      }));
    case 'slack': {
      const parts = chunks(findings, SLACK_BATCH);
      return parts.map((part, i) => {
        const keys = part.map((f) => f.key);
        const label = parts.length > 1 ? ` (${i + 1} of ${parts.length})` : '';
        return {
          deliveryId: `${context.watchId}:${digest(keys)}`,
          keys,
          body: slackMessage(part, context, label),
        };
      });
    }
    case 'jira':
      return findings.map((f) => ({
        deliveryId: `${context.watchId}:${f.key}`,
        keys: [f.key],
        body: jiraBody(f, context),
      }));
  }
};

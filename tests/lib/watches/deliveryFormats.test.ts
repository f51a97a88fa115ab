/**
 * Each format's body, as its receiver reads it: PagerDuty's Events API v2 (routing_key,
 * event_action, dedup_key, payload.summary/source/severity/timestamp/custom_details), a Slack
 * incoming webhook's blocks within Slack's limits, a Jira Automation webhook's summary and
 * description, and trailhound's own batches. Findings' keys as the watch dedups them.
 */
import { describe, expect, it } from 'vitest';
import {
  type DeliveryContext,
  deliveriesOf,
  type Finding,
} from '../../../src/lib/watches/deliveryFormats.js';
import { findingKey } from '../../../src/lib/watches/findings.js';

// A row of the sweep over the bundled sample, as its result page gives it.
const sweepRow = {
  detection: 'security-group-ingress-open-to-world',
  severity: 'high',
  techniques: 'T1562.007',
  eventtime: '2023-07-10T14:05:11Z',
  eventid: '9f3e0c33-5b1a-4f6f-8a39-0d6b3a1f3d10',
  eventname: 'AuthorizeSecurityGroupIngress',
  principal: 'bert-jan',
  principal_arn: 'arn:aws:iam::123837392027:user/bert-jan',
  source_ip: '84.85.36.92',
  account: '123837392027',
  region: 'eu-west-1',
  error_code: null,
  summary: 'tcp 22 opened to 0.0.0.0/0 on sg-0b5f0d5a3d2c1e7f9 by bert-jan <admin> & co',
  first_seen: null,
  last_seen: null,
  events: null,
  distinct_resources: null,
  sample_event_ids: null,
};
const eventRow = {
  eventtime: '2023-07-10T14:01:00Z',
  eventid: 'c0ffee00-0000-4000-8000-000000000001',
  eventsource: 'iam.amazonaws.com',
  eventname: 'AttachUserPolicy',
  principal: 'bert-jan',
  source_ip: '84.85.36.92',
  account: '123837392027',
  region: 'us-east-1',
  error_code: 'AccessDenied',
};

const context: DeliveryContext = {
  watchId: '7d4b5c1e-2f3a-4b6c-8d9e-0a1b2c3d4e5f',
  label: 'soc-sweep',
  query: 'sweep',
  executionId: '11111111-2222-4333-8444-555555555555',
  window: { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' },
  publicUrl: 'https://trailhound.example.com/',
  routingKey: 'R0UT1NGKEY',
};
/** The body of the only delivery of `findings` in `format`. */
const bodyOf = (format: 'pagerduty', row: Record<string, unknown>) => {
  const [delivery] = deliveriesOf(format, [finding(row)], context);
  if (!delivery) throw new Error('no delivery');
  return delivery.body as { payload: { summary: string; severity: string } };
};
const finding = (row: Record<string, unknown>): Finding => ({
  key: findingKey(row as Finding['row']),
  row: row as Finding['row'],
  executionId: context.executionId,
});

describe('finding keys', () => {
  it('are the detection and event id for the sweep, the event id otherwise, the values hashed without one', () => {
    expect(findingKey(sweepRow)).toBe(`security-group-ingress-open-to-world:${sweepRow.eventid}`);
    expect(findingKey(eventRow)).toBe(eventRow.eventid);
    const plain = findingKey({ principal: 'bert-jan', calls: 12 });
    expect(plain).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The same values in another order are the same finding; other values another.
    expect(findingKey({ calls: 12, principal: 'bert-jan' })).toBe(plain);
    expect(findingKey({ principal: 'bert-jan', calls: 13 })).not.toBe(plain);
  });
});

describe('delivery formats', () => {
  it('nothing to deliver, nothing sent', () => {
    for (const format of ['trailhound', 'pagerduty', 'slack', 'jira'] as const) {
      expect(deliveriesOf(format, [], context)).toEqual([]);
    }
  });

  it('pagerduty: one Events API v2 trigger per finding, deduplicated by its key', () => {
    const [sweep, event, ...more] = deliveriesOf('pagerduty', [finding(sweepRow), finding(eventRow)], {
      ...context,
      query: 'iam-privilege-changes',
    });
    expect(more).toEqual([]);
    expect(sweep?.keys).toEqual([findingKey(sweepRow)]);
    expect(sweep?.body).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: `security-group-ingress-open-to-world:${sweepRow.eventid}`,
      payload: {
        summary: `security-group-ingress-open-to-world: ${sweepRow.summary}`,
        source: 'aws:123837392027:eu-west-1',
        severity: 'error',
        timestamp: '2023-07-10T14:05:11Z',
        group: '123837392027',
        class: 'security-group-ingress-open-to-world',
        custom_details: { ...sweepRow, finding_key: findingKey(sweepRow), watch_id: context.watchId },
      },
      client: 'trailhound watch soc-sweep',
      client_url: `https://trailhound.example.com/v1/executions/${context.executionId}`,
    });
    expect(event?.body).toMatchObject({
      dedup_key: eventRow.eventid,
      payload: {
        summary: 'iam-privilege-changes: AttachUserPolicy by bert-jan from 84.85.36.92 (AccessDenied)',
        severity: 'warning',
        component: 'iam.amazonaws.com',
        class: 'iam-privilege-changes',
      },
    });
    // Each delivery its own id, the same for the same finding in a later run.
    expect(sweep?.deliveryId).toBe(`${context.watchId}:${findingKey(sweepRow)}`);
  });

  it("pagerduty: a summary within PagerDuty's 1,024 characters, and the four severities mapped", () => {
    expect(bodyOf('pagerduty', { ...sweepRow, summary: 'x'.repeat(5000) }).payload.summary).toHaveLength(
      1024,
    );
    const severities = ['critical', 'high', 'medium', 'low'].map(
      (severity) => bodyOf('pagerduty', { ...sweepRow, severity }).payload.severity,
    );
    expect(severities).toEqual(['critical', 'error', 'warning', 'info']);
  });

  it('slack: messages of 20 findings at most, mrkdwn escaped, within its block limits', () => {
    const findings = Array.from({ length: 45 }, (_, i) => finding({ ...sweepRow, eventid: `event-${i}` }));
    const messages = deliveriesOf('slack', findings, context);
    expect(messages.map((m) => m.keys.length)).toEqual([20, 20, 5]);
    expect(new Set(messages.flatMap((m) => m.keys)).size).toBe(45);
    const first = messages[0]?.body as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    expect(first.text).toBe('trailhound watch soc-sweep: 20 new findings of sweep (1 of 3)');
    expect(first.blocks).toHaveLength(22);
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    expect(first.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: first.text } });
    const section = first.blocks[1]?.text?.text ?? '';
    expect(section).toContain('*high* security-group-ingress-open-to-world: tcp 22 opened');
    expect(section).toContain('by bert-jan &lt;admin&gt; &amp; co');
    expect(section).not.toMatch(/<admin>/);
    expect(section).toContain('`security-group-ingress-open-to-world:event-0`');
    expect(first.blocks.at(-1)?.type).toBe('context');
  });

  it("jira: one issue per finding, its summary within Jira's 255 characters, the finding in full", () => {
    const long = { ...sweepRow, summary: 'y'.repeat(400) };
    const [issue, ...more] = deliveriesOf('jira', [finding(long)], context);
    expect(more).toEqual([]);
    const body = issue?.body as Record<string, unknown>;
    expect(String(body.summary)).toHaveLength(255);
    expect(String(body.summary).startsWith('[trailhound] security-group-ingress-open-to-world: yyy')).toBe(
      true,
    );
    expect(body).toMatchObject({
      findingKey: findingKey(long),
      severity: 'high',
      watchId: context.watchId,
      label: 'soc-sweep',
      executionId: context.executionId,
      finding: long,
    });
    expect(String(body.description)).toContain('eventname: AuthorizeSecurityGroupIngress');
    expect(String(body.description)).toContain(`Finding key: ${findingKey(long)}`);
    expect(String(body.description)).not.toContain('error_code');
  });

  it('trailhound: the rows with their keys, 500 a POST, links absolute where the public URL is known', () => {
    const findings = Array.from({ length: 501 }, (_, i) => finding({ ...eventRow, eventid: `e-${i}` }));
    const [big, rest] = deliveriesOf('trailhound', findings, context);
    const body = big?.body as { findings: Record<string, unknown>[]; links: Record<string, string> };
    expect(body.findings).toHaveLength(500);
    expect(body.findings[0]).toEqual({ ...eventRow, eventid: 'e-0', finding_key: 'e-0' });
    expect(body.links.execution).toBe(`https://trailhound.example.com/v1/executions/${context.executionId}`);
    expect(rest?.keys).toEqual(['e-500']);
    expect(big?.deliveryId).not.toBe(rest?.deliveryId);
    const [relative] = deliveriesOf('trailhound', findings.slice(0, 1), { ...context, publicUrl: undefined });
    expect(relative?.body).toMatchObject({ links: { watch: `/v1/watches/${context.watchId}` } });
  });
});

/**
 * Every figure the README shows of an answer on the bundled sample is what a fresh clone answers:
 * the README's own requests (parsed out of its curl examples) sent to a server over the sample,
 * as `npm start` has it a few seconds after starting (the sample compacted into its store), and
 * the raw figure the README gives for before that, from a server with an empty store.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { compactStore } from '../../src/lib/store/duckdb/compactStore.js';
import { call, runToEnd } from '../helpers/apiClient.js';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const README = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'),
  'utf8',
);

interface Example {
  /** Where the curl command starts in the README. */
  readonly at: number;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** Every `curl … -X POST …/v1/executions… -d '{…}'` of the README that asks the sample. */
const EXAMPLES: Example[] = [
  ...README.matchAll(
    /curl -s -X POST '?(?:http:\/\/127\.0\.0\.1:3000|localhost:3000)(\/v1\/executions[^'\s]*)'?/g,
  ),
].flatMap((m) => {
  // The command's -d, on its line or the lines it continues onto (its JSON spans lines).
  const end = README.indexOf('\n\n', m.index);
  const data = /-d '([^']*)'/.exec(README.slice(m.index, end))?.[1];
  if (!data) return [];
  const body = JSON.parse(data.replaceAll(/\s*\n\s*/g, ' ')) as Record<string, unknown>;
  return body.from === '2023-07-10T00:00:00Z' ? [{ at: m.index, path: m[1] as string, body }] : [];
});

/** The example asking `query`, with `dryRun` or not. */
const example = (query: string, dryRun = false): Example => {
  const found = EXAMPLES.find((e) => e.body.query === query && (e.body.dryRun === true) === dryRun);
  if (!found) throw new Error(`the README has no example of ${query}${dryRun ? ' (dry run)' : ''}`);
  return found;
};

/** The README's first fenced block after `at` (the answer it shows). */
const blockAfter = (at: number): string => {
  const start = README.indexOf('```', README.indexOf('```', at) + 3);
  const open = README.indexOf('\n', start) + 1;
  return README.slice(open, README.indexOf('```', open));
};

const thousands = (n: number) => n.toLocaleString('en-US');

let compacted: TestServer;
let raw: TestServer;

beforeAll(async () => {
  // What the server's background compaction has made of the sample a few seconds after npm start.
  const storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-readme-store-'));
  const summary = await compactStore({ logsDir: SAMPLE_LOGS_DIR, storeDir });
  expect(summary.failed).toEqual([]);
  compacted = await startTestServer(
    await duckDbTestRuntime(SAMPLE_LOGS_DIR, { TRAILHOUND_STORE_DIR: storeDir }),
  );
  raw = await startTestServer(await duckDbTestRuntime(SAMPLE_LOGS_DIR));
}, 120_000);

afterAll(async () => {
  for (const server of [compacted, raw]) {
    await server?.close();
    await server?.runtime.close?.();
  }
});

describe('the README, asked of a fresh clone', () => {
  it('finds the requests it shows: the three questions, the mistake, the dry run and the sweep', () => {
    expect(EXAMPLES.map((e) => `${e.body.query}${e.body.dryRun ? ' dry run' : ''}`)).toEqual(
      expect.arrayContaining([
        'security-group-ingress',
        'principal-activity',
        'iam-user-provenance',
        'principal-activity dry run',
        'sweep',
      ]),
    );
  });

  it('describes the sample as its files hold it: account, day, first and last minute, records', () => {
    const records = rawRecords('invictus-attack-simulation') as {
      eventTime: string;
      recipientAccountId: string;
    }[];
    const times = records.map((r) => r.eventTime).sort();
    const accounts = [...new Set(records.map((r) => r.recipientAccountId))];
    expect(accounts).toHaveLength(1);
    const minute = (t: string | undefined) => String(t).slice(11, 16);
    expect(README).toContain(
      `(account\n${accounts[0]}, ${String(times[0]).slice(0, 10)}, ${minute(times[0])} to ${minute(times.at(-1))} UTC, ${thousands(records.length)} records;`,
    );
  });

  it("shows the first question's answer: its row and the bytes it scanned", async () => {
    const question = example('security-group-ingress');
    const answer = await call(compacted.baseUrl, 'POST', question.path, question.body);
    expect(answer.status).toBe(200);
    const shown = blockAfter(question.at);
    const { bytesScanned, days } = answer.body.statistics;
    expect(shown).toContain(`"bytesScanned":${bytesScanned},`);
    expect(shown).toContain(`"days":${JSON.stringify(days)}`);
    const [row] = answer.body.results.rows;
    expect(answer.body.results.rows).toHaveLength(1);
    for (const field of ['eventtime', 'eventid', 'principal_arn', 'access_key_id', 'source_ip', 'cidr'])
      expect(shown, field).toContain(`"${field}":"${row[field]}"`);
    expect(shown).toContain(`"from_port":${row.from_port},"to_port":${row.to_port}`);
  });

  it("counts the user's events as the README does, and its callback example shows that execution", async () => {
    const question = example('principal-activity');
    const { execution, rows } = await runToEnd(compacted.baseUrl, question.body);
    expect(README).toContain(`${thousands(rows.length)} events, oldest first`);
    expect(README).toContain(
      `(\`${rows[0]?.eventname}\` at ${String(rows[0]?.eventtime).slice(11)} is the first)`,
    );
    expect(README).toContain(
      `"rowCount":${rows.length},"bytesScanned":${execution.body.statistics.bytesScanned},`,
    );
  });

  it('shows who created malicious-iam-user, each row in order', async () => {
    const { rows } = await runToEnd(compacted.baseUrl, example('iam-user-provenance').body);
    const table = README.slice(README.indexOf('| eventtime | eventname | principal | detail |'))
      .split('\n\n')[0]
      ?.split('\n')
      .slice(2)
      .map((line) => line.split(' | ').slice(0, 3).join(' | '));
    expect(table).toEqual(rows.map((r) => `| ${r.eventtime} | ${r.eventname} | ${r.principal}`));
  });

  it("shows the dry run's estimate once compacted, and the raw file's size before", async () => {
    const dryRun = example('principal-activity', true);
    const estimate = await call(compacted.baseUrl, 'POST', dryRun.path, dryRun.body);
    expect(estimate.status).toBe(200);
    expect(README).toContain(`#  "estimate":${JSON.stringify(estimate.body.estimate)},"wouldStart":true}`);
    const before = await call(raw.baseUrl, 'POST', dryRun.path, dryRun.body);
    expect(before.body.estimate.days).toEqual({ compacted: 0, raw: 1 });
    expect(README).toContain(
      `Before that, the raw file: ${thousands(before.body.estimate.bytesScanned)} bytes.`,
    );
  });

  it('names the findings of the sweep it quotes', async () => {
    // Every finding of the day, whatever its severity: the README quotes some of each example.
    const { rows } = await runToEnd(compacted.baseUrl, { ...example('sweep').body, parameters: {} });
    const summaries = rows.map((r) => `${r.severity} ${r.detection}: ${r.summary}`);
    const quoted = [...README.matchAll(/`(critical|high|medium|low)\s+([a-z-]+):\s+([^`]+)`/g)].map(
      (m) => `${m[1]} ${m[2]}: ${m[3]?.replaceAll(/\s*\n\s*/g, ' ')}`,
    );
    expect(quoted.length).toBeGreaterThanOrEqual(4);
    for (const finding of quoted) expect(summaries).toContain(finding);
  });

  it('shows the integrity check of the sample as the server answers it, ids and times aside', async () => {
    const at = README.indexOf("curl -s -X POST 'localhost:3000/v1/integrity-checks");
    expect(at).toBeGreaterThan(0);
    const command = README.slice(at, README.indexOf('\n\n', at));
    const url = /'localhost:3000(\/v1\/integrity-checks[^']*)'/.exec(command)?.[1] as string;
    const body = JSON.parse(/-d '([^']*)'/.exec(command)?.[1] as string);
    const answer = await call(compacted.baseUrl, 'POST', url, body);
    const shown = JSON.parse(blockAfter(at));
    for (const field of ['checkId', 'submittedAt', 'completedAt']) {
      expect(shown[field]).toBe('…');
      expect(answer.body[field]).toEqual(expect.any(String));
    }
    expect({ ...answer.body, checkId: '…', submittedAt: '…', completedAt: '…' }).toEqual(shown);
  });
});

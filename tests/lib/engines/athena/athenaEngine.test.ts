import { Readable } from 'node:stream';
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InternalServerException,
  InvalidRequestException,
  ListQueryExecutionsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AthenaEngine } from '../../../../src/lib/engines/athena/athenaEngine.js';
import {
  EngineRefusedError,
  EngineUnavailableError,
  ExecutionNotFoundError,
  ExecutionStateError,
  PageTokenError,
} from '../../../../src/lib/errors.js';
import type { IntegrityChecks } from '../../../../src/lib/integrity/integrityChecks.js';
import { encodeToken } from '../../../../src/lib/results/pageToken.js';
import { writeStatementHeader } from '../../../../src/lib/sql/statementHeader.js';
import { EXECUTION_ID, queryExecution } from '../../../helpers/athenaFixtures.js';

const athena = new AthenaClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const athenaMock = mockClient(athena);
const s3Mock = mockClient(s3);
const ID = EXECUTION_ID;
const OTHER_ID = 'f0e1d2c3-0000-4000-8000-000000000002';
/** A caller without an identity, as the local server has: it sees executions started without one. */
const NO_IDENTITY = { auditor: false };
const window = {
  from: '2023-07-10T00:00:00Z',
  to: '2023-07-11T00:00:00Z',
  firstDay: '2023/07/10',
  lastDay: '2023/07/11',
};

const presign = vi.fn(async () => 'https://bucket.s3.amazonaws.com/k.csv?X-Amz-Signature=x');
/** The engine's options in these tests, each test adding what it needs. */
const OPTIONS = {
  athena,
  s3,
  workGroup: 'trailhound',
  database: 'trailhound',
  catalog: 'AwsDataCatalog',
  retryBudgetMs: 2000,
};
const engine = new AthenaEngine({ ...OPTIONS, presign: presign as never });

const execution = queryExecution;

beforeEach(() => {
  athenaMock.reset();
  s3Mock.reset();
  // The spreadsheet-safe copy of a result exists unless a test says otherwise.
  s3Mock.on(HeadObjectCommand).resolves({});
  presign.mockClear();
});

describe('AthenaEngine.start', () => {
  const header = { query: 'mentions', from: window.from, to: window.to };
  const request = {
    statement: {
      sql: `${writeStatementHeader(header)}\nSELECT ?, ?`,
      parameters: ["O'Brien", '%_'],
      header,
      // Hand-written SQL: nothing for a compacted table to reassemble.
      parts: {
        scope: { sql: '', parameters: [] },
        rest: { ctes: [], sql: '', parameters: [], params: [] },
        window,
      },
    },
    columns: [],
    window,
  };

  it('sends the SQL unchanged, the values as quoted ExecutionParameters, in the workgroup, database and catalog', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    expect(await engine.start(request)).toEqual({ executionId: ID });
    expect(athenaMock).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: request.statement.sql,
      ExecutionParameters: ["'O''Brien'", "'%_'"],
      WorkGroup: 'trailhound',
      QueryExecutionContext: { Database: 'trailhound', Catalog: 'AwsDataCatalog' },
    });
    const input = athenaMock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('ClientRequestToken');
    expect(input).not.toHaveProperty('ResultReuseConfiguration');
  });

  it('passes the Idempotency-Key as ClientRequestToken and opts in to result reuse when asked', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    await engine.start({
      ...request,
      idempotencyKey: 'ticket-4711-evidence-run-000000001',
      reuseResultsMinutes: 60,
    });
    expect(athenaMock).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      ClientRequestToken: 'ticket-4711-evidence-run-000000001',
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 60 } },
    });
  });

  it('records the estimate in the statement, for get to report it; not with an Idempotency-Key', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    const estimate = { bytesScanned: 337_000, files: 4, days: { compacted: 0, raw: 2 } };
    await engine.start({ ...request, estimate });
    const sent = athenaMock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString ?? '';
    expect(sent).toMatch(/estimate=337000/);
    expect(sent.endsWith('\nSELECT ?, ?')).toBe(true);
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution({ Query: sent }) });
    expect((await engine.get(ID, NO_IDENTITY)).statistics).toMatchObject({
      bytesScanned: 337195,
      estimatedBytesScanned: 337000,
    });
    // A retry may estimate more (logs kept arriving): its statement must equal the first one's.
    await engine.start({ ...request, estimate, idempotencyKey: 'ticket-4711-evidence-run-000000002' });
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)[1]?.args[0].input.QueryString).toBe(
      request.statement.sql,
    );
  });

  it('abandons the integrity check of a start Athena refuses, unless a retry with its Idempotency-Key will read it, and not when the failure may follow a start', async () => {
    const abandoned: [string, string][] = [];
    const integrity = {
      start: async () => ({ checkId: '00000000-0000-4000-8000-00000000c0de' }),
      abandon: async (checkId: string, reason: string) => {
        abandoned.push([checkId, reason]);
      },
    } as unknown as IntegrityChecks;
    const verifying = new AthenaEngine({ ...OPTIONS, integrity });
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejects(new InvalidRequestException({ message: 'line 1:1: mismatched input', $metadata: {} }));
    await expect(verifying.start({ ...request, verifyIntegrity: true })).rejects.toBeInstanceOf(
      EngineRefusedError,
    );
    expect(abandoned).toEqual([
      [
        '00000000-0000-4000-8000-00000000c0de',
        expect.stringMatching(/^The execution it was started for could not start: .*mismatched input/),
      ],
    ]);
    await expect(
      verifying.start({
        ...request,
        verifyIntegrity: true,
        idempotencyKey: 'ticket-4711-evidence-run-000000003',
      }),
    ).rejects.toBeInstanceOf(EngineRefusedError);
    expect(abandoned).toHaveLength(1);
    // A failure that does not say Athena refused may follow a start: the check is left to run.
    for (const ambiguous of [
      new InternalServerException({ message: 'boom', $metadata: {} }),
      // A refusal the SDK met on a second attempt: its first may have started the execution.
      new InvalidRequestException({ message: 'line 1:1: mismatched input', $metadata: { attempts: 2 } }),
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
    ]) {
      athenaMock.on(StartQueryExecutionCommand).rejects(ambiguous);
      await expect(verifying.start({ ...request, verifyIntegrity: true })).rejects.toThrow();
    }
    expect(abandoned).toHaveLength(1);
  });

  it('retries a throttled start with backoff, then succeeds', async () => {
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves({ QueryExecutionId: ID });
    expect(await engine.start(request)).toEqual({ executionId: ID });
    expect(athenaMock).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 3);
  });

  it('is unavailable, retry after 5 s, when throttling outlasts the retry budget', async () => {
    const quick = new AthenaEngine({
      athena,
      s3,
      workGroup: 'trailhound',
      database: 'd',
      catalog: 'c',
      retryBudgetMs: 1,
    });
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const error = await quick.start(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as EngineUnavailableError).retryAfterSeconds).toBe(5);
  });

  it("maps Athena's refusal to a refusal and its internal failure to unavailable, never retrying them", async () => {
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejects(new InvalidRequestException({ message: 'line 1:8: mismatched input', $metadata: {} }));
    await expect(engine.start(request)).rejects.toBeInstanceOf(EngineRefusedError);
    athenaMock.reset();
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejects(new InternalServerException({ message: 'boom', $metadata: {} }));
    await expect(engine.start(request)).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(athenaMock).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });
});

describe('AthenaEngine.get', () => {
  it('maps the execution: state, query name and window from the statement header, statistics', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    expect(await engine.get(ID, NO_IDENTITY)).toEqual({
      executionId: ID,
      query: 'principal-activity',
      state: 'SUCCEEDED',
      submittedAt: '2026-01-01T00:00:00.000Z',
      completedAt: '2026-01-01T00:00:02.000Z',
      window: { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' },
      statistics: { bytesScanned: 337195, engineMs: 1234, queueMs: 56 },
    });
  });

  it("reports a failure with Athena's category and message", async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: execution({
        Status: {
          State: 'FAILED',
          SubmissionDateTime: new Date(),
          StateChangeReason: 'Query exhausted resources',
          AthenaError: {
            ErrorCategory: 2,
            ErrorType: 1001,
            ErrorMessage: 'Bytes scanned limit was exceeded',
          },
        },
      }),
    });
    expect((await engine.get(ID, NO_IDENTITY)).error).toEqual({
      category: 'USER',
      message: 'Bytes scanned limit was exceeded',
    });
  });

  it('does not know an execution of another workgroup, an unknown id, or a malformed one', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution({ WorkGroup: 'primary' }) });
    await expect(engine.get(ID, NO_IDENTITY)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    athenaMock
      .on(GetQueryExecutionCommand)
      .rejects(new InvalidRequestException({ message: `QueryExecution ${ID} was not found`, $metadata: {} }));
    await expect(engine.get(ID, NO_IDENTITY)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    athenaMock.reset();
    await expect(engine.get('../etc/passwd', NO_IDENTITY)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 0);
  });
});

describe('AthenaEngine.getResults', () => {
  /** The first row of a result: the column names. */
  const HEADER_ROW = {
    Data: [{ VarCharValue: 'eventname' }, { VarCharValue: 'from_port' }, { VarCharValue: 'admin_policy' }],
  };
  const metadata = {
    ColumnInfo: [
      { Name: 'eventname', Type: 'varchar' },
      { Name: 'from_port', Type: 'integer' },
      { Name: 'admin_policy', Type: 'boolean' },
    ],
  };

  it('drops the header row on the first page only, asking for one more row to make up for it', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    athenaMock.on(GetQueryResultsCommand).resolvesOnce({
      ResultSet: {
        ResultSetMetadata: metadata,
        Rows: [
          HEADER_ROW,
          {
            Data: [
              { VarCharValue: 'AuthorizeSecurityGroupIngress' },
              { VarCharValue: '22' },
              { VarCharValue: 'false' },
            ],
          },
        ],
      },
      NextToken: 'opaque-athena-token',
    });
    const page = await engine.getResults(ID, { limit: 1 }, NO_IDENTITY);
    expect(athenaMock).toHaveReceivedCommandWith(GetQueryResultsCommand, {
      QueryExecutionId: ID,
      MaxResults: 2,
    });
    expect(page).toEqual({
      columns: [
        { name: 'eventname', type: 'varchar' },
        { name: 'from_port', type: 'integer' },
        { name: 'admin_policy', type: 'boolean' },
      ],
      rows: [{ eventname: 'AuthorizeSecurityGroupIngress', from_port: 22, admin_policy: false }],
      // Ours, holding Athena's and the execution's id.
      nextToken: encodeToken({ e: ID, a: 'opaque-athena-token' }),
    });
  });

  it("goes on at Athena's NextToken, keeps later first rows, and turns a missing value into null", async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    athenaMock.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: metadata,
        Rows: [{ Data: [{ VarCharValue: 'CreateUser' }, {}, { VarCharValue: 'true' }] }],
      },
    });
    const page = await engine.getResults(
      ID,
      { limit: 1000, nextToken: encodeToken({ e: ID, a: 'opaque-athena-token' }) },
      NO_IDENTITY,
    );
    expect(athenaMock).toHaveReceivedCommandWith(GetQueryResultsCommand, {
      NextToken: 'opaque-athena-token',
      MaxResults: 1000,
    });
    expect(page.rows).toEqual([{ eventname: 'CreateUser', from_port: null, admin_policy: true }]);
    expect(page).not.toHaveProperty('nextToken');
  });

  it("refuses a nextToken it did not hand out, or one of another execution's, before asking Athena", async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    for (const token of ['opaque-athena-token', 'x'.repeat(2000), encodeToken({ e: OTHER_ID, a: 'tok' })]) {
      await expect(
        engine.getResults(ID, { limit: 10, nextToken: token }, NO_IDENTITY),
      ).rejects.toBeInstanceOf(PageTokenError);
    }
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryResultsCommand, 0);
  });

  it('gives a first page of 1,000 rows as asked, the header row aside, in two calls', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    const row = (n: number) => ({
      Data: [{ VarCharValue: `E${n}` }, { VarCharValue: String(n) }, { VarCharValue: 'true' }],
    });
    athenaMock
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        ResultSet: {
          ResultSetMetadata: metadata,
          Rows: [HEADER_ROW, ...Array.from({ length: 999 }, (_, i) => row(i))],
        },
        NextToken: 'after-999',
      })
      .resolvesOnce({
        ResultSet: { ResultSetMetadata: metadata, Rows: [row(999)] },
        NextToken: 'after-1000',
      });
    const page = await engine.getResults(ID, { limit: 1000 }, NO_IDENTITY);
    expect(page.rows.map((r) => r.from_port)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(athenaMock).toHaveReceivedNthCommandWith(GetQueryResultsCommand, 2, {
      NextToken: 'after-999',
      MaxResults: 1,
    });
    athenaMock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [] } });
    await engine.getResults(ID, { limit: 5, nextToken: page.nextToken as string }, NO_IDENTITY);
    expect(athenaMock).toHaveReceivedCommandWith(GetQueryResultsCommand, {
      NextToken: 'after-1000',
      MaxResults: 5,
    });
  });

  it('never asks Athena for more than 1,000 rows', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    athenaMock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [] } });
    await engine.getResults(ID, { limit: 1000 }, NO_IDENTITY);
    expect(athenaMock).toHaveReceivedCommandWith(GetQueryResultsCommand, { MaxResults: 1000 });
  });

  it('refuses results with the reason while the execution is not SUCCEEDED', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: execution({
        Status: { State: 'FAILED', AthenaError: { ErrorCategory: 2, ErrorMessage: 'TABLE_NOT_FOUND' } },
      }),
    });
    const error = await engine.getResults(ID, { limit: 10 }, NO_IDENTITY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionStateError);
    expect((error as Error).message).toContain('TABLE_NOT_FOUND');
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryResultsCommand, 0);
  });
});

describe('AthenaEngine.getResultsLink', () => {
  it('presigns a GET of the result object for the lifetime asked, named after query and window', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    const link = await engine.getResultsLink(ID, { expiresInSeconds: 900 }, NO_IDENTITY);
    expect(link.url).toBe('https://bucket.s3.amazonaws.com/k.csv?X-Amz-Signature=x');
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(895_000);
    const [client, command, options] = presign.mock.calls[0] as unknown as [
      S3Client,
      GetObjectCommand,
      { expiresIn: number },
    ];
    expect(client).toBe(s3);
    expect(command).toBeInstanceOf(GetObjectCommand);
    expect(command.input).toEqual({
      Bucket: 'trailhound-results',
      Key: `athena/${ID}.safe.csv`,
      ResponseContentType: 'text/csv; charset=utf-8',
      ResponseContentDisposition: `attachment; filename="trailhound_principal-activity_20230710T000000Z-20230711T000000Z_6f1a5f0e.csv"`,
    });
    expect(options).toEqual({ expiresIn: 900 });
  });

  it('writes the spreadsheet-safe copy of the result the first time, from the result itself', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound' }));
    const csv = '"eventname","user_agent"\n"GetCallerIdentity","=HYPERLINK(""x"")"\n"PutObject",\n';
    s3Mock.on(GetObjectCommand).resolves({ Body: Readable.from([Buffer.from(csv)]) as never });
    s3Mock.on(PutObjectCommand).resolves({});
    await engine.getResultsLink(ID, { expiresInSeconds: 900 }, NO_IDENTITY);
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'trailhound-results',
      Key: `athena/${ID}.csv`,
    });
    const put = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      Bucket: 'trailhound-results',
      Key: `athena/${ID}.safe.csv`,
      ContentType: 'text/csv; charset=utf-8',
    });
    expect(Buffer.from(put?.Body as Uint8Array).toString('utf8')).toBe(
      '"eventname","user_agent"\n"GetCallerIdentity","\'=HYPERLINK(""x"")"\n"PutObject",\n',
    );
  });

  it('produces a real SigV4 presigned URL with the expiry and file name in it', async () => {
    const realS3 = new S3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    mockClient(realS3).on(HeadObjectCommand).resolves({});
    const real = new AthenaEngine({
      athena,
      s3: realS3,
      workGroup: 'trailhound',
      database: 'd',
      catalog: 'c',
      retryBudgetMs: 100,
    });
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    const url = new URL((await real.getResultsLink(ID, { expiresInSeconds: 600 }, NO_IDENTITY)).url);
    expect(url.hostname).toBe('trailhound-results.s3.us-east-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-disposition')).toContain('trailhound_principal-activity_');
  });
});

describe('AthenaEngine.cancel', () => {
  it('stops a running execution', async () => {
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: execution({}, 'RUNNING') })
      .resolves({ QueryExecution: execution({}, 'CANCELLED') });
    athenaMock.on(StopQueryExecutionCommand).resolves({});
    expect((await engine.cancel(ID, NO_IDENTITY)).state).toBe('CANCELLED');
    expect(athenaMock).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: ID });
  });

  it('refuses to stop one that ended, and one of another workgroup', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: execution() });
    await expect(engine.cancel(ID, NO_IDENTITY)).rejects.toBeInstanceOf(ExecutionStateError);
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: execution({ WorkGroup: 'other' }, 'RUNNING') });
    await expect(engine.cancel(ID, NO_IDENTITY)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    expect(athenaMock).toHaveReceivedCommandTimes(StopQueryExecutionCommand, 0);
  });
});

describe('AthenaEngine per-caller isolation', () => {
  const ALICE = 'arn:aws:sts::111122223333:assumed-role/responder/alice';
  const owned = () =>
    execution({
      Query: `${writeStatementHeader({ query: 'mentions', from: window.from, to: window.to, owner: ALICE })}\nSELECT 1`,
    });

  it('shows an execution to the principal that started it, and to auditors', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: owned() });
    expect((await engine.get(ID, { principal: ALICE, auditor: false })).query).toBe('mentions');
    expect(
      (await engine.get(ID, { principal: 'arn:aws:iam::111122223333:user/audit', auditor: true })).query,
    ).toBe('mentions');
  });

  it('tells anyone else, and a caller without identity, that it does not exist; cancels nothing for them', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: owned() });
    const bob = { principal: 'arn:aws:sts::111122223333:assumed-role/responder/bob', auditor: false };
    await expect(engine.get(ID, bob)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    await expect(engine.get(ID, NO_IDENTITY)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    await expect(engine.getResults(ID, { limit: 10 }, bob)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    await expect(engine.getResultsLink(ID, { expiresInSeconds: 60 }, bob)).rejects.toBeInstanceOf(
      ExecutionNotFoundError,
    );
    await expect(engine.cancel(ID, bob)).rejects.toBeInstanceOf(ExecutionNotFoundError);
    expect(athenaMock).toHaveReceivedCommandTimes(StopQueryExecutionCommand, 0);
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryResultsCommand, 0);
  });
});

describe('AthenaEngine.list', () => {
  // A history of 260 executions, newest first: every 7th is labelled INC-1, one is another
  // principal's, one a statement that is not trailhound's.
  const ids = Array.from({ length: 260 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const history = ids.map((id, i) =>
    queryExecution({
      QueryExecutionId: id,
      Query:
        i === 5
          ? 'SELECT 1'
          : `${writeStatementHeader({
              query: 'mentions',
              from: window.from,
              to: window.to,
              ...(i === 12 ? { owner: 'arn:aws:iam::111122223333:user/other' } : {}),
              ...(i % 7 === 0 ? { label: 'INC-1' } : {}),
            })}\nSELECT 1`,
    }),
  );
  beforeEach(() => {
    athenaMock.on(ListQueryExecutionsCommand).callsFake(async (input) => {
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const end = start + (input.MaxResults ?? 50);
      return {
        QueryExecutionIds: ids.slice(start, end),
        ...(end < ids.length ? { NextToken: String(end) } : {}),
      };
    });
    athenaMock.on(BatchGetQueryExecutionCommand).callsFake(async (input) => ({
      QueryExecutions: history.filter((q) => input.QueryExecutionIds?.includes(q.QueryExecutionId ?? '')),
    }));
  });

  const everyPage = async (filter: { label?: string }, limit: number) => {
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await engine.list(filter, { limit, ...(token ? { nextToken: token } : {}) }, NO_IDENTITY);
      pages.push(page.executions.map((e) => e.executionId));
      token = page.nextToken;
    } while (token);
    return pages;
  };

  it("pages through the caller's trailhound executions, each once, newest first", async () => {
    const pages = await everyPage({}, 40);
    const mine = ids.filter((_, i) => i !== 5 && i !== 12);
    expect(pages.flat()).toEqual(mine);
    expect(pages[0]).toHaveLength(40);
  });

  it('resumes inside a batch, and reads at most 200 executions of the history a page', async () => {
    const labelled = ids.filter((_, i) => i % 7 === 0);
    const pages = await everyPage({ label: 'INC-1' }, 4);
    expect(pages.flat()).toEqual(labelled);
    // A filter matching nothing: a page after 200 executions, empty, then the rest.
    athenaMock.resetHistory();
    const none = await engine.list({ label: 'INC-2' }, { limit: 10 }, NO_IDENTITY);
    expect(none.executions).toEqual([]);
    expect(none.nextToken).toBeDefined();
    expect(athenaMock.commandCalls(ListQueryExecutionsCommand)).toHaveLength(4);
    const rest = await engine.list({ label: 'INC-2' }, { limit: 10, nextToken: none.nextToken }, NO_IDENTITY);
    expect(rest).toEqual({ executions: [] });
  });

  it('refuses a nextToken it did not hand out', async () => {
    await expect(engine.list({}, { limit: 5, nextToken: 'garbage' }, NO_IDENTITY)).rejects.toThrow(
      /nextToken of this listing/,
    );
  });
});

/**
 * SigV4 for execute-api endpoints. The signature is checked against a reference written here from
 * AWS's description of the algorithm (canonical request, string to sign, derived key), itself
 * checked first on two vectors of AWS's published SigV4 test suite; so the header would fail here
 * if the service, the region, the date, the signed headers or the payload hash were wrong.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { executeApiRegion, signerFor, signRequest } from '../../src/cli/requestSigner.js';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 percent-encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface ReferenceRequest {
  readonly method: string;
  readonly url: URL;
  /** Every header sent and signed, host included. */
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** The Authorization header AWS computes for `request`, following its SigV4 documentation. */
const referenceAuthorization = (
  request: ReferenceRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  service: string,
): string => {
  const amzDate = request.headers['x-amz-date'] as string;
  const day = amzDate.slice(0, 8);
  const names = Object.keys(request.headers)
    .map((n) => n.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((n) => `${n}:${request.headers[n]?.trim()}\n`).join('');
  const canonicalQuery = [...request.url.searchParams]
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  const canonicalRequest = [
    request.method,
    request.url.pathname
      .split('/')
      .map((segment) => encode(segment))
      .join('/'),
    canonicalQuery,
    canonicalHeaders,
    names.join(';'),
    sha256(request.body ?? ''),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
};

// The credentials and date of AWS's SigV4 test suite.
const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNING_DATE = new Date('2015-08-30T12:36:00Z');

describe('the reference SigV4', () => {
  it.each([
    ['GET', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['POST', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ])('gives the published signature of %s-vanilla', (method, signature) => {
    const authorization = referenceAuthorization(
      {
        method,
        url: new URL('https://example.amazonaws.com/'),
        headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      },
      EXAMPLE,
      'us-east-1',
      'service',
    );
    expect(authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    );
  });
});

describe('executeApiRegion', () => {
  it.each([
    ['https://abc123.execute-api.us-east-1.amazonaws.com/prod', 'us-east-1'],
    ['https://abc123.execute-api.eu-west-3.amazonaws.com/', 'eu-west-3'],
    ['https://abc123-vpce-0123456789abcdef0.execute-api.ap-south-1.vpce.amazonaws.com/prod', 'ap-south-1'],
    ['https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod', 'cn-north-1'],
  ])('reads the region of %s', (url, region) => {
    expect(executeApiRegion(new URL(url))).toBe(region);
  });

  it.each([
    'http://127.0.0.1:3000',
    'http://abc123.execute-api.us-east-1.amazonaws.com/prod',
    'https://api.example.com/prod',
    'https://abc123.execute-api.us-east-1.amazonaws.com.evil.example/prod',
  ])('signs nothing for %s', (url) => {
    expect(executeApiRegion(new URL(url))).toBeUndefined();
    expect(signerFor(new URL(url))).toBeUndefined();
  });
});

describe('signRequest', () => {
  const credentials = { ...EXAMPLE, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN//+=' };

  it('signs a start for execute-api in the region of the host, with the body and session token', async () => {
    const url = new URL('https://abc123.execute-api.eu-west-3.amazonaws.com/prod/v1/executions?wait=20');
    const body = JSON.stringify({ query: 'principal-activity', parameters: { userName: 'bert-jan' } });
    const headers = await signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
      { region: 'eu-west-3', credentials, signingDate: SIGNING_DATE },
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(headers['x-amz-content-sha256']).toBe(sha256(body));
    expect(headers.host).toBeUndefined();
    const { authorization, ...signed } = headers;
    expect(authorization).toContain('Credential=AKIDEXAMPLE/20150830/eu-west-3/execute-api/aws4_request');
    expect(authorization).toBe(
      referenceAuthorization(
        { method: 'POST', url, headers: { ...signed, host: url.host }, body },
        credentials,
        'eu-west-3',
        'execute-api',
      ),
    );
  });

  it('signs a page request whose query holds a token with reserved characters', async () => {
    const url = new URL('https://abc123.execute-api.us-east-1.amazonaws.com/prod/v1/executions/x/results');
    url.searchParams.set('nextToken', 'eyJvIjoxfQ==/+a b');
    url.searchParams.set('limit', '1000');
    const headers = await signRequest(
      { method: 'GET', url, headers: { accept: 'application/json' } },
      { region: 'us-east-1', credentials: EXAMPLE, signingDate: SIGNING_DATE },
    );
    const { authorization, ...signed } = headers;
    expect(signed['x-amz-security-token']).toBeUndefined();
    expect(authorization).toBe(
      referenceAuthorization(
        { method: 'GET', url, headers: { ...signed, host: url.host } },
        EXAMPLE,
        'us-east-1',
        'execute-api',
      ),
    );
  });
});

describe('signerFor', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('signs with the credentials of the default chain (here, the environment)', async () => {
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMTHEENVIRONMENT');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-from-the-environment');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token-from-the-environment');
    const url = new URL('https://abc123.execute-api.us-west-2.amazonaws.com/prod/v1/queries');
    const sign = signerFor(url);
    expect(sign).toBeDefined();
    const headers = await sign?.({ method: 'GET', url, headers: {} });
    expect(headers?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFROMTHEENVIRONMENT\/\d{8}\/us-west-2\/execute-api\/aws4_request, /,
    );
    expect(headers?.['x-amz-security-token']).toBe('token-from-the-environment');
  });
});

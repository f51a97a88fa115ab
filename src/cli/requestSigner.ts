/**
 * SigV4 for an API Gateway endpoint (`https://<id>.execute-api.<region>.amazonaws.com/<stage>`),
 * whose methods use AWS_IAM authorization: the request is signed for the service `execute-api` in
 * the region its host names, with credentials from the AWS SDK's default chain (environment,
 * shared config and SSO, web identity, container and instance roles). Other endpoints, such as
 * the local server, are not signed.
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UsageError } from './errors.js';

const EXECUTE_API_HOST = /^[a-z0-9-]+\.execute-api\.([a-z0-9-]+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/;

/** The region of an execute-api URL, or undefined when the URL is not one. */
export const executeApiRegion = (url: URL): string | undefined =>
  url.protocol === 'https:' ? EXECUTE_API_HOST.exec(url.hostname)?.[1] : undefined;

export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Adds the signature headers to a request; returns the headers to send. */
export type RequestSigner = (request: OutgoingRequest) => Promise<Record<string, string>>;

const queryOf = (url: URL): Record<string, string | string[]> => {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
};

/**
 * The headers of `request` signed for execute-api in `region`: `authorization`, `x-amz-date`,
 * `x-amz-content-sha256` and, for temporary credentials, `x-amz-security-token`. `host` is signed
 * but not returned: fetch sends it from the URL.
 */
export const signRequest = async (
  request: OutgoingRequest,
  options: {
    readonly region: string;
    readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
    readonly signingDate?: Date;
  },
): Promise<Record<string, string>> => {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const { url } = request;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: queryOf(url),
      headers: { ...request.headers, host: url.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  const { host: _host, ...headers } = signed.headers;
  return headers;
};

/**
 * The signer an endpoint needs: SigV4 with the default credential chain for execute-api, none
 * otherwise. Credentials are looked up once, on the first request, and kept for the process.
 */
export const signerFor = (endpoint: URL): RequestSigner | undefined => {
  const region = executeApiRegion(endpoint);
  if (!region) return undefined;
  let provider: AwsCredentialIdentityProvider | undefined;
  const credentials: AwsCredentialIdentityProvider = async () => {
    try {
      // Loaded only for an AWS endpoint: the local server needs none of the credential chain.
      provider ??= (await import('@aws-sdk/credential-provider-node')).defaultProvider();
      return await provider();
    } catch (error) {
      throw new UsageError(
        `No AWS credentials to sign requests to ${endpoint.host}: ${(error as Error).message}. Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
        undefined,
        { cause: error },
      );
    }
  };
  return (request) => signRequest(request, { region, credentials });
};

/** Sends a generated request to a server and reads what matters of the answer. */
import { request as httpRequest } from 'node:http';
import type { FuzzRequest } from './requestArbitraries.js';

export interface FuzzAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** The request exactly as written: a target fetch would normalize, headers it would refuse. */
const sendRaw = (baseUrl: string, request: FuzzRequest): Promise<FuzzAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const outgoing = httpRequest(
      { hostname, port, method: request.method, path: request.path },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    for (const [name, value] of Object.entries(request.headers)) outgoing.setHeader(name, value);
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });

export const sendRequest = async (baseUrl: string, request: FuzzRequest): Promise<FuzzAnswer> => {
  if (request.raw) return sendRaw(baseUrl, request);
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    redirect: 'manual',
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
};

/** What every answer must be: no 5xx, and every refusal a problem document. */
export const answerProblems = (request: FuzzRequest, answer: FuzzAnswer): string[] => {
  const problems: string[] = [];
  if (answer.status >= 500)
    problems.push(`${answer.status} for ${request.method} ${request.path}: ${answer.body.slice(0, 300)}`);
  if (answer.status >= 400 && !answer.contentType.startsWith('application/problem+json')) {
    problems.push(`${answer.status} without a problem document for ${request.method} ${request.path}`);
  }
  return problems;
};

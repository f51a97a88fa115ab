/** Sends a generated request to a server and reads what matters of the answer. */
import type { FuzzRequest } from './requestArbitraries.js';

export interface FuzzAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export const sendRequest = async (baseUrl: string, request: FuzzRequest): Promise<FuzzAnswer> => {
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

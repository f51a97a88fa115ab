/**
 * Dispatches a check to the function that runs checks (runIntegrityCheck), invoked asynchronously:
 * Lambda queues the event and answers 202 at once, so the API's function answers within its 29 s
 * whatever the check's size. Lambda does not retry it (the template sets no retries): a check
 * that fails says so in its record.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { CheckDispatch } from './integrityChecks.js';

/** What the runner is sent: the check to run (its record holds the window). */
interface DispatchedCheck {
  readonly checkId: string;
}

export const lambdaDispatch =
  (lambda: LambdaClient, functionName: string): CheckDispatch =>
  async (checkId) => {
    const payload: DispatchedCheck = { checkId };
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    if (answer.StatusCode !== 202) {
      throw new Error(
        `Lambda answered ${answer.StatusCode} to the asynchronous invocation of ${functionName}`,
      );
    }
  };

/**
 * A real HTTP receiver of callbacks on this machine: it keeps every request it gets, and answers
 * with the statuses queued in `answers`, in turn, then with `fallback`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface CallbackReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  /** The listening server (unref() it where nothing closes the receiver). */
  readonly server: Server;
  readonly received: Received[];
  /** Statuses to answer with, in turn. */
  answers: number[];
  /** Forgets what was received and queued. */
  reset(): void;
  close(): Promise<void>;
}

export const startCallbackReceiver = async (fallback = 200): Promise<CallbackReceiver> => {
  const receiver: Omit<CallbackReceiver, 'origin' | 'port' | 'server' | 'close'> = {
    received: [],
    answers: [],
    reset() {
      this.received.length = 0;
      this.answers = [];
    },
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      receiver.received.push({ headers: request.headers, body });
      response.statusCode = receiver.answers.shift() ?? fallback;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    origin: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
};

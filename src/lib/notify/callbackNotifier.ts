/**
 * Sends the callback of each execution that asked for one when it ends, in the background: the
 * engine that saw the end hands it here and goes on. The delivery id is the execution id and its
 * final state, the same on every try. `settled()` waits for deliveries under way (shutdown, tests).
 */

import type { RequestLimits } from '../config.js';
import type { Execution } from '../engines/queryEngine.js';
import { ConfigurationError } from '../errors.js';
import { logger } from '../logging/logger.js';
import { allowedOrigins } from './addressPolicy.js';
import { type CallbackSettings, type DeliveryOutcome, deliverCallback } from './callbackDelivery.js';
import { callbackPayload } from './callbackPayload.js';

export interface EndedExecution {
  readonly execution: Execution;
  readonly notifyUrl: string;
  readonly rowCount?: number | undefined;
}

export class CallbackNotifier {
  readonly #inFlight = new Set<Promise<DeliveryOutcome>>();
  /** Where the server was reached: the links' base when no public URL is configured. */
  #listeningAt: string | undefined;

  constructor(private readonly settings: CallbackSettings & { readonly publicUrl?: string | undefined }) {}

  /** Told the address the server listens on (the local server, once it has its port). */
  listeningAt(baseUrl: string): void {
    this.#listeningAt = baseUrl;
  }

  /** Delivers the callback of `ended`; resolves with the outcome (the engine does not wait). */
  notify(ended: EndedExecution): Promise<DeliveryOutcome> {
    const { execution } = ended;
    const deliveryId = `${execution.executionId}:${execution.state}`;
    const delivery = deliverCallback(
      ended.notifyUrl,
      callbackPayload(execution, {
        publicUrl: this.settings.publicUrl ?? this.#listeningAt,
        rowCount: ended.rowCount,
      }),
      deliveryId,
      this.settings,
    ).then((outcome) => {
      const log = outcome.delivered ? logger.info.bind(logger) : logger.error.bind(logger);
      log(outcome.delivered ? 'callback delivered' : 'callback not delivered', {
        executionId: execution.executionId,
        deliveryId,
        attempts: outcome.attempts,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
      });
      return outcome;
    });
    this.#inFlight.add(delivery);
    void delivery.finally(() => this.#inFlight.delete(delivery));
    return delivery;
  }

  /** The links' base: the public URL, else where the server listens (undefined on Lambda without one). */
  baseUrl(): string | undefined {
    return this.settings.publicUrl ?? this.#listeningAt;
  }

  /** POSTs `body` to `url` as a callback is (signed, retried, to an allowed origin only): a watch's delivery. */
  post(url: string, body: unknown, deliveryId: string): Promise<DeliveryOutcome> {
    const delivery = deliverCallback(url, body, deliveryId, this.settings);
    this.#inFlight.add(delivery);
    void delivery.finally(() => this.#inFlight.delete(delivery));
    return delivery;
  }

  /** Resolves when every delivery under way has ended, delivered or not. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }
}

/**
 * The notifier a configuration asks for: none without listed origins, and a configuration error
 * when origins are listed but no secret signs the callbacks.
 */
export const callbackNotifier = (
  config: Pick<RequestLimits, 'TRAILHOUND_NOTIFY_ALLOWED_ORIGINS' | 'TRAILHOUND_PUBLIC_URL'>,
  secret: string | undefined,
  options: { retryDelaysMs?: readonly number[] } = {},
): CallbackNotifier | undefined => {
  if (config.TRAILHOUND_NOTIFY_ALLOWED_ORIGINS.length === 0) return undefined;
  if (!secret) {
    throw new ConfigurationError(
      'TRAILHOUND_NOTIFY_ALLOWED_ORIGINS lists callback origins but no secret signs callbacks: set TRAILHOUND_NOTIFY_SECRET (32 characters or more)',
    );
  }
  return new CallbackNotifier({
    secret,
    origins: allowedOrigins(config.TRAILHOUND_NOTIFY_ALLOWED_ORIGINS),
    publicUrl: config.TRAILHOUND_PUBLIC_URL,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });
};

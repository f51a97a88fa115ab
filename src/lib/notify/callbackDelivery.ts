/**
 * Delivers one callback: a signed JSON POST to the URL the request named, retried with backoff
 * (1, 2, 4, 8, 16 and 32 s: seven tries over a minute) until the receiver answers 2xx. Every try
 * carries the same delivery id, so a receiver drops a duplicate. The address connected to is the
 * one checked against the policy (addressPolicy.ts), so DNS cannot point a name elsewhere between
 * the check and the connection.
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { logger } from '../logging/logger.js';
import type { AllowedOrigins } from './addressPolicy.js';
import { isInternalAddress, isLinkLocalAddress } from './addressPolicy.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signCallback } from './callbackSignature.js';

export interface CallbackSettings {
  readonly secret: string;
  readonly origins: AllowedOrigins;
  /** The waits between tries; one try more than waits. */
  readonly retryDelaysMs?: readonly number[];
  readonly timeoutMs?: number;
  /** How names are resolved: DNS (tests give a resolver of their own). */
  readonly resolve?: typeof dnsLookup;
}

export interface DeliveryOutcome {
  readonly delivered: boolean;
  readonly attempts: number;
  /** Why the last try failed, or why none was made. */
  readonly reason?: string;
}

export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000] as const;

class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
}

/** A lookup that connects only to an address the policy allows for this URL. */
const guardedLookup =
  (url: URL, origins: AllowedOrigins, resolve: typeof dnsLookup): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      // Reached through a name: an exactly listed one may lead inside, never to link-local.
      const allowed = origins.listsExactly(url)
        ? list.filter((a) => !isLinkLocalAddress(a.address))
        : list.filter((a) => !isInternalAddress(a.address));
      const chosen = allowed[0];
      if (!chosen) {
        return callback(new RefusedAddressError(`${hostname} resolves to an internal address only`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: typeof allowed) => void)(null, allowed);
      callback(null, chosen.address, chosen.family);
    });
  };

const post = (url: URL, body: string, headers: Record<string, string>, settings: CallbackSettings) =>
  new Promise<number>((resolve, reject) => {
    const literal = isIP(url.hostname.replace(/^\[|\]$/g, ''));
    if (
      literal &&
      !settings.origins.listsExactly(url) &&
      isInternalAddress(url.hostname.replace(/^\[|\]$/g, ''))
    ) {
      reject(new RefusedAddressError(`${url.hostname} is an internal address`));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        timeout: settings.timeoutMs ?? 10_000,
        // A connection of its own, so that every delivery resolves and checks its address again
        // (a kept-alive socket would carry on to wherever an earlier lookup led).
        agent: false,
        ...(literal ? {} : { lookup: guardedLookup(url, settings.origins, settings.resolve ?? dnsLookup) }),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    // The socket's timeout is one of inactivity; a receiver trickling bytes is cut off too.
    const limit = settings.timeoutMs ?? 10_000;
    const whole = setTimeout(() => request.destroy(new Error('the receiver did not answer in time')), limit);
    request.on('close', () => clearTimeout(whole));
    request.on('timeout', () => request.destroy(new Error('the receiver did not answer in time')));
    request.on('error', reject);
    request.end(body);
  });

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const deliverCallback = async (
  target: string,
  payload: unknown,
  deliveryId: string,
  settings: CallbackSettings,
): Promise<DeliveryOutcome> => {
  const url = new URL(target);
  if (!settings.origins.accepts(url)) return { delivered: false, attempts: 0, reason: 'origin not allowed' };
  const body = JSON.stringify(payload);
  const delays = settings.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let reason = '';
  for (let attempt = 1; attempt <= delays.length + 1; attempt += 1) {
    try {
      const status = await post(
        url,
        body,
        {
          'Content-Type': 'application/json',
          'User-Agent': 'trailhound-callback/1',
          [SIGNATURE_HEADER]: signCallback(settings.secret, body, Math.floor(Date.now() / 1000)),
          [DELIVERY_HEADER]: deliveryId,
        },
        settings,
      );
      if (status >= 200 && status < 300) return { delivered: true, attempts: attempt };
      reason = `the receiver answered ${status}`;
    } catch (error) {
      if (error instanceof RefusedAddressError)
        return { delivered: false, attempts: attempt - 1, reason: error.message };
      reason = (error as Error).message;
    }
    logger.warn('callback not delivered yet', { deliveryId, attempt, reason });
    const delay = delays[attempt - 1];
    if (delay === undefined) break;
    await wait(delay);
  }
  return { delivered: false, attempts: delays.length + 1, reason };
};

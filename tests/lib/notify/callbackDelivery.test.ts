/**
 * Callback delivery against a real HTTP receiver on this machine: signed, retried until it
 * answers 2xx with the same delivery id, and never sent to an internal address that only a
 * wildcard (or a name's DNS) led to.
 */
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  allowedOrigins,
  isInternalAddress,
  isLinkLocalAddress,
} from '../../../src/lib/notify/addressPolicy.js';
import { deliverCallback } from '../../../src/lib/notify/callbackDelivery.js';
import { signCallback, verifyCallback } from '../../../src/lib/notify/callbackSignature.js';
import { type CallbackReceiver, startCallbackReceiver } from '../../helpers/callbackReceiver.js';

const SECRET = 'a-callback-secret-of-32-characters-or-more';

let receiver: CallbackReceiver;
let port: number;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  port = receiver.port;
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const fast = { retryDelaysMs: [10, 20, 40] };

describe('callback signatures', () => {
  it('verify with the secret, within the tolerance, and not once the body or secret changes', () => {
    const body = '{"executionId":"x"}';
    const header = signCallback(SECRET, body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyCallback(SECRET, body, header, { nowSeconds: 1_800_000_100 })).toBe(true);
    expect(verifyCallback(SECRET, `${body} `, header, { nowSeconds: 1_800_000_100 })).toBe(false);
    expect(verifyCallback(`${SECRET}x`, body, header, { nowSeconds: 1_800_000_100 })).toBe(false);
    expect(verifyCallback(SECRET, body, header, { nowSeconds: 1_800_000_400 })).toBe(false);
    expect(verifyCallback(SECRET, body, 'v1=00', { nowSeconds: 1_800_000_000 })).toBe(false);
  });
});

describe('where callbacks may go', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:10.0.0.1', true],
    ['2002:a00:1::1', true],
    ['::a00:1', true],
    ['64:ff9b:1::a00:1', true],
    ['8.8.8.8', false],
    ['52.94.236.248', false],
    ['2606:4700:4700::1111', false],
    ['not-an-address', true],
  ])('%s is internal: %s', (address, internal) => {
    expect(isInternalAddress(address)).toBe(internal);
  });

  it('accepts listed origins exactly, or under a listed wildcard, and nothing else', () => {
    const origins = allowedOrigins(['https://hooks.example.com', 'https://*.tickets.example.net']);
    expect(origins.accepts(new URL('https://hooks.example.com/trailhound?x=1'))).toBe(true);
    expect(origins.accepts(new URL('http://hooks.example.com/'))).toBe(false);
    expect(origins.accepts(new URL('https://hooks.example.com:8443/'))).toBe(false);
    expect(origins.accepts(new URL('https://eu.tickets.example.net/hook'))).toBe(true);
    expect(origins.accepts(new URL('https://tickets.example.net.evil.com/'))).toBe(false);
    expect(origins.listsExactly(new URL('https://eu.tickets.example.net/hook'))).toBe(false);
    expect(() => allowedOrigins(['https://*'])).toThrow();
  });
});

describe('deliverCallback', () => {
  it('POSTs the payload once, signed, with a delivery id', async () => {
    const origins = allowedOrigins([`http://127.0.0.1:${port}`]);
    const outcome = await deliverCallback(`http://127.0.0.1:${port}/hook`, { a: 1 }, 'exec-1:SUCCEEDED', {
      secret: SECRET,
      origins,
      ...fast,
    });
    expect(outcome).toEqual({ delivered: true, attempts: 1 });
    expect(receiver.received).toHaveLength(1);
    const [only] = receiver.received;
    expect(only?.body).toBe('{"a":1}');
    expect(only?.headers['content-type']).toBe('application/json');
    expect(only?.headers['trailhound-delivery']).toBe('exec-1:SUCCEEDED');
    expect(verifyCallback(SECRET, only?.body ?? '', String(only?.headers['trailhound-signature']))).toBe(
      true,
    );
  });

  it('gives a receiver that fails twice its third try, with the same delivery id', async () => {
    receiver.answers = [500, 503];
    const outcome = await deliverCallback(`http://127.0.0.1:${port}/hook`, { b: 2 }, 'exec-2:FAILED', {
      secret: SECRET,
      origins: allowedOrigins([`http://127.0.0.1:${port}`]),
      ...fast,
    });
    expect(outcome).toEqual({ delivered: true, attempts: 3 });
    expect(receiver.received.map((r) => r.headers['trailhound-delivery'])).toEqual(
      Array(3).fill('exec-2:FAILED'),
    );
    for (const r of receiver.received)
      expect(verifyCallback(SECRET, r.body, String(r.headers['trailhound-signature']))).toBe(true);
  });

  it('gives up after its last try, and says why', async () => {
    receiver.answers = [500, 500, 500, 500];
    const outcome = await deliverCallback(`http://127.0.0.1:${port}/hook`, {}, 'exec-3:SUCCEEDED', {
      secret: SECRET,
      origins: allowedOrigins([`http://127.0.0.1:${port}`]),
      ...fast,
    });
    expect(outcome).toEqual({ delivered: false, attempts: 4, reason: 'the receiver answered 500' });
  });

  it('waits over a minute in all by default before giving up', async () => {
    const { DEFAULT_RETRY_DELAYS_MS } = await import('../../../src/lib/notify/callbackDelivery.js');
    expect(DEFAULT_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60_000);
  });

  it('never connects to an internal address reached through a wildcard or a name', async () => {
    // A resolver that points names at this machine, as a hostile DNS answer would.
    const resolve = ((_host: string, _options: unknown, callback: (e: null, a: LookupAddress[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as never;
    const wildcard = allowedOrigins([`http://*.example.test:${port}`]);
    const viaName = await deliverCallback(`http://hooks.example.test:${port}/hook`, {}, 'x:SUCCEEDED', {
      secret: SECRET,
      origins: wildcard,
      resolve,
      ...fast,
    });
    expect(viaName.delivered).toBe(false);
    expect(viaName.reason).toMatch(/internal address/);
    const literal = await deliverCallback(`http://127.0.0.1:${port}/hook`, {}, 'x:SUCCEEDED', {
      secret: SECRET,
      origins: allowedOrigins([`http://*.0.0.1:${port}`]),
      ...fast,
    });
    expect(literal).toMatchObject({ delivered: false, attempts: 0 });
    expect(receiver.received).toEqual([]);
    // Listed exactly, the same name may reach it: the operator said so.
    const exact = await deliverCallback(`http://hooks.example.test:${port}/hook`, {}, 'x:SUCCEEDED', {
      secret: SECRET,
      origins: allowedOrigins([`http://hooks.example.test:${port}`]),
      resolve,
      ...fast,
    });
    expect(exact).toEqual({ delivered: true, attempts: 1 });
  });

  it('never reaches a link-local address through a name, even an exactly listed one', async () => {
    for (const [address, family] of [
      ['169.254.169.254', 4],
      ['fe80::1', 6],
      ['::ffff:169.254.169.254', 6],
      ['0.0.0.0', 4],
    ] as const) {
      expect(isLinkLocalAddress(address), address).toBe(true);
      const toMetadata = ((
        _host: string,
        _options: unknown,
        callback: (e: null, a: LookupAddress[]) => void,
      ) => callback(null, [{ address, family }])) as never;
      const outcome = await deliverCallback(`http://hooks.example.test:${port}/hook`, {}, 'x:SUCCEEDED', {
        secret: SECRET,
        origins: allowedOrigins([`http://hooks.example.test:${port}`]),
        resolve: toMetadata,
        ...fast,
      });
      expect(outcome.delivered, address).toBe(false);
      expect(outcome.reason).toMatch(/internal address/);
    }
    for (const address of ['10.1.2.3', '127.0.0.1', 'fd00::1'])
      expect(isLinkLocalAddress(address), address).toBe(false);
    expect(receiver.received).toEqual([]);
  });

  it('refuses an origin that is not listed without a try', async () => {
    const outcome = await deliverCallback('https://elsewhere.example.com/', {}, 'x:SUCCEEDED', {
      secret: SECRET,
      origins: allowedOrigins(['https://hooks.example.com']),
      ...fast,
    });
    expect(outcome).toEqual({ delivered: false, attempts: 0, reason: 'origin not allowed' });
  });
});

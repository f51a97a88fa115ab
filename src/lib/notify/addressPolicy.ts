/**
 * Where a callback may go. A URL is accepted only when its origin is listed (exactly, or under a
 * listed `https://*.example.com`), and it is never delivered to a loopback, link-local, private
 * or otherwise internal address unless that exact origin is listed: a name under a wildcard cannot
 * turn a callback into a request to an internal admin page (SSRF). An exactly listed name may
 * point inside (a ticketing system on the private network), but never at a link-local address
 * (the instance metadata service at 169.254.169.254) or "this network": only an origin listed as
 * that IP address itself reaches one, so a listed name whose DNS is later changed cannot. The
 * address checked is the one connected to.
 */
import { BlockList, isIP } from 'node:net';

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  // 6to4 and IPv4-compatible addresses carry an IPv4 address that may be internal.
  ['2002::', 16],
  ['::', 96],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/** Link-local ("this host's network": the metadata service) and "this network": no name leads there. */
const NEVER_BY_NAME = new BlockList();
NEVER_BY_NAME.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER_BY_NAME.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER_BY_NAME.addSubnet('fe80::', 10, 'ipv6');

/** Whether an IP address is loopback, link-local, private, shared, multicast or reserved. */
export const isInternalAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ? INTERNAL.check(mapped, 'ipv4') : INTERNAL.check(address, 'ipv6');
};

/** Whether an address may be reached through a name, even an exactly listed one. */
export const isLinkLocalAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return NEVER_BY_NAME.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ? NEVER_BY_NAME.check(mapped, 'ipv4') : NEVER_BY_NAME.check(address, 'ipv6');
};

/** A listed origin: `https://hooks.example.com`, `http://127.0.0.1:8080`, or `https://*.example.com`. */
export interface AllowedOrigins {
  /** Whether the URL's origin is listed, exactly or under a wildcard. */
  accepts(url: URL): boolean;
  /** Whether the URL's exact origin is listed: only then may it reach an internal address. */
  listsExactly(url: URL): boolean;
}

export const allowedOrigins = (listed: readonly string[]): AllowedOrigins => {
  const exact = new Set(listed.filter((o) => !o.includes('*')).map((o) => new URL(o).origin));
  const wildcards = listed
    .filter((o) => o.includes('*'))
    .map((o) => {
      const match = /^(https?):\/\/\*\.([a-z0-9.-]+)(?::(\d+))?$/i.exec(o);
      if (!match) throw new Error(`not an origin or https://*.domain pattern: ${o}`);
      return {
        protocol: `${match[1]?.toLowerCase()}:`,
        suffix: `.${match[2]?.toLowerCase()}`,
        port: match[3] ?? '',
      };
    });
  return {
    accepts: (url) =>
      exact.has(url.origin) ||
      wildcards.some(
        (w) => url.protocol === w.protocol && url.hostname.endsWith(w.suffix) && url.port === w.port,
      ),
    listsExactly: (url) => exact.has(url.origin),
  };
};

/**
 * source-ip-activity: everything done from one address, or from an IPv4 CIDR. An exact `ip` may
 * be IPv4, IPv6, or the service name CloudTrail records for calls AWS made on someone's behalf.
 * A CIDR is turned into its first and last address as numbers by `bind`, and each IPv4
 * sourceIPAddress is compared as a number, which both engines compute the same way.
 *
 * Verified on real records: all 2,748 calls of the invictus set from 192.168.10.20 (bert-jan and
 * the users he created); a /24 finds the same.
 */
import { z } from 'zod';
import { bigintValue } from '../lib/sql/buildStatement.js';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const ipv6 = /^[0-9a-fA-F:]{2,39}$/;
const serviceName = /^[a-z0-9.-]{1,128}\.amazonaws\.com$/;

const toNumber = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/** First and last address of an IPv4 CIDR, as numbers. */
export const cidrRange = (cidr: string): [number, number] => {
  const [address, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(toNumber(address) / size) * size;
  return [first, first + size - 1];
};

const SourceIpActivityParametersSchema = z
  .strictObject({
    ip: z
      .string()
      .refine(
        (v) => ipv4.test(v) || ipv6.test(v) || serviceName.test(v),
        'an IPv4 or IPv6 address, or an AWS service name',
      )
      .optional(),
    cidr: z
      .string()
      .regex(
        /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([89]|[12]\d|3[0-2])$/,
        'an IPv4 CIDR from /8 to /32',
      )
      .optional(),
  })
  .refine((p) => (p.ip === undefined) !== (p.cidr === undefined), {
    message: 'give exactly one of ip or cidr',
    path: ['ip'],
  });

const IPV4_AS_NUMBER = `CASE WHEN regexp_like(sourceipaddress, '^[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}$') THEN
      CAST(split_part(sourceipaddress, '.', 1) AS bigint) * 16777216
      + CAST(split_part(sourceipaddress, '.', 2) AS bigint) * 65536
      + CAST(split_part(sourceipaddress, '.', 3) AS bigint) * 256
      + CAST(split_part(sourceipaddress, '.', 4) AS bigint) END`;

export const sourceIpActivity = defineQuery({
  name: 'source-ip-activity',
  title: 'Everything done from one IP address or CIDR',
  description:
    'Every event whose sourceIPAddress is ip (IPv4, IPv6 or an AWS service name such as ec2.amazonaws.com), or lies in an IPv4 cidr (/8 to /32). Oldest first, with the request parameters.',
  parameters: SourceIpActivityParametersSchema,
  bind: (p) => {
    const [start, end] = p.cidr ? cidrRange(p.cidr) : [undefined, undefined];
    return { ip: p.ip ?? '', range_start: bigintValue(start), range_end: bigintValue(end) };
  },
  with: [
    {
      name: 'numbered',
      sql: `
  SELECT *, ${IPV4_AS_NUMBER} AS ip_number
  FROM events`,
    },
  ],
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    useragent AS user_agent,
    requestparameters AS request_parameters
FROM numbered
CROSS JOIN params
WHERE (params.ip <> '' AND sourceipaddress = params.ip)
   OR (params.range_start IS NOT NULL AND ip_number BETWEEN params.range_start AND params.range_end)
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'user_agent', type: 'varchar' },
    { name: 'request_parameters', type: 'varchar' },
  ],
  example: {
    parameters: { ip: '192.168.10.20' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'every call of the simulation made from 192.168.10.20',
  },
});

/**
 * `npm run digests -- --logs DIR --bucket NAME --trail NAME --keys-out FILE`: writes CloudTrail
 * digest files for the log files under DIR (scripts/digests/writeDigests.ts), signed with a new
 * RSA key whose public half is written to FILE in the format of `aws cloudtrail list-public-keys`;
 * the private half is not kept. For test and demo trails that have no digests of their own: the
 * bundled sample's were made with it, and the bench's generated year.
 */
import { writeFile } from 'node:fs/promises';
import { parseCommand } from '../src/lib/commandLine.js';
import { createSigner, publicKeysJson, writeDigests } from './digests/writeDigests.js';

const command = parseCommand({
  usage: 'npm run digests -- --logs DIR --bucket NAME --trail NAME --keys-out FILE',
  about: `
Writes a digest an hour per account and region for the log files under DIR, as CloudTrail does
with log file validation on (chained, signed SHA256withRSA), the newest one's signature beside it
as <digest>.metadata.json. The key is made for the run; its public half goes to FILE (the JSON of
aws cloudtrail list-public-keys), for TRAILHOUND_CLOUDTRAIL_PUBLIC_KEYS.
  --logs DIR        a trail's copy: DIR/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz
  --bucket NAME     the bucket the digests say they were delivered to
  --trail NAME      the trail's name, in the digests' file names
  --keys-out FILE   where the public key goes`,
  options: {
    logs: { type: 'string' },
    bucket: { type: 'string' },
    trail: { type: 'string' },
    'keys-out': { type: 'string' },
  },
});
const needed = (name: 'logs' | 'bucket' | 'trail' | 'keys-out'): string =>
  command.values[name] ?? command.refuse(`--${name} is needed`);
const [logs, bucket, trail, keysOut] = [
  needed('logs'),
  needed('bucket'),
  needed('trail'),
  needed('keys-out'),
];
if (!/^[A-Za-z0-9._-]{3,128}$/.test(trail)) command.refuse('--trail: a trail name, letters, digits, . _ -');

const signer = createSigner();
const written = await writeDigests(logs, { signer, bucket, trailName: trail });
if (written.length === 0) command.refuse(`no log files under ${logs}/AWSLogs`);
const validity = { from: '2013-11-01T00:00:00Z', to: '2099-12-31T23:59:59Z' };
await writeFile(keysOut, `${JSON.stringify(publicKeysJson([signer], validity), null, 2)}\n`);
process.stdout.write(`${written.length} digests written under ${logs}; public key in ${keysOut}\n`);

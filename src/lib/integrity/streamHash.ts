/**
 * Hex SHA-256 of a gzipped stream's gunzipped bytes, computed as it streams (never held whole):
 * how the runner on AWS hashes log files as S3 sends them. zlib inflates on libuv's thread pool,
 * so several streams at once use several cores. @throws the zlib error (code Z_…) when the bytes
 * are not gzip.
 */
import { createHash } from 'node:crypto';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export const sha256OfGunzipped = async (body: Readable): Promise<string> => {
  const hash = createHash('sha256');
  await pipeline(
    body,
    createGunzip(),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done();
      },
    }),
  );
  return hash.digest('hex');
};

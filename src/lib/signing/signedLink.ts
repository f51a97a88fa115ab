/**
 * Signed, expiring download links for the local server, shaped like an S3 presigned URL: the
 * path and expiry are signed with HMAC-SHA256, and a link whose signature does not match or whose
 * expiry has passed is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the local server serves a result CSV behind a signed link (S3 does on AWS). */
export const DOWNLOAD_ROUTE = '/v1/downloads/{executionId}';
export const downloadPathname = (executionId: string): string =>
  DOWNLOAD_ROUTE.replace('{executionId}', executionId);

export class LinkSigner {
  readonly #key: Buffer;

  constructor(key: string | Buffer) {
    this.#key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  }

  #signature(pathname: string, expires: number): string {
    return createHmac('sha256', this.#key).update(`${pathname}\n${expires}`).digest('base64url');
  }

  /** Query string (without `?`) that makes `pathname` downloadable until `expires` (epoch seconds). */
  sign(pathname: string, expires: number): string {
    return new URLSearchParams({
      expires: String(expires),
      signature: this.#signature(pathname, expires),
    }).toString();
  }

  /** 'ok', or why the link is refused. */
  verify(pathname: string, expires: string | undefined, signature: string | undefined, nowMs = Date.now()) {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'malformed' as const;
    const expected = Buffer.from(this.#signature(pathname, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return 'bad-signature' as const;
    if (Number(expires) * 1000 < nowMs) return 'expired' as const;
    return 'ok' as const;
  }
}

/**
 * The key from the environment, or one generated once and kept beside the results (mode 0600),
 * so that links survive a restart of the server.
 */
export const loadSigningKey = async (configured: string | undefined, resultsDir: string): Promise<Buffer> => {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(resultsDir, '.signing-key');
  try {
    return Buffer.from(await readFile(file, 'utf8'), 'base64');
  } catch {
    await mkdir(resultsDir, { recursive: true });
    const key = randomBytes(32);
    await writeFile(file, key.toString('base64'), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    await chmod(file, 0o600);
    return Buffer.from(await readFile(file, 'utf8'), 'base64');
  }
};

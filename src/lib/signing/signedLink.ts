/**
 * Signed, expiring download links for the local server, shaped like an S3 presigned URL: the
 * path and expiry are signed with HMAC-SHA256, and a link whose signature does not match or whose
 * expiry has passed is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../errors.js';

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

const KEY_BYTES = 32;

/** The key in `file`, or undefined when there is none or it is not a whole key (an earlier crash). */
const readKey = async (file: string): Promise<Buffer | undefined> => {
  try {
    const key = Buffer.from(await readFile(file, 'utf8'), 'base64');
    return key.length >= KEY_BYTES ? key : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/**
 * The key from the environment, or one generated once and kept beside the results (mode 0600),
 * so that links survive a restart of the server. The key is never empty: a key file that is
 * missing or not whole is written anew (atomically, so a crash cannot leave it half-written), and
 * a key that cannot be written and read back whole stops the server from starting, saying why.
 */
export const loadSigningKey = async (configured: string | undefined, resultsDir: string): Promise<Buffer> => {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(resultsDir, '.signing-key');
  const temporary = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    const existing = await readKey(file);
    if (existing) return existing;
    await mkdir(resultsDir, { recursive: true, mode: 0o700 });
    await writeFile(temporary, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
    // A new file is linked into place, so that of two servers starting at once both keep the one
    // that won; a file that was not whole is replaced.
    await link(temporary, file).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      if (!(await readKey(file))) await rename(temporary, file);
    });
    await chmod(file, 0o600);
    const written = await readKey(file);
    if (!written) throw new Error('the key read back is not whole');
    return written;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigurationError(
      `The link signing key ${file} cannot be written and read back whole (${reason}): fix the results directory, or set TRAILHOUND_SIGNING_KEY.`,
    );
  } finally {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
};

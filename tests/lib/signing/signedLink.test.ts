import { mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinkSigner, loadSigningKey } from '../../../src/lib/signing/signedLink.js';

const signer = new LinkSigner('k'.repeat(32));
const params = (query: string) =>
  Object.fromEntries(new URLSearchParams(query)) as { expires: string; signature: string };

describe('LinkSigner', () => {
  const expires = Math.floor(Date.now() / 1000) + 900;
  const { signature } = params(signer.sign('/v1/downloads/abc', expires));

  it('accepts its own link before it expires', () => {
    expect(signer.verify('/v1/downloads/abc', String(expires), signature)).toBe('ok');
  });
  it('refuses a link for another path, another expiry, or another key', () => {
    expect(signer.verify('/v1/downloads/abd', String(expires), signature)).toBe('bad-signature');
    expect(signer.verify('/v1/downloads/abc', String(expires + 1), signature)).toBe('bad-signature');
    expect(new LinkSigner('j'.repeat(32)).verify('/v1/downloads/abc', String(expires), signature)).toBe(
      'bad-signature',
    );
  });
  it('refuses an expired link even with a valid signature', () => {
    expect(signer.verify('/v1/downloads/abc', String(expires), signature, (expires + 1) * 1000)).toBe(
      'expired',
    );
  });
  it('refuses a link with parts missing', () => {
    expect(signer.verify('/v1/downloads/abc', undefined, signature)).toBe('malformed');
    expect(signer.verify('/v1/downloads/abc', String(expires), undefined)).toBe('malformed');
    expect(signer.verify('/v1/downloads/abc', 'soon', signature)).toBe('malformed');
  });
});

describe('loadSigningKey', () => {
  it('generates a key once, private to the owner, and reads the same one back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-key-'));
    const first = await loadSigningKey(undefined, dir);
    const second = await loadSigningKey(undefined, dir);
    expect(first.length).toBe(32);
    expect(second.equals(first)).toBe(true);
    expect((await stat(path.join(dir, '.signing-key'))).mode & 0o777).toBe(0o600);
  });
  it('replaces an empty key file (a crash at first start) with a whole key, and never signs with an empty one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-key-'));
    await writeFile(path.join(dir, '.signing-key'), '');
    const key = await loadSigningKey(undefined, dir);
    expect(key.length).toBe(32);
    expect((await loadSigningKey(undefined, dir)).equals(key)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['.signing-key']);
  });
  it('refuses to start, saying why, when the key cannot be written', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-key-'));
    // A directory where the key file should be: nothing can be written there or read from it.
    await mkdir(path.join(dir, '.signing-key'));
    await expect(loadSigningKey(undefined, dir)).rejects.toThrow(
      /signing key .*\.signing-key cannot be written and read back whole \(EISDIR\).*TRAILHOUND_SIGNING_KEY/,
    );
  });
  it('prefers a configured key', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-key-'));
    expect((await loadSigningKey('c'.repeat(40), dir)).toString()).toBe('c'.repeat(40));
  });
});

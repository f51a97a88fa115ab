/**
 * Who signs evidence. Locally an Ed25519 key in a file (TRAILHOUND_EVIDENCE_KEY, by default in the
 * results directory), created with mode 0600 on first use and linked into place so that two
 * servers starting at once keep the same one. On AWS an asymmetric KMS key signs instead.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import type { EvidenceSignatureSchema } from './evidenceManifest.js';

export interface EvidenceSigner {
  sign(text: string): Promise<z.infer<typeof EvidenceSignatureSchema>>;
  /** The public key, PEM (SubjectPublicKeyInfo). */
  publicKeyPem(): Promise<string>;
}

/** SHA-256 of a public key's DER (SubjectPublicKeyInfo), hex. */
export const publicKeySha256 = (key: KeyObject): string =>
  createHash('sha256')
    .update(key.export({ format: 'der', type: 'spki' }))
    .digest('hex');

const readPrivateKey = async (file: string): Promise<KeyObject | undefined> => {
  try {
    const key = createPrivateKey(await readFile(file, 'utf8'));
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** The key in `file`, made there on first use. @throws ConfigurationError naming the file. */
const loadOrCreate = async (file: string): Promise<KeyObject> => {
  const temporary = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    const existing = await readPrivateKey(file);
    if (existing) return existing;
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    await writeFile(temporary, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
      flag: 'wx',
    });
    await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await chmod(file, 0o600);
    const written = await readPrivateKey(file);
    if (!written) throw new Error('not an Ed25519 private key in PEM');
    return written;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigurationError(
      `The evidence key ${file} cannot be read, or made and read back (${reason}): fix it, or set TRAILHOUND_EVIDENCE_KEY to an Ed25519 private key in PEM.`,
    );
  } finally {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
};

/** Signs with the Ed25519 key in `file`, made on first use (not before: a server that signs nothing makes none). */
export const fileEvidenceSigner = (file: string): EvidenceSigner => {
  let key: Promise<KeyObject> | undefined;
  const privateKey = () => {
    key ??= loadOrCreate(file);
    key.catch(() => {
      key = undefined;
    });
    return key;
  };
  return {
    sign: async (text) => {
      const k = await privateKey();
      return {
        algorithm: 'Ed25519',
        publicKeySha256: publicKeySha256(createPublicKey(k)),
        value: sign(null, Buffer.from(text, 'utf8'), k).toString('base64'),
      };
    },
    publicKeyPem: async () =>
      createPublicKey(await privateKey())
        .export({ format: 'pem', type: 'spki' })
        .toString(),
  };
};

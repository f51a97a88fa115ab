/**
 * A test double of AWS KMS's asymmetric signing key, on a real KMSClient (aws-sdk-client-mock),
 * as the KMS API reference describes Sign and GetPublicKey for an ECC_NIST_P256 key of usage
 * SIGN_VERIFY: Sign takes `ECDSA_SHA_256` only; with MessageType RAW (the default) it hashes the
 * Message (at most 4,096 bytes) with SHA-256, with DIGEST it signs the Message as the hash itself
 * ("KMS skips the hashing step"), which must then be 32 bytes; the signature is DER (ANSI X9.62).
 * GetPublicKey answers the DER SubjectPublicKeyInfo. Any other key id is NotFoundException.
 * (moto_server's KMS hashes a DIGEST message again, so signatures it makes that way would not
 * verify: this double signs the digest itself, with ECDSA written out below over BigInt.)
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

// NIST P-256 (FIPS 186-4, D.1.2.3).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};
interface Point {
  readonly x: bigint;
  readonly y: bigint;
}

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
const inverse = (a: bigint, m: bigint): bigint => {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
};
const add = (p: Point | undefined, q: Point | undefined): Point | undefined => {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x && mod(p.y + q.y, P) === 0n) return undefined;
  const slope =
    p.x === q.x
      ? mod((3n * p.x * p.x + A) * inverse(2n * p.y, P), P)
      : mod((q.y - p.y) * inverse(q.x - p.x, P), P);
  const x = mod(slope * slope - p.x - q.x, P);
  return { x, y: mod(slope * (p.x - x) - p.y, P) };
};
const multiply = (k: bigint, point: Point): Point | undefined => {
  let result: Point | undefined;
  let addend: Point | undefined = point;
  for (let n = k; n > 0n; n >>= 1n) {
    if (n & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
};
const toBigInt = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex') || '0'}`);

/** DER INTEGER of a non-negative value: big-endian, a leading zero where the top bit is set. */
const derInteger = (value: bigint): Buffer => {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
};

/** ECDSA over a 32-byte hash with private scalar `d`: the DER SEQUENCE of r and s. */
const signHash = (hash: Buffer, d: bigint): Buffer => {
  const z = toBigInt(hash);
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), N - 1n) + 1n;
    const r = mod((multiply(k, G) as Point).x, N);
    const s = mod(inverse(k, N) * (z + r * d), N);
    if (r === 0n || s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }
};

const kmsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

export interface KmsDouble {
  readonly client: KMSClient;
  readonly keyArn: string;
  readonly publicKey: KeyObject;
}

/** A KMS client whose one key, `keyArn`, is a P-256 signing key made for the test. */
export const kmsDouble = (keyArn: string, region = 'us-east-1'): KmsDouble => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const d = toBigInt(Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url'));
  const client = new KMSClient({ region });
  const known = (keyId: string | undefined) => {
    if (keyId !== keyArn) throw kmsError('NotFoundException', `Key '${keyId}' does not exist`);
  };
  const mock = mockClient(client);
  mock.on(GetPublicKeyCommand).callsFake(async (input) => {
    known(input.KeyId);
    return {
      KeyId: keyArn,
      PublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
    };
  });
  mock.on(SignCommand).callsFake(async (input) => {
    known(input.KeyId);
    if (input.SigningAlgorithm !== 'ECDSA_SHA_256')
      throw kmsError('InvalidKeyUsageException', `${input.SigningAlgorithm} is not valid for this key`);
    const message = Buffer.from(input.Message ?? new Uint8Array());
    const type = input.MessageType ?? 'RAW';
    if (type === 'RAW' && message.length > 4096)
      throw kmsError('ValidationException', 'Message must be at most 4096 bytes; sign a digest');
    if (type === 'DIGEST' && message.length !== 32)
      throw kmsError('ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256');
    const hash = type === 'DIGEST' ? message : createHash('sha256').update(message).digest();
    return {
      KeyId: keyArn,
      Signature: new Uint8Array(signHash(hash, d)),
      SigningAlgorithm: 'ECDSA_SHA_256',
    };
  });
  return { client, keyArn, publicKey };
};

import { describe, expect, it } from 'vitest';
import { PageTokenError } from '../../../src/lib/errors.js';
import { decodePageToken, encodePageToken } from '../../../src/lib/results/pageToken.js';

const ID = '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11';

describe('page tokens', () => {
  it('carry an offset into one execution, opaque and URL-safe', () => {
    const token = encodePageToken(ID, 1000);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(ID, token)).toBe(1000);
  });

  it('are refused for another execution, or when altered or made up', () => {
    const token = encodePageToken(ID, 100);
    expect(() => decodePageToken('6f1a5f0e-4b1d-4e8e-9d55-0a2a2c9a9e11', token)).toThrow(PageTokenError);
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of [
      'garbage',
      '',
      forged({ e: ID, o: -1 }),
      forged({ e: ID, o: 1.5 }),
      forged({ e: ID, o: '100' }),
      forged({ e: ID }),
      forged(null),
      `${token}x`,
    ]) {
      expect(() => decodePageToken(ID, bad), bad).toThrow(PageTokenError);
    }
  });
});

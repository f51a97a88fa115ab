/**
 * The README's callback receiver, run as it is written: it accepts what trailhound signs and
 * refuses a changed body, another key and an old delivery.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signCallback } from '../../src/lib/notify/callbackSignature.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'),
  'utf8',
);
const section = readme.slice(readme.indexOf('### Callbacks'), readme.indexOf('### Result formats'));
const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1];

describe("the README's callback receiver", () => {
  it('accepts a callback trailhound signed, and nothing else', async () => {
    expect(snippet).toBeDefined();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'trailhound-receiver-')), 'receiver.mjs');
    writeFileSync(file, snippet ?? '');
    const { isTrailhoundCallback } = (await import(pathToFileURL(file).href)) as {
      isTrailhoundCallback: (secret: string, body: string, header: string, now?: number) => boolean;
    };
    const secret = 'a-key-of-the-deployment-0123456789abcdef';
    const body = '{"type":"execution.ended","executionId":"5dd2becb","state":"SUCCEEDED"}';
    const now = Math.floor(Date.now() / 1000);
    const header = signCallback(secret, body, now);
    expect(isTrailhoundCallback(secret, body, header)).toBe(true);
    expect(isTrailhoundCallback(secret, body.replace('SUCCEEDED', 'FAILED'), header)).toBe(false);
    expect(isTrailhoundCallback(`${secret}!`, body, header)).toBe(false);
    expect(isTrailhoundCallback(secret, body, signCallback(secret, body, now - 600))).toBe(false);
    expect(isTrailhoundCallback(secret, body, 't=1,v1=zz')).toBe(false);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { perContainer } from '../../src/lambda/perContainer.js';

const runtime = { made: true };

describe('perContainer', () => {
  it('makes the value on first use and keeps it, even for calls at the same moment', async () => {
    const create = vi.fn(async () => runtime);
    const get = perContainer(create);
    expect(create).not.toHaveBeenCalled();
    expect(await Promise.all([get(), get()])).toEqual([runtime, runtime]);
    expect(await get()).toBe(runtime);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed creation: the next invocation tries again', async () => {
    const create = vi
      .fn<() => Promise<typeof runtime>>()
      .mockRejectedValueOnce(new Error('no network'))
      .mockResolvedValue(runtime);
    const get = perContainer(create);
    await expect(get()).rejects.toThrow('no network');
    expect(await get()).toBe(runtime);
    expect(create).toHaveBeenCalledTimes(2);
  });
});

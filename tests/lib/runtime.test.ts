import { describe, expect, it, vi } from 'vitest';
import { lazyRuntime, type Runtime } from '../../src/lib/runtime.js';

const runtime = {} as Runtime;

describe('lazyRuntime', () => {
  it('makes the runtime on first use and keeps it', async () => {
    const create = vi.fn(async () => runtime);
    const provider = lazyRuntime(create);
    expect(create).not.toHaveBeenCalled();
    expect(await Promise.all([provider(), provider()])).toEqual([runtime, runtime]);
    expect(await provider()).toBe(runtime);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed start: the next request tries again', async () => {
    const create = vi
      .fn<() => Promise<Runtime>>()
      .mockRejectedValueOnce(new Error('no network'))
      .mockResolvedValue(runtime);
    const provider = lazyRuntime(create);
    await expect(provider()).rejects.toThrow('no network');
    expect(await provider()).toBe(runtime);
    expect(create).toHaveBeenCalledTimes(2);
  });
});

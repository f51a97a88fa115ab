/**
 * The one way a Lambda entry makes something once per container (the runtime, the callbacks'
 * notifier, the compaction's clients): made on first use and kept for the container's life. A
 * failed creation is not kept, so the next invocation tries again rather than failing for the
 * container's whole life.
 */
export const perContainer = <T>(create: () => Promise<T>): (() => Promise<T>) => {
  let current: Promise<T> | undefined;
  return () => {
    current ??= create().catch((error: unknown) => {
      current = undefined;
      throw error;
    });
    return current;
  };
};

/** Where the CLI writes: stdout and stderr as streams that may be terminals, written with backpressure. */

export interface OutputStream {
  write(chunk: string | Uint8Array): boolean;
  once(event: 'drain', listener: () => void): unknown;
  /** True for a terminal: progress, truncated table cells and the default table format. */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Writes `chunk`, waiting for the stream to drain when its buffer is full (a slow pipe). */
export const writeTo = async (stream: OutputStream, chunk: string | Uint8Array): Promise<void> => {
  if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
};

/** The two streams a command writes to: results on stdout, progress and errors on stderr. */
export interface Terminal {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

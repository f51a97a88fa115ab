/** A setting that lists values comma-separated: trimmed, empty entries dropped, unset is none. */
import { z } from 'zod';

export const commaList = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

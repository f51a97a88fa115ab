/**
 * A label names the case an execution belongs to, such as a ticket id (`INC-1234`,
 * `SEC#4711`, `jira:SEC-12`): what a client asks to find its executions again. One schema for
 * the request body and the listing's filter.
 */
import { z } from 'zod';

export const LabelSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:/#-]{1,128}$/, 'a label: 1 to 128 characters of letters, digits and . _ : / # -');

/** The labels of a watch's runs, `watch:<watchId>`: no other execution may carry one. */
export const WATCH_RUN_LABEL_PREFIX = 'watch:';

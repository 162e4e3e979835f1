import { z } from 'zod';
import { idSchema } from './api.js';

/**
 * Sessions, notices and people (issue 6): your own sessions with their devices, in-app notices
 * such as a sign-in from a new device, and the instance admin's list of accounts.
 */

/** A session's opaque handle: random, not the token nor its hash. */
export const sessionHandleSchema = idSchema;

export const sessionItem = z.object({
  /** The session's handle, to end it with `DELETE /api/v1/sessions/:handle`. */
  id: z.string(),
  /** The browser and system read from the user agent ("Firefox", "Linux"); null when not recognised. */
  browser: z.string().nullable(),
  os: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** The session this request was made with. */
  current: z.boolean(),
  /** False while the session has passed the password but not the second factor. */
  secondFactor: z.boolean(),
});
export const sessionList = z.array(sessionItem);
export const sessionsEnded = z.object({ ended: z.number().int() });

export const noticeKind = z.enum(['new_device']);
export const notice = z.object({
  id: z.string(),
  kind: noticeKind,
  createdAt: z.string(),
  /** What the message names: for `new_device`, the browser, system, time and session handle. */
  params: z.object({
    browser: z.string().nullable(),
    os: z.string().nullable(),
    at: z.string(),
    session: z.string(),
  }),
});
export const noticeList = z.array(notice);

export const userSummary = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  isInstanceAdmin: z.boolean(),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});
export const userList = z.array(userSummary);

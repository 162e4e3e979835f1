import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Executor } from '../../db/database.js';
import { newId } from '../../ids.js';
import type { SessionStore } from './session-store.js';
import { summariseUserAgent } from './user-agent.js';

/**
 * New-device notices. A device is the user agent together with the address family (IPv4 or
 * IPv6) it came from: enough to tell "my laptop" from "something else" without storing any
 * address. Devices seen at a completed sign-in are remembered per user as a SHA-256
 * fingerprint in `known_devices`.
 */
export type AddressFamily = 'ipv4' | 'ipv6';

/** IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, what dual-stack sockets report) count as IPv4. */
export function addressFamily(ip: string): AddressFamily {
  return isIPv6(ip) && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? 'ipv6' : 'ipv4';
}

export function deviceFingerprint(userAgent: string, family: AddressFamily): string {
  return createHash('sha256').update(family).update('\n').update(userAgent, 'utf8').digest('hex');
}

/** What a `new_device` notice carries; the web app turns it into a sentence in the reader's language. */
export interface NewDeviceParams {
  browser: string | null;
  os: string | null;
  /** Epoch milliseconds of the sign-in. */
  at: number;
  /** The handle of the session that signed in, for the sessions page. */
  session: string;
}

/**
 * Called inside the transaction that completes a sign-in (the second factor passed). Remembers
 * the device and returns true when it was new: neither in `known_devices` nor the user agent
 * of another of the user's sessions that passed its second factor (sessions keep no address
 * family, so for them the user agent alone decides; this covers sessions that existed before
 * devices were remembered). A half session (password only) never makes a device known.
 * With `notify`, a new device also gets a `new_device` notice for the user.
 */
export async function rememberDevice(
  sessions: Pick<SessionStore, 'device' | 'isKnownDevice' | 'agentSeenElsewhere' | 'rememberDevice' | 'addNotice'>,
  input: { userId: string; sessionId: string; ip: string; now: number; notify: boolean },
  tx: Executor,
): Promise<boolean> {
  const session = await sessions.device(input.sessionId, input.userId, tx);
  if (!session) return false;
  const fingerprint = deviceFingerprint(session.user_agent, addressFamily(input.ip));
  if (await sessions.isKnownDevice(input.userId, fingerprint, tx)) return false;
  const seenInSession = await sessions.agentSeenElsewhere(input.userId, input.sessionId, session.user_agent, tx);
  await sessions.rememberDevice(input.userId, fingerprint, input.now, tx);
  if (seenInSession) return false;
  if (input.notify) {
    const params: NewDeviceParams = {
      ...summariseUserAgent(session.user_agent),
      at: input.now,
      session: session.handle,
    };
    await sessions.addNotice(
      { id: newId(), userId: input.userId, kind: 'new_device', params: JSON.stringify(params), at: input.now },
      tx,
    );
  }
  return true;
}

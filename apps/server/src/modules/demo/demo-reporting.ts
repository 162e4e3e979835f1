import { systemActor } from '../access/access-types.js';
import type { ReportingService } from '../reporting/reporting-service.js';

/**
 * The demo's reporting channel: switched on, with one fictional report — a journalist whose
 * messaging account was taken over after a story — that the team has answered and tagged, so
 * a newcomer sees the inbox and a thread at once. Every name and detail is invented.
 */
// Demo content, in English like the rest of the demo (not a message the server answers with).
const place = 'My phone and my messaging account';
export const DEMO_REPORT = {
  what:
    'I am a reporter at a local news site. Two days after our story on the municipal tender, my messaging app ' +
    'logged me out and a new device appeared in my account. Sources tell me they received messages from me ' +
    'asking for documents, which I never sent.',
  when: 'Since last Tuesday',
  where: place,
  category: 'account-takeover',
} as const;

export const demoReply =
  'Thank you for telling us. Please do not answer the messages sent in your name. From a device you trust, ' +
  'remove the unknown device from your account, turn on the registration lock (a PIN) and tell your sources ' +
  'through another channel. We can meet you this week to check your phone: reply here with a time that suits you.';

export async function runDemoReporting(deps: {
  reporting: Pick<ReportingService, 'switchOn' | 'submitWithId' | 'reply' | 'tag'>;
}): Promise<void> {
  const team = systemActor('demo');
  await deps.reporting.switchOn();
  const { id } = await deps.reporting.submitWithId(
    { ...DEMO_REPORT, contact: 'receipt', stripMetadata: true },
    [],
    'demo',
  );
  await deps.reporting.reply(team, id, demoReply);
  await deps.reporting.tag(team, id, ['account-takeover', 'phishing']);
}

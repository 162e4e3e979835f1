import { systemActor } from '../access/access-types.js';
import type { IncidentCreate, IncidentService } from '../incidents/incident-service.js';

const DAY = 86_400_000;

type DemoIncident = Omit<IncidentCreate, 'occurredOn' | 'endedOn' | 'handbook'> & {
  /** Which organisation of the cohort (by position, wrapping round). */
  org: number;
  daysAgo: number;
  /** How many days it went on; absent for one day. */
  days?: number;
};

/**
 * What the demo's newsrooms and organisations met over the last six months: the everyday
 * phishing and account takeovers, a DDoS on an election night, a smear campaign, a SLAPP, a
 * phone seized at a border, spyware suspected. Fictional, and written as a team would write it.
 */
const INCIDENTS: DemoIncident[] = [
  {
    org: 0,
    daysAgo: 170,
    category: 'phishing',
    actor: 'criminal',
    targeting: 'opportunistic',
    certainty: 'confirmed',
    description:
      'A fake "mailbox full" message reached the whole team; two people opened the link, nobody entered a password.',
    effectsPeople: ['none'],
    effectsWork: ['none'],
    actions: 'Warned everyone, blocked the sender, reported the page.',
    responses: ['peers'],
  },
  {
    org: 1,
    daysAgo: 160,
    category: 'phishing',
    actor: 'unknown',
    targeting: 'targeted',
    certainty: 'confirmed',
    description:
      'An email in the name of our donor asked the finance officer to confirm bank details on a look-alike portal.',
    effectsPeople: ['fear'],
    effectsWork: ['disruption'],
    actions: 'Called the donor on the known number; nothing was sent.',
    responses: ['none'],
  },
  {
    org: 2,
    daysAgo: 150,
    category: 'account-takeover',
    actor: 'unknown',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'Our Facebook page was taken over overnight and posted content we did not write.',
    effectsPeople: ['reputation'],
    effectsWork: ['disruption', 'publication-stopped'],
    actions: 'Recovered the page through the platform, turned on security keys for the admins.',
    responses: ['helpline', 'platform'],
  },
  {
    org: 3,
    daysAgo: 140,
    category: 'phishing',
    actor: 'criminal',
    targeting: 'opportunistic',
    certainty: 'near-miss',
    description: 'A text message with a parcel link; a colleague noticed the odd address before clicking.',
    effectsPeople: ['none'],
    effectsWork: ['none'],
    actions: 'Shared a screenshot in the team chat as an example.',
    responses: ['none'],
  },
  {
    org: 4,
    daysAgo: 130,
    days: 3,
    category: 'ddos',
    actor: 'political',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'The website went down for most of election night and the two days after, while we published results.',
    effectsPeople: ['fear'],
    effectsWork: ['publication-stopped'],
    actions: 'Moved the site behind a protection service; published on social media meanwhile.',
    responses: ['helpline', 'peers'],
  },
  {
    org: 5,
    daysAgo: 120,
    days: 20,
    category: 'smear-campaign',
    actor: 'political',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'Portals close to a party called our director a foreign agent for three weeks after our report.',
    effectsPeople: ['fear', 'reputation'],
    effectsWork: ['partners-lost'],
    actions: 'Published a statement, documented every article, informed our partners.',
    responses: ['journalists-association', 'peers'],
  },
  {
    org: 0,
    daysAgo: 110,
    category: 'account-takeover',
    actor: 'criminal',
    targeting: 'opportunistic',
    certainty: 'suspected',
    description: 'A sign-in from another country on a shared mailbox; the password had been reused.',
    effectsPeople: ['none'],
    effectsWork: ['disruption'],
    actions: 'Changed the password, signed out every session, turned on two-step sign-in.',
    responses: ['none'],
  },
  {
    org: 6,
    daysAgo: 100,
    category: 'device-seizure',
    actor: 'state',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'A journalist\u2019s phone was taken at the border for two hours and returned.',
    effectsPeople: ['fear', 'exposure'],
    effectsWork: ['disruption'],
    actions: 'Treated the phone as compromised: reset it, changed every password, told sources.',
    responses: ['lawyer', 'helpline'],
  },
  {
    org: 1,
    daysAgo: 90,
    category: 'malware',
    actor: 'criminal',
    targeting: 'opportunistic',
    certainty: 'confirmed',
    description: 'Ransomware on the office laptop from a fake invoice; the shared drive was not reached.',
    effectsPeople: ['none'],
    effectsWork: ['data-loss', 'disruption'],
    actions: 'Wiped the laptop and restored from the weekly backup.',
    responses: ['peers'],
  },
  {
    org: 7,
    daysAgo: 80,
    days: 14,
    category: 'harassment',
    actor: 'individual',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'Two weeks of abusive comments and messages to our women reporters after a story.',
    effectsPeople: ['fear'],
    effectsWork: ['disruption'],
    actions: 'Kept a log, reported the accounts, gave the reporters time off social media.',
    responses: ['platform', 'journalists-association'],
  },
  {
    org: 2,
    daysAgo: 70,
    category: 'phishing',
    actor: 'unknown',
    targeting: 'targeted',
    certainty: 'suspected',
    description:
      'A message on a messaging app from someone claiming to be a ministry press officer, with a document link.',
    effectsPeople: ['none'],
    effectsWork: ['none'],
    actions: 'Did not open it; asked the ministry through its official address.',
    responses: ['none'],
  },
  {
    org: 8,
    daysAgo: 60,
    category: 'legal-threat',
    actor: 'private',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'A company threatened a defamation suit over an investigation unless we withdrew it.',
    effectsPeople: ['fear'],
    effectsWork: ['financial-loss'],
    actions: 'Kept the article up after a legal review.',
    responses: ['lawyer'],
  },
  {
    org: 3,
    daysAgo: 50,
    category: 'surveillance',
    actor: 'state',
    targeting: 'targeted',
    certainty: 'suspected',
    description: 'A platform warned one of us of a state-sponsored attacker; a forensic check is under way.',
    effectsPeople: ['fear'],
    effectsWork: ['disruption'],
    actions: 'Moved sensitive conversations to another device; asked a helpline for a check.',
    responses: ['helpline'],
  },
  {
    org: 9,
    daysAgo: 40,
    category: 'doxxing',
    actor: 'individual',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'A reporter\u2019s home address and family photographs were posted in a forum.',
    effectsPeople: ['fear', 'exposure'],
    effectsWork: ['disruption'],
    actions:
      'Asked the forum to remove the post, told the police, arranged for the reporter to stay elsewhere for a week.',
    responses: ['police', 'platform'],
  },
  {
    org: 4,
    daysAgo: 30,
    category: 'phishing',
    actor: 'criminal',
    targeting: 'opportunistic',
    certainty: 'near-miss',
    description: 'A fake platform warning asked the page admin to log in; blocked by the security key.',
    effectsPeople: ['none'],
    effectsWork: ['none'],
    actions: 'Nothing more needed.',
    responses: ['none'],
  },
  {
    org: 5,
    daysAgo: 20,
    category: 'defacement',
    actor: 'unknown',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'An old plugin let someone put a message on our home page for an afternoon.',
    effectsPeople: ['reputation'],
    effectsWork: ['disruption'],
    actions: 'Restored the site, removed the plugin, changed the admin passwords.',
    responses: ['peers'],
  },
  {
    org: 6,
    daysAgo: 10,
    category: 'phishing',
    actor: 'unknown',
    targeting: 'targeted',
    certainty: 'confirmed',
    description: 'A fake conference invitation with a login page to "register", sent to three of us by name.',
    effectsPeople: ['none'],
    effectsWork: ['none'],
    actions: 'Reported it to the helpline, who found the same campaign elsewhere.',
    responses: ['helpline'],
  },
];

/**
 * The demo's incident log: about two incidents per organisation over the last six months, so
 * that the threat landscape shows something real. Recorded by Kalaja itself (the system actor).
 */
export async function runDemoIncidents(
  deps: { incidents: Pick<IncidentService, 'create'>; now: () => number },
  programmeId: string,
  organisationIds: readonly string[],
): Promise<void> {
  if (organisationIds.length === 0) return;
  const system = systemActor('demo');
  const day = (daysAgo: number) => new Date(deps.now() - daysAgo * DAY).toISOString().slice(0, 10);
  for (const { org, daysAgo, days, ...d } of INCIDENTS) {
    await deps.incidents.create(system, programmeId, organisationIds[org % organisationIds.length]!, {
      ...d,
      occurredOn: day(daysAgo),
      endedOn: days === undefined ? null : day(daysAgo - days),
    });
  }
}

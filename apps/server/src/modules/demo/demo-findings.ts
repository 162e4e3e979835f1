import { systemActor } from '../access/access-types.js';
import type { FindingService } from '../findings/finding-service.js';
import type { FindingCreate, RetestOutcome } from '../findings/finding-types.js';

const DAY = 86_400_000;

/** A finding of the demo, as an assessor would write it, and how far it went. */
interface DemoFinding {
  finding: Omit<FindingCreate, 'roundId' | 'foundOn'>;
  /** Days before now it was found. */
  foundDaysAgo: number;
  /** Where it stops: a draft, in review, approved, or retested with this outcome this many days ago. */
  end: 'draft' | 'in_review' | 'approved' | { outcome: RetestOutcome; daysAgo: number; notes: string };
  /** Whether it became a plan item. */
  plan: boolean;
}

const FINDINGS: DemoFinding[] = [
  {
    finding: {
      title: 'Outdated gallery plugin on the news website',
      target: 'website',
      severity: 'critical',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      description:
        'The website runs a photo-gallery plugin two years out of date, with a published flaw that lets anyone upload and run code on the server without signing in.',
      method:
        'The plugin version was read from the readme.txt the site serves, and checked against the public advisory.',
      recommendation:
        'Update the plugin today, or remove it if it is no longer used; then turn on automatic updates for plugins.',
      questions: ['updates.website'],
      interventions: ['website-maintenance'],
    },
    foundDaysAgo: 95,
    end: { outcome: 'fixed', daysAgo: 40, notes: 'The plugin was removed and automatic plugin updates are on.' },
    plan: true,
  },
  {
    finding: {
      title: 'Mail domain without DMARC',
      target: 'mail-domain',
      severity: 'medium',
      cvss: null,
      description:
        'The organisation’s mail domain publishes SPF but no DMARC record, so anyone can send mail that appears to come from its address.',
      method: 'The domain’s DNS records were looked up from outside.',
      recommendation:
        'Publish a DMARC record, first to monitor (p=none) and, once legitimate mail passes, to quarantine or reject.',
      questions: [],
      interventions: [],
    },
    foundDaysAgo: 92,
    end: {
      outcome: 'partly_fixed',
      daysAgo: 30,
      notes: 'DMARC is published with p=none; it does not yet block forged mail.',
    },
    plan: true,
  },
  {
    finding: {
      title: 'Website administration panel open to the internet',
      target: 'website',
      severity: 'high',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
      description:
        'The login page of the website’s administration panel answers from anywhere, with no two-step login and no limit on password guesses.',
      method: 'The usual administration paths were tried in a browser; a few wrong passwords were not throttled.',
      recommendation:
        'Turn on two-step login for every administrator and limit the panel to known addresses or put it behind the hosting provider’s protection.',
      questions: [],
      interventions: ['mfa-rollout'],
    },
    foundDaysAgo: 90,
    end: 'approved',
    plan: true,
  },
  {
    finding: {
      title: 'One shared password on the office router',
      target: 'network',
      severity: 'high',
      cvss: null,
      description:
        'The office router’s administration password is the one on its label, and the Wi-Fi password is shared with visitors.',
      method: 'Seen on site with the office manager.',
      recommendation:
        'Change the router’s administration password, keep it in the password manager, and give visitors a separate guest network.',
      questions: ['updates.router'],
      interventions: ['router-and-wifi'],
    },
    foundDaysAgo: 88,
    end: {
      outcome: 'accepted_risk',
      daysAgo: 25,
      notes: 'The landlord owns the router; the team moved its work to a separate access point it controls.',
    },
    plan: false,
  },
  {
    finding: {
      title: 'Old staff account still active in the cloud drive',
      target: 'account',
      severity: 'medium',
      cvss: null,
      description: 'A former intern’s account can still open the shared drive.',
      method: 'The drive’s sharing settings were reviewed with the director.',
      recommendation: 'Remove the account and review who else can open the shared drive.',
      questions: [],
      interventions: ['joiner-leaver-checklist'],
    },
    foundDaysAgo: 5,
    end: 'in_review',
    plan: false,
  },
];

/**
 * The demo's technical findings: the first organisations of the cohort each carry one or two of
 * what testers commonly find in a newsroom (an outdated CMS plugin, a mail domain without DMARC,
 * an exposed admin panel, a shared router password), reviewed, planned and some retested, and one
 * fresh finding still in review. Recorded by Kalaja itself (the system actor), which also reviews
 * them: the demo has no assessors of its own.
 */
export async function runDemoFindings(
  deps: { findings: Pick<FindingService, 'create' | 'submit' | 'review' | 'toPlan' | 'retest'>; now: () => number },
  programmeId: string,
  organisationIds: readonly string[],
  roundId: string,
): Promise<void> {
  const system = systemActor('demo');
  const day = (daysAgo: number) => new Date(deps.now() - daysAgo * DAY).toISOString().slice(0, 10);
  for (const [k, d] of FINDINGS.entries()) {
    const organisationId = organisationIds[k % Math.max(1, Math.min(3, organisationIds.length))];
    if (organisationId === undefined) return;
    const f = await deps.findings.create(system, programmeId, organisationId, {
      ...d.finding,
      roundId,
      foundOn: day(d.foundDaysAgo),
    });
    if (d.end === 'draft') continue;
    await deps.findings.submit(system, f.id);
    if (d.end === 'in_review') continue;
    await deps.findings.review(system, f.id, { decision: 'approve' });
    if (d.plan) await deps.findings.toPlan(system, f.id, {});
    if (d.end !== 'approved')
      await deps.findings.retest(system, f.id, { on: day(d.end.daysAgo), outcome: d.end.outcome, notes: d.end.notes });
  }
}

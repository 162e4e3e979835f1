import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/modules/access/access-types.js';
import { DATABASES } from './support/databases.js';
import { PASSWORD, startHarness, type Client, type Harness } from './support/kalaja.js';

const ORG = { kind: 'cso', sizeBand: '1-5', country: 'XK' } as const;
const TRAINING = {
  module: 'backup-and-recovery',
  startsAt: '2026-03-10T09:00:00Z',
  durationMinutes: 180,
  place: 'Prishtina',
} as const;
const INCIDENT = {
  occurredOn: '2026-01-10',
  category: 'phishing',
  actor: 'criminal',
  targeting: 'targeted',
  certainty: 'confirmed',
  description: 'A fake login page',
} as const;
const SESSION = {
  ...TRAINING,
  title: '',
  online: false,
  onlineLink: '',
  trainers: '',
  capacity: 20,
  language: 'en',
} as const;

interface Foreign {
  programme: string;
  organisation: string;
  assessment: string;
  assessor: string;
  round: string;
  evidence: string;
  /** A report of the other programme (decision 5). */
  report: string;
  /** A published version of the other programme's results (threat model, T9). */
  publication: string;
  /** Another user's session handle and notice (threat model, T1). */
  session: string;
  notice: string;
  /** Another user's passkey (decision 7). */
  passkey: string;
  /** An answers import into the other programme (decision 0010). */
  import: string;
  /** A plan item of the other programme's organisation, and its evidence file. */
  planItem: string;
  planEvidence: string;
  /** A training session of the other programme, and one of its participants (issue 14). */
  training: string;
  participant: string;
  /** An approved finding of the other programme's organisation, and its evidence file (issue 20). */
  finding: string;
  findingEvidence: string;
  /** An incident of the other programme's organisation (issue 17). */
  incident: string;
}

/**
 * Every API route, with how to call it on another tenant's object. A route missing here fails
 * the test: adding a route means saying how its isolation is checked. `null` marks routes
 * that take no tenant id (they are still checked for anonymous access).
 */
const ROUTES: Record<string, ((f: Foreign) => { url: string; body?: unknown }) | null> = {
  'GET /api/v1/health': null,
  'GET /api/v1/openapi.json': null,
  'GET /api/v1/setup': null,
  'POST /api/v1/setup': null,
  'POST /api/v1/session': null,
  'POST /api/v1/session/mfa': null,
  'POST /api/v1/session/totp': null,
  'POST /api/v1/session/totp/confirm': null,
  'DELETE /api/v1/session': null,
  'POST /api/v1/session/reauth': null,
  'GET /api/v1/me': null,
  'PUT /api/v1/me/language': null,
  'POST /api/v1/invitations': (f) => ({
    url: '/api/v1/invitations',
    body: { email: 'new@x.test', role: 'observer', programmeId: f.programme },
  }),
  'POST /api/v1/invitations/accept': null,
  'GET /api/v1/frameworks': null,
  'POST /api/v1/frameworks': null,
  // Frameworks from OSCAL, CISO Assistant and SAMM: instance-wide, no tenant; instance admins only (below).
  'POST /api/v1/frameworks/conversions/preview': null,
  'POST /api/v1/frameworks/conversions': null,
  'GET /api/v1/programmes': null,
  'POST /api/v1/programmes': null,
  'GET /api/v1/programmes/:id': (f) => ({ url: `/api/v1/programmes/${f.programme}` }),
  'GET /api/v1/programmes/:id/organisations': (f) => ({ url: `/api/v1/programmes/${f.programme}/organisations` }),
  'POST /api/v1/programmes/:id/organisations': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations`,
    body: { ...ORG, name: 'Intruder' },
  }),
  'POST /api/v1/programmes/:id/assessors': (f) => ({
    url: `/api/v1/programmes/${f.programme}/assessors`,
    body: { userId: f.assessor, organisationId: f.organisation },
  }),
  'GET /api/v1/programmes/:id/members': (f) => ({ url: `/api/v1/programmes/${f.programme}/members` }),
  // Rounds that open and close (issue 13): another programme's round.
  'POST /api/v1/programmes/:id/rounds/:round/open': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/open`,
    body: {},
  }),
  'POST /api/v1/programmes/:id/rounds/:round/close': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/close`,
    body: {},
  }),
  'POST /api/v1/programmes/:id/rounds/:round/reopen': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/reopen`,
    body: { reason: 'x' },
  }),
  'GET /api/v1/programmes/:id/round-events': (f) => ({ url: `/api/v1/programmes/${f.programme}/round-events` }),
  'GET /api/v1/frameworks/:id': null,
  'GET /api/v1/programmes/:id/progress': (f) => ({ url: `/api/v1/programmes/${f.programme}/progress` }),
  'GET /api/v1/programmes/:id/results': (f) => ({ url: `/api/v1/programmes/${f.programme}/results` }),
  'GET /api/v1/programmes/:id/results/summary': (f) => ({ url: `/api/v1/programmes/${f.programme}/results/summary` }),
  'GET /api/v1/programmes/:id/results/organisations': (f) => ({
    url: `/api/v1/programmes/${f.programme}/results/organisations?round=baseline`,
  }),
  'GET /api/v1/programmes/:id/publications': (f) => ({ url: `/api/v1/programmes/${f.programme}/publications` }),
  'POST /api/v1/programmes/:id/publications': (f) => ({
    url: `/api/v1/programmes/${f.programme}/publications`,
    body: { round: 'baseline' },
  }),
  'GET /api/v1/programmes/:id/publications/:publication/open-data.zip': (f) => ({
    url: `/api/v1/programmes/${f.programme}/publications/${f.publication}/open-data.zip`,
  }),
  'GET /api/v1/assessments': null,
  'GET /api/v1/assessments/:id': (f) => ({ url: `/api/v1/assessments/${f.assessment}` }),
  'PUT /api/v1/assessments/:id/answers/:question': (f) => ({
    url: `/api/v1/assessments/${f.assessment}/answers/access.mfa-email`,
    body: { answer: 'none' },
  }),
  'PUT /api/v1/assessments/:id/validated/:question': (f) => ({
    url: `/api/v1/assessments/${f.assessment}/validated/access.mfa-email`,
    body: { answer: 'none' },
  }),
  'POST /api/v1/assessments/:id/confirmations': (f) => ({
    url: `/api/v1/assessments/${f.assessment}/confirmations`,
    body: { answers: [{ question: 'access.mfa-email', version: 1 }] },
  }),
  'POST /api/v1/assessments/:id/submit': (f) => ({ url: `/api/v1/assessments/${f.assessment}/submit`, body: {} }),
  'POST /api/v1/assessments/:id/validate': (f) => ({ url: `/api/v1/assessments/${f.assessment}/validate`, body: {} }),
  'GET /api/v1/assessments/:id/interview-notes': (f) => ({
    url: `/api/v1/assessments/${f.assessment}/interview-notes`,
  }),
  'POST /api/v1/assessments/:id/interview-notes': (f) => ({
    url: `/api/v1/assessments/${f.assessment}/interview-notes`,
    body: { domain: 'access', body: 'x' },
  }),
  'GET /api/v1/assessments/:id/results': (f) => ({ url: `/api/v1/assessments/${f.assessment}/results` }),
  // What moved between rounds (issue 13): another programme's organisation and cohort.
  'GET /api/v1/assessments/:id/change': (f) => ({ url: `/api/v1/assessments/${f.assessment}/change` }),
  'GET /api/v1/programmes/:id/change': (f) => ({ url: `/api/v1/programmes/${f.programme}/change` }),
  'GET /api/v1/assessments/:id/accounts': (f) => ({ url: `/api/v1/assessments/${f.assessment}/accounts` }),
  'PUT /api/v1/assessments/:id/accounts/:domain/:by': (f) => ({
    url: `/api/v1/assessments/${f.assessment}/accounts/access/assessor`,
    body: { text: 'x' },
  }),
  'POST /api/v1/programmes/:id/rounds/:round/answers': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/answers`,
    body: { csv: 'organisation,round,question,answer\nC,baseline,access.mfa-email,none\n' },
  }),
  // Permission is checked before the file is read: a JSON body on purpose.
  'POST /api/v1/programmes/:id/rounds/:round/imports': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/imports`,
    body: {},
  }),
  'GET /api/v1/programmes/:id/imports/:import': (f) => ({
    url: `/api/v1/programmes/${f.programme}/imports/${f.import}`,
  }),
  'GET /api/v1/programmes/:id/rounds/:round/answers.csv': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/answers.csv`,
  }),
  'GET /api/v1/audit': (f) => ({ url: `/api/v1/audit?organisationId=${f.organisation}` }),
  // A JSON body on purpose: permission is checked before an upload is read, so this is a 404 too.
  'POST /api/v1/assessments/:id/evidence': (f) => ({ url: `/api/v1/assessments/${f.assessment}/evidence`, body: {} }),
  'GET /api/v1/assessments/:id/evidence': (f) => ({ url: `/api/v1/assessments/${f.assessment}/evidence` }),
  'GET /api/v1/evidence/:id': (f) => ({ url: `/api/v1/evidence/${f.evidence}` }),
  'DELETE /api/v1/evidence/:id': (f) => ({ url: `/api/v1/evidence/${f.evidence}` }),
  // Reports (decision 5): another programme's reports, and asking for one of its organisation's.
  'POST /api/v1/programmes/:id/reports': (f) => ({
    url: `/api/v1/programmes/${f.programme}/reports`,
    body: { kind: 'organisation', organisationId: f.organisation, format: 'html' },
  }),
  'GET /api/v1/programmes/:id/reports': (f) => ({ url: `/api/v1/programmes/${f.programme}/reports` }),
  // The team's review of drafted recommendations: another programme's.
  'GET /api/v1/programmes/:id/recommendations': (f) => ({ url: `/api/v1/programmes/${f.programme}/recommendations` }),
  'POST /api/v1/programmes/:id/recommendations': (f) => ({
    url: `/api/v1/programmes/${f.programme}/recommendations`,
    body: { language: 'en', title: 'x', text: 'y' },
  }),
  'PUT /api/v1/programmes/:id/recommendations/:recommendation': (f) => ({
    url: `/api/v1/programmes/${f.programme}/recommendations/weakest-domain`,
    body: { language: 'en', dropped: true },
  }),
  'DELETE /api/v1/programmes/:id/recommendations/:recommendation': (f) => ({
    url: `/api/v1/programmes/${f.programme}/recommendations/weakest-domain`,
  }),
  // Plans: another programme's rankings, plans, items, evidence, programme view and exports.
  'GET /api/v1/assessments/:id/interventions': (f) => ({ url: `/api/v1/assessments/${f.assessment}/interventions` }),
  'GET /api/v1/programmes/:id/organisations/:organisation/plan': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/plan`,
  }),
  'POST /api/v1/programmes/:id/organisations/:organisation/plan': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/plan`,
    body: { roundId: f.round, intervention: 'security-keys' },
  }),
  'GET /api/v1/programmes/:id/organisations/:organisation/plan/export': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/plan/export?format=csv`,
  }),
  'PATCH /api/v1/plan-items/:id': (f) => ({ url: `/api/v1/plan-items/${f.planItem}`, body: { notes: 'x' } }),
  'POST /api/v1/plan-items/:id/status': (f) => ({
    url: `/api/v1/plan-items/${f.planItem}/status`,
    body: { status: 'in_progress' },
  }),
  'DELETE /api/v1/plan-items/:id': (f) => ({ url: `/api/v1/plan-items/${f.planItem}` }),
  // A JSON body on purpose, as for an assessment's evidence: refused before the upload is read.
  'POST /api/v1/plan-items/:id/evidence': (f) => ({ url: `/api/v1/plan-items/${f.planItem}/evidence`, body: {} }),
  'GET /api/v1/plan-evidence/:id': (f) => ({ url: `/api/v1/plan-evidence/${f.planEvidence}` }),
  'DELETE /api/v1/plan-evidence/:id': (f) => ({ url: `/api/v1/plan-evidence/${f.planEvidence}` }),
  'GET /api/v1/programmes/:id/plans': (f) => ({ url: `/api/v1/programmes/${f.programme}/plans` }),
  'GET /api/v1/programmes/:id/plans/export': (f) => ({
    url: `/api/v1/programmes/${f.programme}/plans/export?format=xlsx`,
  }),
  // Findings (issue 20): another programme's findings, their review, plan, retest and evidence.
  'GET /api/v1/programmes/:id/organisations/:organisation/findings': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/findings`,
  }),
  'POST /api/v1/programmes/:id/organisations/:organisation/findings': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/findings`,
    body: { roundId: f.round, title: 'x', target: 'website', severity: 'low', foundOn: '2026-01-10' },
  }),
  'POST /api/v1/programmes/:id/organisations/:organisation/findings/import': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/findings/import`,
    body: { roundId: f.round, format: 'nuclei', content: '\n' },
  }),
  'GET /api/v1/programmes/:id/findings/summary': (f) => ({ url: `/api/v1/programmes/${f.programme}/findings/summary` }),
  'GET /api/v1/findings/:id': (f) => ({ url: `/api/v1/findings/${f.finding}` }),
  'PATCH /api/v1/findings/:id': (f) => ({ url: `/api/v1/findings/${f.finding}`, body: { title: 'x' } }),
  'DELETE /api/v1/findings/:id': (f) => ({ url: `/api/v1/findings/${f.finding}` }),
  'POST /api/v1/findings/:id/submit': (f) => ({ url: `/api/v1/findings/${f.finding}/submit` }),
  'POST /api/v1/findings/:id/review': (f) => ({
    url: `/api/v1/findings/${f.finding}/review`,
    body: { decision: 'approve' },
  }),
  'POST /api/v1/findings/:id/plan': (f) => ({ url: `/api/v1/findings/${f.finding}/plan`, body: {} }),
  'POST /api/v1/findings/:id/retest': (f) => ({
    url: `/api/v1/findings/${f.finding}/retest`,
    body: { on: '2026-02-01', outcome: 'fixed' },
  }),
  'POST /api/v1/findings/:id/evidence': (f) => ({ url: `/api/v1/findings/${f.finding}/evidence`, body: {} }),
  'GET /api/v1/finding-evidence/:id': (f) => ({ url: `/api/v1/finding-evidence/${f.findingEvidence}` }),
  // The incident log and the threat landscape (issue 17): another programme's incidents and counts.
  'GET /api/v1/incident-taxonomy': null,
  'GET /api/v1/programmes/:id/organisations/:organisation/incidents': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/incidents`,
  }),
  'POST /api/v1/programmes/:id/organisations/:organisation/incidents': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/incidents`,
    body: INCIDENT,
  }),
  'PUT /api/v1/programmes/:id/organisations/:organisation/incidents/consent': (f) => ({
    url: `/api/v1/programmes/${f.programme}/organisations/${f.organisation}/incidents/consent`,
    body: { assessor: true },
  }),
  'GET /api/v1/incidents/:id': (f) => ({ url: `/api/v1/incidents/${f.incident}` }),
  'PATCH /api/v1/incidents/:id': (f) => ({ url: `/api/v1/incidents/${f.incident}`, body: { certainty: 'suspected' } }),
  'DELETE /api/v1/incidents/:id': (f) => ({ url: `/api/v1/incidents/${f.incident}` }),
  'GET /api/v1/programmes/:id/threats': (f) => ({ url: `/api/v1/programmes/${f.programme}/threats` }),
  // The survey beside the assessment (issue 17): another programme's survey and its answers.
  'GET /api/v1/programmes/:id/survey': (f) => ({ url: `/api/v1/programmes/${f.programme}/survey` }),
  'PUT /api/v1/programmes/:id/survey': (f) => ({
    url: `/api/v1/programmes/${f.programme}/survey`,
    body: { survey: 'cso-threat-survey' },
  }),
  'GET /api/v1/programmes/:id/rounds/:round/organisations/:organisation/survey': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/organisations/${f.organisation}/survey`,
  }),
  'PUT /api/v1/programmes/:id/rounds/:round/organisations/:organisation/survey': (f) => ({
    url: `/api/v1/programmes/${f.programme}/rounds/${f.round}/organisations/${f.organisation}/survey`,
    body: { answers: {} },
  }),
  // Trainings (issue 14): another programme's sessions, participants, links, answers and impact.
  'GET /api/v1/training-modules': null,
  'GET /api/v1/programmes/:id/trainings': (f) => ({ url: `/api/v1/programmes/${f.programme}/trainings` }),
  'POST /api/v1/programmes/:id/trainings': (f) => ({
    url: `/api/v1/programmes/${f.programme}/trainings`,
    body: TRAINING,
  }),
  'GET /api/v1/programmes/:id/trainings/impact': (f) => ({ url: `/api/v1/programmes/${f.programme}/trainings/impact` }),
  'GET /api/v1/trainings/:session': (f) => ({ url: `/api/v1/trainings/${f.training}` }),
  'PATCH /api/v1/trainings/:session': (f) => ({ url: `/api/v1/trainings/${f.training}`, body: { title: 'x' } }),
  'DELETE /api/v1/trainings/:session': (f) => ({ url: `/api/v1/trainings/${f.training}` }),
  'POST /api/v1/trainings/:session/participants': (f) => ({
    url: `/api/v1/trainings/${f.training}/participants`,
    body: { displayName: 'x', organisationId: f.organisation },
  }),
  'PATCH /api/v1/trainings/:session/participants/:participant': (f) => ({
    url: `/api/v1/trainings/${f.training}/participants/${f.participant}`,
    body: { attended: true },
  }),
  'DELETE /api/v1/trainings/:session/participants/:participant': (f) => ({
    url: `/api/v1/trainings/${f.training}/participants/${f.participant}`,
  }),
  'PUT /api/v1/trainings/:session/participants/:participant/answers/:phase': (f) => ({
    url: `/api/v1/trainings/${f.training}/participants/${f.participant}/answers/pre`,
    body: { answers: {} },
  }),
  'POST /api/v1/trainings/:session/links': (f) => ({ url: `/api/v1/trainings/${f.training}/links`, body: {} }),
  'POST /api/v1/trainings/:session/phase': (f) => ({
    url: `/api/v1/trainings/${f.training}/phase`,
    body: { phase: 'post' },
  }),
  'POST /api/v1/trainings/:session/follow-up': (f) => ({
    url: `/api/v1/trainings/${f.training}/follow-up`,
    body: { days: 30 },
  }),
  'POST /api/v1/trainings/:session/responses': (f) => ({
    url: `/api/v1/trainings/${f.training}/responses`,
    body: { csv: 'participant,phase,item,answer\n' },
  }),
  // The participant's check: public, its token the only key (trainings.test.ts).
  'POST /api/v1/checks/code': null,
  'GET /api/v1/checks/:token': null,
  'POST /api/v1/checks/:token/:phase': null,
  // The secure reporting channel (reporting.test.ts): public, the receipt code the only key.
  'GET /api/v1/report-channel': null,
  'POST /api/v1/report-channel/reports': null,
  'POST /api/v1/report-channel/receipt': null,
  'POST /api/v1/report-channel/receipt/messages': null,
  // Its team's inbox: instance-wide, no tenant; the role rules below say nobody else gets in.
  'GET /api/v1/reporting/membership': null,
  'GET /api/v1/reporting/reports': null,
  'GET /api/v1/reporting/reports/:id': null,
  'POST /api/v1/reporting/reports/:id/replies': null,
  'PUT /api/v1/reporting/reports/:id/tags': null,
  'POST /api/v1/reporting/reports/:id/close': null,
  'POST /api/v1/reporting/reports/:id/reopen': null,
  'GET /api/v1/reporting/files/:id': null,
  'GET /api/v1/reporting/settings': null,
  'PUT /api/v1/reporting/settings': null,
  'POST /api/v1/reporting/receivers': null,
  'DELETE /api/v1/reporting/receivers/:userId': null,
  // The openness index (openness.test.ts checks a foreign index's waves too): another programme's
  // ids are 404 to the research team's routes, and an unpublished wave is 404 to the public ones.
  'POST /api/v1/indexes': null,
  'GET /api/v1/indexes/:id/institutions': (f) => ({ url: `/api/v1/indexes/${f.programme}/institutions` }),
  'POST /api/v1/indexes/:id/institutions': (f) => ({
    url: `/api/v1/indexes/${f.programme}/institutions`,
    body: { name: 'Their assembly', type: 'parliament', level: 'national', country: 'XK' },
  }),
  'GET /api/v1/indexes/:id/waves/:wave': (f) => ({ url: `/api/v1/indexes/${f.programme}/waves/${f.round}` }),
  'POST /api/v1/indexes/:id/waves/:wave/publish': (f) => ({
    url: `/api/v1/indexes/${f.programme}/waves/${f.round}/publish`,
    body: {},
  }),
  'GET /api/v1/indexes/:id/waves/:wave/paper': (f) => ({
    url: `/api/v1/indexes/${f.programme}/waves/${f.round}/paper?format=html`,
  }),
  'GET /api/v1/indexes/:id/waves/:wave/institutions/:institution': (f) => ({
    url: `/api/v1/indexes/${f.programme}/waves/${f.round}/institutions/${f.organisation}`,
  }),
  'PUT /api/v1/indexes/:id/waves/:wave/institutions/:institution/indicators/:indicator': (f) => ({
    url: `/api/v1/indexes/${f.programme}/waves/${f.round}/institutions/${f.organisation}/indicators/access.mfa-email`,
    body: { answer: null },
  }),
  'POST /api/v1/indexes/:id/waves/:wave/institutions/:institution/indicators/:indicator/validate': (f) => ({
    url: `/api/v1/indexes/${f.programme}/waves/${f.round}/institutions/${f.organisation}/indicators/access.mfa-email/validate`,
    body: {},
  }),
  'POST /api/v1/indexes/:id/waves/:wave/institutions/:institution/indicators/:indicator/archives': null,
  'POST /api/v1/indexes/:id/waves/:wave/institutions/:institution/questionnaire-link': (f) => ({
    url: `/api/v1/indexes/${f.programme}/waves/${f.round}/institutions/${f.organisation}/questionnaire-link`,
    body: {},
  }),
  'GET /api/v1/openness-archives/:id': (f) => ({ url: `/api/v1/openness-archives/${f.evidence}` }),
  'GET /api/v1/questionnaires/:token': null,
  'POST /api/v1/questionnaires/:token': null,
  'GET /api/v1/public/indexes/:id': (f) => ({ url: `/api/v1/public/indexes/${f.programme}` }),
  'GET /api/v1/public/indexes/:id/waves/:wave': (f) => ({
    url: `/api/v1/public/indexes/${f.programme}/waves/${f.round}`,
  }),
  'GET /api/v1/public/indexes/:id/waves/:wave/institutions/:institution': (f) => ({
    url: `/api/v1/public/indexes/${f.programme}/waves/${f.round}/institutions/${f.organisation}`,
  }),
  'GET /api/v1/public/indexes/:id/waves/:wave/data.json': (f) => ({
    url: `/api/v1/public/indexes/${f.programme}/waves/${f.round}/data.json`,
  }),
  'GET /api/v1/public/indexes/:id/waves/:wave/datapackage.json': (f) => ({
    url: `/api/v1/public/indexes/${f.programme}/waves/${f.round}/datapackage.json`,
  }),
  'GET /api/v1/public/indexes/:id/waves/:wave/institutions.csv': (f) => ({
    url: `/api/v1/public/indexes/${f.programme}/waves/${f.round}/institutions.csv`,
  }),
  'GET /api/v1/public/indexes/:id/waves/:wave/indicators.csv': (f) => ({
    url: `/api/v1/public/indexes/${f.programme}/waves/${f.round}/indicators.csv`,
  }),
  'GET /api/v1/public/openness-archives/:id': (f) => ({ url: `/api/v1/public/openness-archives/${f.evidence}` }),
  // The handbook: public, advice for anyone, nobody's data (handbook.test.ts).
  'GET /api/v1/handbook': null,
  'GET /api/v1/handbook/export.pdf': null,
  'GET /api/v1/handbook/:id': null,
  'GET /api/v1/reports/:id': (f) => ({ url: `/api/v1/reports/${f.report}` }),
  'GET /api/v1/reports/:id/preview': (f) => ({ url: `/api/v1/reports/${f.report}/preview` }),
  'GET /api/v1/reports/:id/download': (f) => ({ url: `/api/v1/reports/${f.report}/download` }),
  // Sessions, notices and people (threat model, T1): another user's session, notice and account.
  'GET /api/v1/sessions': null,
  'DELETE /api/v1/sessions': null,
  'DELETE /api/v1/sessions/:handle': (f) => ({ url: `/api/v1/sessions/${f.session}` }),
  'GET /api/v1/notices': null,
  'POST /api/v1/notices/:id/read': (f) => ({ url: `/api/v1/notices/${f.notice}/read`, body: {} }),
  'GET /api/v1/users': null,
  'POST /api/v1/users/:id/disable': (f) => ({ url: `/api/v1/users/${f.assessor}/disable`, body: {} }),
  'POST /api/v1/users/:id/enable': (f) => ({ url: `/api/v1/users/${f.assessor}/enable`, body: {} }),
  // Second factors (decision 7): your own session and passkeys; instance-wide rules and resets for admins.
  'GET /api/v1/session': null,
  'POST /api/v1/session/passkey/options': null,
  'POST /api/v1/session/recover': null,
  'POST /api/v1/passkeys/options': null,
  'POST /api/v1/passkeys': null,
  'GET /api/v1/passkeys': null,
  'DELETE /api/v1/passkeys/:id': (f) => ({ url: `/api/v1/passkeys/${f.passkey}` }),
  'POST /api/v1/account/password': null,
  'GET /api/v1/instance/security': null,
  'PUT /api/v1/instance/security': null,
  'POST /api/v1/users/:id/reset-second-factor': (f) => ({
    url: `/api/v1/users/${f.assessor}/reset-second-factor`,
    body: {},
  }),
};

/**
 * Role rules inside one's own programme: who may call a route at all. A role not listed gets
 * 403 or 404; a listed one gets past the permission check (its answer may still be 4xx for
 * another reason, as a publication with nothing to publish is 409).
 */
interface Own {
  programme: string;
  assessment: string;
  organisation: string;
  round: string;
  planItem: string;
  training: string;
  /** A draft finding of the organisation: its assessors and managers see it, nobody else yet. */
  finding: string;
  /** An incident of the organisation: its people and the programme's managers see it. */
  incident: string;
}

const ROLE_RULES: {
  route: string;
  call: (own: Own) => { url: string; body?: unknown };
  roles: string[];
}[] = [
  // The reporting team is the instance admins and the receivers they name: no programme role is in it.
  ...(
    [
      ['GET /api/v1/reporting/reports', '/api/v1/reporting/reports', undefined],
      ['GET /api/v1/reporting/reports/:id', `/api/v1/reporting/reports/${'A'.repeat(22)}`, undefined],
      [
        'POST /api/v1/reporting/reports/:id/replies',
        `/api/v1/reporting/reports/${'A'.repeat(22)}/replies`,
        { text: 'x' },
      ],
      ['PUT /api/v1/reporting/reports/:id/tags', `/api/v1/reporting/reports/${'A'.repeat(22)}/tags`, { tags: [] }],
      ['POST /api/v1/reporting/reports/:id/close', `/api/v1/reporting/reports/${'A'.repeat(22)}/close`, {}],
      ['POST /api/v1/reporting/reports/:id/reopen', `/api/v1/reporting/reports/${'A'.repeat(22)}/reopen`, {}],
      ['GET /api/v1/reporting/files/:id', `/api/v1/reporting/files/${'A'.repeat(22)}`, undefined],
      ['GET /api/v1/reporting/settings', '/api/v1/reporting/settings', undefined],
      ['PUT /api/v1/reporting/settings', '/api/v1/reporting/settings', { enabled: true, retentionDays: 30 }],
      ['POST /api/v1/reporting/receivers', '/api/v1/reporting/receivers', { userId: 'A'.repeat(22) }],
      ['DELETE /api/v1/reporting/receivers/:userId', `/api/v1/reporting/receivers/${'A'.repeat(22)}`, undefined],
    ] as const
  ).map(([route, url, body]) => ({ route, call: () => ({ url, ...(body && { body }) }), roles: [] as string[] })),
  // A framework for the whole instance is the instance admins' to bring in, not a programme's.
  ...(['/api/v1/frameworks/conversions/preview', '/api/v1/frameworks/conversions'] as const).map((url) => ({
    route: `POST ${url}`,
    call: () => ({ url, body: { from: 'samm', source: 'type: Function\nid: f\n' } }),
    roles: [] as string[],
  })),
  {
    route: 'GET /api/v1/assessments/:id/interview-notes',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/interview-notes` }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'POST /api/v1/assessments/:id/interview-notes',
    call: (o) => ({
      url: `/api/v1/assessments/${o.assessment}/interview-notes`,
      body: { domain: 'access', body: 'x' },
    }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'PUT /api/v1/assessments/:id/validated/:question',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/validated/access.mfa-email`, body: { answer: 'none' } }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'PUT /api/v1/assessments/:id/answers/:question',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/answers/access.mfa-email`, body: { answer: 'none' } }),
    roles: ['org_admin', 'org_member'],
  },
  {
    route: 'POST /api/v1/assessments/:id/confirmations',
    call: (o) => ({
      url: `/api/v1/assessments/${o.assessment}/confirmations`,
      body: { answers: [{ question: 'access.mfa-email', version: 1 }] },
    }),
    roles: ['org_admin', 'org_member'],
  },
  {
    route: 'GET /api/v1/programmes/:id/progress',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/progress` }),
    roles: ['manager'],
  },
  {
    route: 'GET /api/v1/programmes/:id/results',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/results` }),
    roles: ['manager', 'observer'],
  },
  {
    route: 'GET /api/v1/programmes/:id/results/summary',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/results/summary` }),
    roles: ['manager', 'observer'],
  },
  {
    // Each organisation by name: managers only; observers see aggregates (threat model, T9).
    route: 'GET /api/v1/programmes/:id/results/organisations',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/results/organisations` }),
    roles: ['manager'],
  },
  {
    route: 'GET /api/v1/assessments/:id/change',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/change` }),
    roles: ['manager', 'assessor', 'org_admin', 'org_member'],
  },
  {
    route: 'GET /api/v1/assessments/:id/accounts',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/accounts` }),
    roles: ['manager', 'assessor', 'org_admin', 'org_member'],
  },
  {
    route: 'PUT /api/v1/assessments/:id/accounts/:domain/:by',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/accounts/access/assessor`, body: { text: 'x' } }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'PUT /api/v1/assessments/:id/accounts/:domain/:by',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/accounts/access/organisation`, body: { text: 'x' } }),
    roles: ['org_admin', 'org_member'],
  },
  {
    route: 'GET /api/v1/programmes/:id/change',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/change` }),
    roles: ['manager'],
  },
  {
    route: 'GET /api/v1/programmes/:id/publications',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/publications` }),
    roles: ['manager', 'observer'],
  },
  {
    route: 'POST /api/v1/programmes/:id/publications',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/publications`, body: { round: 'baseline' } }),
    roles: ['manager'],
  },
  {
    route: 'GET /api/v1/programmes/:id/recommendations',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/recommendations` }),
    roles: ['manager'],
  },
  // Plans: assigned assessors and managers build an organisation's plan; the organisation reads
  // and carries it out; observers see no plan (nor the programme's plans view).
  {
    route: 'GET /api/v1/assessments/:id/interventions',
    call: (o) => ({ url: `/api/v1/assessments/${o.assessment}/interventions` }),
    roles: ['manager', 'assessor', 'org_admin', 'org_member'],
  },
  {
    route: 'GET /api/v1/programmes/:id/organisations/:organisation/plan',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/plan` }),
    roles: ['manager', 'assessor', 'org_admin', 'org_member'],
  },
  {
    route: 'POST /api/v1/programmes/:id/organisations/:organisation/plan',
    call: (o) => ({
      url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/plan`,
      body: { roundId: o.round, intervention: 'security-keys' },
    }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'PATCH /api/v1/plan-items/:id',
    call: (o) => ({ url: `/api/v1/plan-items/${o.planItem}`, body: { dueOn: '2026-06-30' } }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'POST /api/v1/plan-items/:id/status',
    call: (o) => ({ url: `/api/v1/plan-items/${o.planItem}/status`, body: { status: 'dropped', reason: 'x' } }),
    roles: ['manager', 'assessor', 'org_admin', 'org_member'],
  },
  {
    route: 'GET /api/v1/programmes/:id/plans',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/plans` }),
    roles: ['manager'],
  },
  // Findings: the organisation's assessors and managers record them; its people see approved
  // ones only (a draft answers them 404); observers see the cohort's counts and nothing else.
  {
    route: 'GET /api/v1/programmes/:id/organisations/:organisation/findings',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/findings` }),
    roles: ['manager', 'assessor', 'org_admin', 'org_member'],
  },
  {
    route: 'POST /api/v1/programmes/:id/organisations/:organisation/findings',
    call: (o) => ({
      url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/findings`,
      body: { roundId: o.round, title: 'Open directory', target: 'website', severity: 'low', foundOn: '2026-01-10' },
    }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'POST /api/v1/programmes/:id/organisations/:organisation/findings/import',
    call: (o) => ({
      url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/findings/import`,
      body: { roundId: o.round, format: 'nuclei', content: '\n' },
    }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'GET /api/v1/findings/:id',
    call: (o) => ({ url: `/api/v1/findings/${o.finding}` }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'PATCH /api/v1/findings/:id',
    call: (o) => ({ url: `/api/v1/findings/${o.finding}`, body: { severity: 'medium' } }),
    roles: ['manager', 'assessor'],
  },
  {
    route: 'GET /api/v1/programmes/:id/findings/summary',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/findings/summary` }),
    roles: ['manager', 'observer'],
  },
  // Incidents: the organisation's people record and edit them, its admin deletes one and
  // switches the assessor's consent (off by default: the assessor is out); managers read them
  // and the landscape; observers see none of it (issue 17). Deleting comes last.
  {
    route: 'GET /api/v1/programmes/:id/organisations/:organisation/incidents',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/incidents` }),
    roles: ['manager', 'org_admin', 'org_member'],
  },
  {
    route: 'POST /api/v1/programmes/:id/organisations/:organisation/incidents',
    call: (o) => ({
      url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/incidents`,
      body: INCIDENT,
    }),
    roles: ['org_admin', 'org_member'],
  },
  {
    route: 'PUT /api/v1/programmes/:id/organisations/:organisation/incidents/consent',
    call: (o) => ({
      url: `/api/v1/programmes/${o.programme}/organisations/${o.organisation}/incidents/consent`,
      body: { assessor: false },
    }),
    roles: ['org_admin'],
  },
  {
    route: 'GET /api/v1/incidents/:id',
    call: (o) => ({ url: `/api/v1/incidents/${o.incident}` }),
    roles: ['manager', 'org_admin', 'org_member'],
  },
  {
    route: 'PATCH /api/v1/incidents/:id',
    call: (o) => ({ url: `/api/v1/incidents/${o.incident}`, body: { certainty: 'suspected' } }),
    roles: ['org_admin', 'org_member'],
  },
  {
    route: 'GET /api/v1/programmes/:id/threats',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/threats` }),
    roles: ['manager'],
  },
  {
    route: 'DELETE /api/v1/incidents/:id',
    call: (o) => ({ url: `/api/v1/incidents/${o.incident}` }),
    roles: ['org_admin'],
  },
  // The survey: anyone of the programme may know which one it runs; managers choose it; only
  // the organisation's people read and write its answers (managers see them aggregated).
  {
    route: 'GET /api/v1/programmes/:id/survey',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/survey` }),
    roles: ['manager', 'assessor', 'trainer', 'observer', 'org_admin', 'org_member'],
  },
  {
    route: 'PUT /api/v1/programmes/:id/survey',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/survey`, body: { survey: 'cso-threat-survey' } }),
    roles: ['manager'],
  },
  {
    route: 'GET /api/v1/programmes/:id/rounds/:round/organisations/:organisation/survey',
    call: (o) => ({
      url: `/api/v1/programmes/${o.programme}/rounds/${o.round}/organisations/${o.organisation}/survey`,
    }),
    roles: ['org_admin', 'org_member'],
  },
  {
    route: 'PUT /api/v1/programmes/:id/rounds/:round/organisations/:organisation/survey',
    call: (o) => ({
      url: `/api/v1/programmes/${o.programme}/rounds/${o.round}/organisations/${o.organisation}/survey`,
      body: { answers: { 'capacity.staff': 7 } },
    }),
    roles: ['org_admin', 'org_member'],
  },
  // The round's lifecycle is the managers' (reopening too: rounds.test.ts); closing comes last,
  // since it makes the round read-only for the rules after it.
  {
    // Trainings: trainers and managers run them; the organisation reads its own people's;
    // observers and assessors see none of it (issue 14).
    route: 'GET /api/v1/training-modules',
    call: () => ({ url: '/api/v1/training-modules' }),
    roles: ['manager', 'assessor', 'trainer', 'org_admin', 'org_member'],
  },
  {
    route: 'GET /api/v1/programmes/:id/trainings',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/trainings` }),
    roles: ['manager', 'trainer', 'org_admin', 'org_member'],
  },
  {
    route: 'POST /api/v1/programmes/:id/trainings',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/trainings`, body: TRAINING }),
    roles: ['manager', 'trainer'],
  },
  {
    route: 'GET /api/v1/programmes/:id/trainings/impact',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/trainings/impact` }),
    roles: ['manager', 'trainer'],
  },
  {
    route: 'GET /api/v1/trainings/:session',
    call: (o) => ({ url: `/api/v1/trainings/${o.training}` }),
    roles: ['manager', 'trainer', 'org_admin', 'org_member'],
  },
  {
    route: 'PATCH /api/v1/trainings/:session',
    call: (o) => ({ url: `/api/v1/trainings/${o.training}`, body: { trainers: 'Arta K.' } }),
    roles: ['manager', 'trainer'],
  },
  {
    route: 'POST /api/v1/trainings/:session/participants',
    call: (o) => ({
      url: `/api/v1/trainings/${o.training}/participants`,
      body: { displayName: 'Participant', organisationId: o.organisation },
    }),
    roles: ['manager', 'trainer'],
  },
  {
    route: 'POST /api/v1/trainings/:session/links',
    call: (o) => ({ url: `/api/v1/trainings/${o.training}/links`, body: {} }),
    roles: ['manager', 'trainer'],
  },
  {
    route: 'POST /api/v1/programmes/:id/rounds/:round/open',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/rounds/${o.round}/open`, body: {} }),
    roles: ['manager'],
  },
  {
    route: 'GET /api/v1/programmes/:id/round-events',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/round-events` }),
    roles: ['manager'],
  },
  {
    route: 'POST /api/v1/programmes/:id/rounds/:round/close',
    call: (o) => ({ url: `/api/v1/programmes/${o.programme}/rounds/${o.round}/close`, body: {} }),
    roles: ['manager'],
  },
];

describe.each(DATABASES)('the route table on %s', (kind) => {
  let h: Harness;
  let roles: Record<string, Client>;
  let foreign: Foreign;
  let own: Own;

  beforeAll(async () => {
    h = await startHarness(kind);
    const admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const mine = (await admin.post('/api/v1/programmes', { name: 'Ours', frameworkId, rounds: [{ name: 'baseline' }] }))
      .json.id;
    const theirs = (
      await admin.post('/api/v1/programmes', { name: 'Theirs', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    const a = (await admin.post(`/api/v1/programmes/${mine}/organisations`, { ...ORG, name: 'A' })).json.id;
    const c = (await admin.post(`/api/v1/programmes/${theirs}/organisations`, { ...ORG, name: 'C' })).json.id;
    const assessor = await h.join(admin, { email: 'assessor@x.test', role: 'assessor', programmeId: mine });
    await admin.post(`/api/v1/programmes/${mine}/assessors`, { userId: assessor.userId, organisationId: a });
    const theirAssessor = await h.join(admin, {
      email: 'their-assessor@x.test',
      role: 'assessor',
      programmeId: theirs,
    });
    roles = {
      manager: await h.join(admin, { email: 'manager@x.test', role: 'programme_manager', programmeId: mine }),
      org_admin: await h.join(admin, {
        email: 'orgadmin@x.test',
        role: 'org_admin',
        programmeId: mine,
        organisationId: a,
      }),
      org_member: await h.join(admin, {
        email: 'member@x.test',
        role: 'org_member',
        programmeId: mine,
        organisationId: a,
      }),
      assessor,
      observer: await h.join(admin, { email: 'observer@x.test', role: 'observer', programmeId: mine }),
      trainer: await h.join(admin, { email: 'trainer@x.test', role: 'trainer', programmeId: mine }),
    };
    const ownTraining = await h.kalaja.services.trainings.create(systemActor('test'), mine, SESSION);
    const ownProgress = (await admin.get(`/api/v1/programmes/${mine}/progress`)).json[0];
    const ownItem = await h.kalaja.services.plans.create(systemActor('test'), mine, a, {
      roundId: ownProgress.roundId,
      intervention: 'mfa-rollout',
      ownerId: null,
      dueOn: null,
      notes: '',
    });
    const ownFinding = await h.kalaja.services.findings.create(systemActor('test'), mine, a, {
      roundId: ownProgress.roundId,
      title: 'Directory listing on the website',
      target: 'website',
      severity: 'low',
      cvss: null,
      description: '',
      method: '',
      recommendation: '',
      foundOn: '2026-01-10',
      questions: [],
      interventions: [],
    });
    const ownIncident = await h.kalaja.services.incidents.create(systemActor('test'), mine, a, {
      ...INCIDENT,
      endedOn: null,
      effectsPeople: [],
      effectsWork: [],
      actions: '',
      responses: [],
    });
    await h.kalaja.services.surveys.setSurvey(systemActor('test'), mine, { survey: 'cso-threat-survey' });
    own = {
      incident: ownIncident.id,
      finding: ownFinding.id,
      programme: mine,
      assessment: ownProgress.assessmentId,
      organisation: a,
      round: ownProgress.roundId,
      planItem: ownItem.id,
      training: ownTraining.id,
    };
    const progress = (await admin.get(`/api/v1/programmes/${theirs}/progress`)).json;
    const evidence = await h.kalaja.services.evidence.upload(
      systemActor('test'),
      progress[0].assessmentId,
      async () => ({
        file: { name: 'x.pdf', declaredType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
      }),
    );
    const db = h.kalaja.database.db;
    const theirSession = await db
      .selectFrom('sessions')
      .select('handle')
      .where('user_id', '=', theirAssessor.userId)
      .executeTakeFirstOrThrow();
    const theirNotice = 'NoticeOfAnotherUser0';
    await db
      .insertInto('notices')
      .values({
        id: theirNotice,
        user_id: theirAssessor.userId,
        kind: 'new_device',
        params: '{}',
        created_at: 0,
        read_at: null,
      })
      .execute();
    const theirPasskey = 'PasskeyOfAnotherUser';
    await db
      .insertInto('passkeys')
      .values({
        id: theirPasskey,
        user_id: theirAssessor.userId,
        credential_id: 'Y3JlZGVudGlhbA',
        public_key: 'a2V5',
        counter: 0,
        transports: '[]',
        name: 'Their key',
        created_at: 0,
        last_used_at: null,
      })
      .execute();
    const report = await h.kalaja.services.reports.request(systemActor('test'), theirs, {
      kind: 'organisation',
      organisationId: c,
      format: 'html',
      language: 'en',
      audience: 'programme',
    });
    const publication = 'PublicationOfTheirs00';
    await db
      .insertInto('publications')
      .values({
        id: publication,
        programme_id: theirs,
        round_id: progress[0].roundId,
        version: 1,
        organisations: 5,
        figures: '{}',
        sets: '[]',
        members: '{}',
        published_by: theirAssessor.userId,
        published_at: 0,
      })
      .execute();
    const theirImport = 'ImportOfTheirs0000000';
    await db
      .insertInto('answer_imports')
      .values({
        id: theirImport,
        programme_id: theirs,
        round_id: progress[0].roundId,
        layer: 'own',
        status: 'done',
        rows_total: 1,
        rows_done: 1,
        organisations: 1,
        error: null,
        problems: null,
        created_by: theirAssessor.userId,
        created_at: 0,
        heartbeat_at: 0,
        finished_at: 0,
      })
      .execute();
    const theirItem = await h.kalaja.services.plans.create(systemActor('test'), theirs, c, {
      roundId: progress[0].roundId,
      intervention: 'mfa-rollout',
      ownerId: null,
      dueOn: null,
      notes: 'Their plan',
    });
    const theirFile = await h.kalaja.services.plans.uploadEvidence(systemActor('test'), theirItem.id, async () => ({
      file: { name: 'x.pdf', declaredType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
    }));
    const theirTraining = await h.kalaja.services.trainings.create(systemActor('test'), theirs, SESSION);
    const theirParticipant = await h.kalaja.services.trainings.addParticipant(systemActor('test'), theirTraining.id, {
      displayName: 'Their participant',
      organisationId: c,
      role: '',
      attended: false,
    });
    const theirFinding = await h.kalaja.services.findings.create(systemActor('test'), theirs, c, {
      roundId: progress[0].roundId,
      title: 'Their finding',
      target: 'mail-domain',
      severity: 'high',
      cvss: null,
      description: '',
      method: '',
      recommendation: '',
      foundOn: '2026-01-10',
      questions: [],
      interventions: [],
    });
    await db.updateTable('findings').set({ status: 'approved' }).where('id', '=', theirFinding.id).execute();
    const theirFindingFile = await h.kalaja.services.findings.uploadEvidence(
      systemActor('test'),
      theirFinding.id,
      async () => ({
        file: { name: 'x.pdf', declaredType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
      }),
    );
    const theirIncident = await h.kalaja.services.incidents.create(systemActor('test'), theirs, c, {
      ...INCIDENT,
      endedOn: null,
      effectsPeople: [],
      effectsWork: [],
      actions: '',
      responses: [],
    });
    foreign = {
      incident: theirIncident.id,
      finding: theirFinding.id,
      findingEvidence: theirFindingFile.id,
      training: theirTraining.id,
      participant: theirParticipant.id,
      import: theirImport,
      planItem: theirItem.id,
      planEvidence: theirFile.id,
      publication,
      report: report.id,
      session: theirSession.handle,
      notice: theirNotice,
      passkey: theirPasskey,
      programme: theirs,
      organisation: c,
      assessment: progress[0].assessmentId,
      assessor: theirAssessor.userId,
      round: progress[0].roundId,
      evidence: evidence.id,
    };
  });

  afterAll(async () => {
    await h?.close();
  });

  it('declares an access policy and an isolation check for every API route', () => {
    const declared = h.kalaja.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect(declared.filter((r) => !(r in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !declared.includes(r))).toEqual([]);
  });

  it('refuses a route that declares no access policy at start', async () => {
    const { buildApp } = await import('../src/http/app.js');
    await expect(
      buildApp({
        config: { logLevel: 'silent', publicUrl: 'http://x' },
        ping: async () => undefined,
        routes: [(app) => void app.get('/api/v1/undeclared', async () => 'open')],
      }),
    ).rejects.toThrow(/declares no access policy/);
  });

  it('answers every non-public route with 401 without a session, and 401 before the second factor', async () => {
    const anonymous = h.client();
    const halfway = h.client();
    expect((await halfway.post('/api/v1/session', { email: 'member@x.test', password: PASSWORD })).json).toEqual({
      next: 'mfa',
      factors: ['totp', 'recovery_code'],
    });
    for (const route of h.kalaja.app.routeTable) {
      if (route.access === 'public') continue;
      const url = route.url
        .replace(':id', 'AAAAAAAAAAAAAAAAAAAAAA')
        .replace(':round', 'AAAAAAAAAAAAAAAAAAAAAA')
        .replace(':publication', 'AAAAAAAAAAAAAAAAAAAAAA')
        .replace(':import', 'AAAAAAAAAAAAAAAAAAAAAA')
        .replace(':organisation', 'AAAAAAAAAAAAAAAAAAAAAA')
        .replace(':recommendation', 'weakest-domain')
        .replace(':question', 'access.mfa-email')
        .replace(':session', 'AAAAAAAAAAAAAAAAAAAAAA')
        .replace(':participant', 'AAAAAAAAAAAAAAAAAAAAAA')
        .replace(':phase', 'pre');
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      expect((await anonymous.request(route.method, url, body)).status, `${route.method} ${route.url}`).toBe(401);
      if (route.access === 'member') {
        const r = await halfway.request(route.method, url, body);
        expect([r.status, r.json.error.code], `${route.method} ${route.url}`).toEqual([401, 'mfa_required']);
      }
    }
  });

  it('answers every role with 404 for another programme\u2019s objects, on every route that takes one', async () => {
    const checked: string[] = [];
    for (const route of h.kalaja.app.routeTable) {
      const call = ROUTES[`${route.method} ${route.url}`];
      if (!call) continue;
      const { url, body } = call(foreign);
      for (const [role, client] of Object.entries(roles)) {
        const r = await client.request(route.method, url, body);
        expect(
          [r.status, r.json?.error?.code],
          `${role}: ${route.method} ${route.url} ${r.body.slice(0, 200)}`,
        ).toEqual([404, 'not_found']);
        checked.push(`${role} ${route.method} ${route.url}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(5 * 14);
  });

  it('applies each route\u2019s role rule inside one\u2019s own programme', async () => {
    const declared = h.kalaja.app.routeTable.map((r) => `${r.method} ${r.url}`);
    for (const rule of ROLE_RULES) {
      expect(declared, rule.route).toContain(rule.route);
      const [method] = rule.route.split(' ');
      const { url, body } = rule.call(own);
      for (const [role, client] of Object.entries(roles)) {
        const r = await client.request(method!, url, body);
        if (rule.roles.includes(role))
          expect([401, 403, 404], `${role}: ${rule.route} ${r.body.slice(0, 200)}`).not.toContain(r.status);
        else expect([403, 404], `${role}: ${rule.route} ${r.status}`).toContain(r.status);
      }
    }
  });
});

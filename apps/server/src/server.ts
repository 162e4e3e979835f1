import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadFramework, textFor } from '@kalaja/engine';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { loadKeyEncryptionKey } from './crypto/kek.js';
import { CommitBatcher } from './db/commit-batcher.js';
import { organisationKeyStore, vaultKeys, type OrganisationKeyStore } from './crypto/organisation-key-store.js';
import { Vault } from './crypto/vault.js';
import { migrate, openDatabase, type Database, type Db, type Dialect } from './db/database.js';
import { settingsStore } from './db/settings-store.js';
import { buildApp, type App } from './http/app.js';
import { installSessions } from './http/session.js';
import { webApp } from './http/web.js';
import { systemActor } from './modules/access/access-types.js';
import { auditRoutes } from './modules/audit/audit-routes.js';
import { auditService, type AuditService } from './modules/audit/audit-service.js';
import { auditStore } from './modules/audit/audit-store.js';
import { demoService } from './modules/demo/demo-service.js';
import { evidenceRoutes } from './modules/evidence/evidence-routes.js';
import { evidenceService } from './modules/evidence/evidence-service.js';
import { exchangeRoutes } from './modules/exchange/exchange-routes.js';
import { importStore } from './modules/exchange/import-store.js';
import { exchangeService } from './modules/exchange/exchange-service.js';
import { assessmentRoutes } from './modules/assessments/assessment-routes.js';
import { answerStore } from './modules/assessments/answer-store.js';
import { assessmentService } from './modules/assessments/assessment-service.js';
import { assessmentStore } from './modules/assessments/assessment-store.js';
import { carryOver } from './modules/assessments/carry-over.js';
import { accountRoutes } from './modules/assessments/account-routes.js';
import { accountService } from './modules/assessments/account-service.js';
import { accountStore } from './modules/assessments/account-store.js';
import { authRoutes, type AuthServices } from './modules/auth/auth-routes.js';
import { passkeyCeremonies, relyingParty } from './modules/auth/auth-passkeys.js';
import { credentialStore } from './modules/auth/credential-store.js';
import { instanceSecurityService } from './modules/auth/instance-security-service.js';
import { invitationService } from './modules/auth/invitation-service.js';
import { invitationStore } from './modules/auth/invitation-store.js';
import { recoveryService } from './modules/auth/recovery-service.js';
import { secondFactorService } from './modules/auth/second-factor-service.js';
import { signInService } from './modules/auth/sign-in-service.js';
import { throttleService, type ThrottleService } from './modules/auth/throttle-service.js';
import { throttleStore } from './modules/auth/throttle-store.js';
import { frameworkRoutes } from './modules/frameworks/framework-routes.js';
import { frameworkService } from './modules/frameworks/framework-service.js';
import { frameworkConversionService } from './modules/frameworks/framework-conversion.js';
import { frameworkStore } from './modules/frameworks/framework-store.js';
import { databaseFiles, evidenceDirectory } from './modules/evidence/evidence-files.js';
import { evidenceStore } from './modules/evidence/evidence-store.js';
import { loadShippedCatalogue } from './modules/plans/plan-catalogue.js';
import { planRoutes } from './modules/plans/plan-routes.js';
import { planService } from './modules/plans/plan-service.js';
import { planStore } from './modules/plans/plan-store.js';
import { findingRoutes } from './modules/findings/finding-routes.js';
import { findingService } from './modules/findings/finding-service.js';
import { findingStore } from './modules/findings/finding-store.js';
import { incidentRoutes } from './modules/incidents/incident-routes.js';
import { surveyRoutes } from './modules/surveys/survey-routes.js';
import { surveyService } from './modules/surveys/survey-service.js';
import { surveyStore } from './modules/surveys/survey-store.js';
import type { PublishHook } from './modules/publications/publication-service.js';
import { incidentService } from './modules/incidents/incident-service.js';
import { incidentStore } from './modules/incidents/incident-store.js';
import { opennessPublic } from './modules/openness/openness-public.js';
import { opennessPublicRoutes, opennessRoutes } from './modules/openness/openness-routes.js';
import { opennessService } from './modules/openness/openness-service.js';
import { opennessStore } from './modules/openness/openness-store.js';
import { loadShippedTaxonomy } from './modules/incidents/incident-taxonomy.js';
import { programmeRoutes } from './modules/programmes/programme-routes.js';
import { programmeService } from './modules/programmes/programme-service.js';
import { programmeStore } from './modules/programmes/programme-store.js';
import { roundRoutes } from './modules/programmes/round-routes.js';
import { roundService } from './modules/programmes/round-service.js';
import { roundStore } from './modules/programmes/round-store.js';
import { inProcessJobs, pgBossJobs } from './modules/reports/report-jobs.js';
import { recommendationService } from './modules/reports/recommendation-service.js';
import { recommendationStore } from './modules/reports/recommendation-store.js';
import { recommendationRoutes, reportRoutes } from './modules/reports/report-routes.js';
import { reportService } from './modules/reports/report-service.js';
import { reportStore } from './modules/reports/report-store.js';
import { renderPool, type ReportRenderer } from './reports/render-pool.js';
import { publicationRoutes } from './modules/publications/publication-routes.js';
import { publicationService } from './modules/publications/publication-service.js';
import { publicationStore } from './modules/publications/publication-store.js';
import { resultsRoutes } from './modules/results/results-routes.js';
import { resultsService } from './modules/results/results-service.js';
import { changeRoutes } from './modules/results/change-routes.js';
import { changeService, type CompletedPlanItemsBetween } from './modules/results/change-service.js';
import { sessionsRoutes } from './modules/sessions/sessions-routes.js';
import { sessionStore } from './modules/sessions/session-store.js';
import { sessionsService } from './modules/sessions/sessions-service.js';
import { checkRoutes } from './modules/trainings/check-routes.js';
import { checkService } from './modules/trainings/check-service.js';
import { trainingAnswers } from './modules/trainings/training-answers.js';
import { loadShippedTrainings } from './modules/trainings/training-catalogue.js';
import { loadShippedHandbook } from './modules/handbook/handbook-catalogue.js';
import { handbookRoutes } from './modules/handbook/handbook-routes.js';
import { handbookService } from './modules/handbook/handbook-service.js';
import { trainingImpact } from './modules/trainings/training-impact.js';
import { trainingRoutes } from './modules/trainings/training-routes.js';
import { trainingService } from './modules/trainings/training-service.js';
import { trainingStore } from './modules/trainings/training-store.js';
import { reportingRoutes } from './modules/reporting/reporting-routes.js';
import { reportingService } from './modules/reporting/reporting-service.js';
import { reportingStore } from './modules/reporting/reporting-store.js';
import { usersRoutes } from './modules/users/users-routes.js';
import { usersService } from './modules/users/users-service.js';
import { userStore } from './modules/users/user-store.js';

/** The frameworks Kalaja ships, imported into a new instance. */
export const DEFAULT_FRAMEWORK = fileURLToPath(new URL('../../../content/frameworks/cso-media.yaml', import.meta.url));
/** The institution framework an openness index is pinned to (decision 0015). */
export const OPENNESS_FRAMEWORK = fileURLToPath(
  new URL('../../../content/frameworks/openness-index.yaml', import.meta.url),
);
/**
 * Every framework version Kalaja ships, oldest first. Each is imported at start if this instance
 * lacks it: a programme pinned to 1.0.0 keeps loading it, and new programmes start on the newest.
 */
export const SHIPPED_FRAMEWORKS = [
  fileURLToPath(new URL('../../../content/frameworks/cso-media-1.0.0.yaml', import.meta.url)),
  DEFAULT_FRAMEWORK,
  // The threat survey a programme may run beside its assessment (unscored: never a programme's framework).
  fileURLToPath(new URL('../../../content/frameworks/cso-threat-survey.yaml', import.meta.url)),
  // The openness index's institution framework (issue 18): an index is pinned to it.
  OPENNESS_FRAMEWORK,
];

export class StartupError extends Error {}

/**
 * Every module's store over one database: the code that writes SQL. Services are given the
 * stores they use (narrowed with Pick); a store method takes the caller's transaction.
 */
export function createStores(db: Db, dialect: Dialect) {
  const settings = settingsStore(db);
  return {
    settings,
    keys: organisationKeyStore(db, settings),
    audit: auditStore(db, dialect),
    frameworks: frameworkStore(db),
    programmes: programmeStore(db),
    rounds: roundStore(db),
    users: userStore(db),
    assessments: assessmentStore(db, dialect),
    answers: answerStore(db, dialect),
    accounts: accountStore(db),
    imports: importStore(db, dialect),
    evidence: evidenceStore(db),
    reporting: reportingStore(db),
    reports: reportStore(db),
    publications: publicationStore(db),
    recommendations: recommendationStore(db),
    plans: planStore(db),
    findings: findingStore(db),
    incidents: incidentStore(db),
    surveys: surveyStore(db),
    openness: opennessStore(db),
    trainings: trainingStore(db),
    sessions: sessionStore(db, dialect),
    credentials: credentialStore(db),
    invitations: invitationStore(db),
    failures: throttleStore(db),
  };
}

export type Stores = ReturnType<typeof createStores>;

/**
 * The auth module's services, one per seam, wired over the stores: throttling first, then the
 * instance's passkey rule, the second factors that rule shapes, sign-in (which asks the
 * second factors what comes after a password), recovery and invitations.
 */
function authServices(
  context: Context,
  stores: Stores,
  publicUrl: string,
): AuthServices & { throttle: ThrottleService } {
  const { users, sessions, credentials, settings, audit } = stores;
  const throttle = throttleService(context, { failures: stores.failures });
  const rp = relyingParty(publicUrl);
  const instanceSecurity = instanceSecurityService(context, {
    settings,
    users,
    sessions,
    audit,
    passkeysAvailable: rp.available,
  });
  const secondFactors = secondFactorService(context, {
    users,
    credentials,
    sessions,
    ceremonies: passkeyCeremonies(context, rp, { sessions, credentials }),
    throttle,
    instanceSecurity,
    audit,
  });
  const signIn = signInService(context, {
    users,
    sessions,
    settings,
    programmes: stores.programmes,
    throttle,
    secondFactors,
    audit,
  });
  const recovery = recoveryService(context, {
    users,
    credentials,
    sessions,
    throttle,
    instanceSecurity,
    audit,
    publicUrl,
  });
  const invitations = invitationService(context, {
    invitations: stores.invitations,
    users,
    programmes: stores.programmes,
    signIn,
    secondFactors,
    throttle,
    audit,
    publicUrl,
  });
  return { throttle, instanceSecurity, secondFactors, signIn, recovery, invitations };
}

/** Proves at start that the configured key is the one that sealed this instance's data. */
async function checkKey(keys: Pick<OrganisationKeyStore, 'keyCheck' | 'addKeyCheck'>, vault: Vault): Promise<void> {
  const stored = await keys.keyCheck();
  // A new instance records its key check; a process that lost the race checks the winner's.
  if (stored === undefined && (await keys.addKeyCheck(vault.checkValue()))) return;
  if (!vault.verifyCheck(stored ?? (await keys.keyCheck())!)) {
    throw new StartupError(
      'the key-encryption key does not open this instance\u2019s data: check KALAJA_KEY or the key file (restore it from your backup)',
    );
  }
}

export interface Services extends AuthServices {
  throttle: ThrottleService;
  frameworks: ReturnType<typeof frameworkService>;
  programmes: ReturnType<typeof programmeService>;
  rounds: ReturnType<typeof roundService>;
  assessments: ReturnType<typeof assessmentService>;
  results: ReturnType<typeof resultsService>;
  change: ReturnType<typeof changeService>;
  accounts: ReturnType<typeof accountService>;
  publications: ReturnType<typeof publicationService>;
  exchange: ReturnType<typeof exchangeService>;
  audit: AuditService;
  demo: ReturnType<typeof demoService>;
  evidence: ReturnType<typeof evidenceService>;
  reports: ReturnType<typeof reportService>;
  recommendations: ReturnType<typeof recommendationService>;
  plans: ReturnType<typeof planService>;
  findings: ReturnType<typeof findingService>;
  incidents: ReturnType<typeof incidentService>;
  surveys: ReturnType<typeof surveyService>;
  openness: ReturnType<typeof opennessService>;
  opennessPublic: ReturnType<typeof opennessPublic>;
  trainings: ReturnType<typeof trainingService>;
  trainingAnswers: ReturnType<typeof trainingAnswers>;
  trainingImpact: ReturnType<typeof trainingImpact>;
  checks: ReturnType<typeof checkService>;
  reporting: ReturnType<typeof reportingService>;
  sessions: ReturnType<typeof sessionsService>;
  users: ReturnType<typeof usersService>;
}

export interface Kalaja {
  app: FastifyInstance;
  database: Database;
  stores: Stores;
  services: Services;
  context: Context;
  /** The one-time setup token when the instance has no account yet. */
  setupToken: string | null;
  close(): Promise<void>;
}

/**
 * The composition root: opens the database and applies migrations, loads the key and proves
 * it opens the data, wires every service with its dependencies, imports the default framework
 * into a new instance, and builds the HTTP app.
 */
export async function createKalaja(
  config: Config,
  options: {
    database?: Database;
    logStream?: NodeJS.WritableStream;
    now?: () => number;
    /** How long a receipt code's answer takes at least (REPORTING_RULES.floorMs unless given). */
    reportingFloorMs?: number;
    /** Where reports are built and rendered: a pool of one worker thread unless given. */
    renderer?: ReportRenderer;
  } = {},
): Promise<Kalaja> {
  const kek = loadKeyEncryptionKey(config.key);
  const database = options.database ?? openDatabase(config.database);
  try {
    await migrate(database);
    const now = options.now ?? Date.now;
    const stores = createStores(database.db, database.dialect);
    // The server's log, once the app that holds it is built; services built before it log through it.
    const logged: { to?: App['log'] } = {};
    const vault = new Vault(kek, vaultKeys(stores.keys, now));
    await checkKey(stores.keys, vault);
    const context: Context = {
      db: database.db,
      dialect: database.dialect,
      vault,
      now,
      batcher: new CommitBatcher(database.db, { dialect: database.dialect, pipeline: database.pipeline }),
    };
    // Sealed files: in the data directory on SQLite; in the database on PostgreSQL, where
    // several server processes share it and none keeps state on its own disk.
    const fileStore = (bucket: 'evidence' | 'reports' | 'incident-reports') =>
      database.dialect === 'postgres'
        ? databaseFiles(database.db, bucket)
        : evidenceDirectory(join(config.dataDir, bucket));
    const frameworks = frameworkService(context, { frameworks: stores.frameworks, audit: stores.audit });
    const { audit: auditLog, keys } = stores;
    const rounds = roundService(context, {
      rounds: stores.rounds,
      audit: auditLog,
      // Opening a round after the first carries the answers of the round before over to confirm.
      opening: carryOver(context, {
        assessments: stores.assessments,
        answers: stores.answers,
        programmes: stores.programmes,
        frameworks,
      }),
    });
    const programmes = programmeService(context, {
      programmes: stores.programmes,
      assessments: stores.assessments,
      users: stores.users,
      keys,
      frameworks,
      audit: auditLog,
      lifecycle: rounds,
      roundEvents: stores.rounds,
    });
    const assessments = assessmentService(context, {
      assessments: stores.assessments,
      answers: stores.answers,
      programmes: stores.programmes,
      frameworks,
      audit: auditLog,
      rounds,
      log: { warn: (obj, msg) => logged.to?.warn(obj, msg) },
    });
    // What each publication freezes beside the results; the incident log adds its landscape below.
    const publishHooks: PublishHook[] = [];
    const publications = publicationService(context, {
      publications: stores.publications,
      settings: stores.settings,
      programmes: stores.programmes,
      assessments: stores.assessments,
      frameworks,
      assessmentService: assessments,
      audit: auditLog,
      // Declared below; called only when a manager publishes.
      findingsSummary: (programmeId, organisationIds, k) => findings.summaryForReport(programmeId, organisationIds, k),
      alsoPublished: publishHooks,
    });
    const results = resultsService({
      programmes: stores.programmes,
      assessments: stores.assessments,
      frameworks,
      assessmentService: assessments,
      publications,
    });
    const accounts = accountService(context, {
      accounts: stores.accounts,
      assessments: stores.assessments,
      programmes: stores.programmes,
      frameworks,
      rounds,
      audit: auditLog,
    });
    const change = changeService({
      programmes: stores.programmes,
      assessments: stores.assessments,
      frameworks,
      assessmentService: assessments,
      accounts: (assessmentId, organisationId) =>
        accounts.forReport({ id: assessmentId, organisation_id: organisationId }),
      // The plan items done between the two rounds, beside each domain's change (called at
      // request time, once `plans` below exists).
      completedPlanItems: (between) => completedPlanItems(between),
    });
    const auth = authServices(context, stores, config.publicUrl);
    const exchange = exchangeService(context, {
      programmes: stores.programmes,
      assessments: stores.assessments,
      frameworks,
      frameworkSources: stores.frameworks,
      imports: stores.imports,
      assessmentService: assessments,
      audit: auditLog,
      rounds,
    });
    const audit = auditService({ audit: auditLog });
    // Plans: ranked against the shipped catalogue; their evidence files beside the assessments'.
    const plans = planService(context, {
      plans: stores.plans,
      programmes: stores.programmes,
      assessments: stores.assessments,
      assessmentService: assessments,
      frameworks,
      users: stores.users,
      files: fileStore('evidence'),
      audit: auditLog,
      catalogue: loadShippedCatalogue(),
    });
    // Findings: reviewed, then made plan items through the plan service; evidence beside the plans'.
    const findings = findingService(context, {
      findings: stores.findings,
      plans,
      planItems: stores.plans,
      programmes: stores.programmes,
      frameworks,
      users: stores.users,
      files: fileStore('evidence'),
      audit: auditLog,
      catalogue: plans.catalogue,
      publications: stores.publications,
    });
    const completedPlanItems: CompletedPlanItemsBetween = async ({ programmeId, organisationId, from, to }) => {
      const programme = await stores.programmes.byId(programmeId);
      if (!programme) return [];
      const fw = await frameworks.load(programme.framework_id);
      const domainsOf = new Map<string, Set<string>>();
      for (const d of fw.domains)
        for (const q of d.questions)
          for (const id of q.interventions) (domainsOf.get(id) ?? domainsOf.set(id, new Set()).get(id)!).add(d.id);
      // Done after the earlier round opened, and before the later one closed (or by now).
      const after = from.opened_at ?? Number.NEGATIVE_INFINITY;
      const before = to.closed_at ?? Number.POSITIVE_INFINITY;
      return (await plans.forReport(programmeId, new Set([organisationId])))
        .filter((i) => i.status === 'done' && i.doneAt !== null)
        .filter((i) => Date.parse(i.doneAt!) >= after && Date.parse(i.doneAt!) <= before)
        .map((i) => ({
          id: i.id,
          title: i.title ?? (i.intervention ? textFor(i.intervention.title) : ''),
          domains: i.intervention ? [...(domainsOf.get(i.intervention.id) ?? [])] : [],
          doneAt: i.doneAt!,
        }));
    };
    // Trainings: sessions of the shipped modules, their participants' checks, and their impact.
    const trainingCatalogue = loadShippedTrainings();
    const trainings = trainingService(context, {
      trainings: stores.trainings,
      programmes: stores.programmes,
      audit: auditLog,
      catalogue: trainingCatalogue,
    });
    const answersOfTrainings = trainingAnswers(context, {
      trainings: stores.trainings,
      sessions: trainings,
      audit: auditLog,
      catalogue: trainingCatalogue,
    });
    const impactOfTrainings = trainingImpact(context, {
      trainings: stores.trainings,
      programmes: stores.programmes,
      change,
      catalogue: trainingCatalogue,
    });
    const checks = checkService(context, {
      trainings: stores.trainings,
      audit: auditLog,
      catalogue: trainingCatalogue,
    });
    // The incident taxonomy, read once: the incident log and the reporting channel both tag with it.
    const taxonomy = loadShippedTaxonomy();
    // The secure reporting channel: sealed to the team's key, its files beside the evidence.
    const reporting = reportingService(context, {
      reports: stores.reporting,
      settings: stores.settings,
      users: stores.users,
      audit: auditLog,
      files: fileStore('incident-reports'),
      taxonomy,
      ...(options.reportingFloorMs !== undefined && { floorMs: options.reportingFloorMs }),
    });
    // The handbook: read once at start from content/handbook; incidents link to its sections.
    const handbookLibrary = loadShippedHandbook();
    // The survey a programme runs beside its assessment; its answers feed the threat landscape (issue 17).
    const surveys = surveyService(context, {
      surveys: stores.surveys,
      programmes: stores.programmes,
      frameworks,
      frameworkStore: stores.frameworks,
      audit: auditLog,
      rounds,
    });
    // The incident log and the threat landscape, checked against the shipped taxonomy (issue 17).
    const incidents = incidentService(context, {
      survey: surveys,
      incidents: stores.incidents,
      programmes: stores.programmes,
      frameworks,
      users: stores.users,
      audit: auditLog,
      taxonomy,
      handbookIds: new Set(handbookLibrary.get('en').byId.keys()),
      baseline: async (actor, programmeId) => {
        // Kalaja itself (a report job, whose asker was checked) reads the figures as the programme's manager would.
        const reader =
          actor.userId === 'system'
            ? { ...actor, memberships: [{ role: 'programme_manager' as const, programmeId, organisationId: null }] }
            : actor;
        const summary = await results.summary(reader, programmeId);
        const first = summary.rounds[0];
        const cohort = first === undefined ? undefined : summary.report.cohort[first];
        if (!cohort) return [];
        return Object.entries(cohort.domains).map(([id, s]) => ({ id, score: s.n > 0 ? s.mean : null, n: s.n }));
      },
    });
    publishHooks.push(incidents.publishHook);
    // Off the event loop (decision 11): requests never wait on a report, the handbook's PDF or a
    // policy paper being rendered.
    const renderer = options.renderer ?? renderPool();
    // The openness index (issue 18): institutions measured on evidence, published waves public by design.
    const opennessFiles = fileStore('evidence');
    const openness = opennessService(context, {
      store: stores.openness,
      programmes: stores.programmes,
      programmeService: programmes,
      rounds,
      frameworks,
      keys,
      users: stores.users,
      files: opennessFiles,
      audit: auditLog,
      renderer,
      recommendations: stores.recommendations,
      ...(config.openDataLicence && { licence: config.openDataLicence }),
    });
    const opennessPublished = opennessPublic(context, {
      store: stores.openness,
      frameworks,
      files: opennessFiles,
    });
    const demo = demoService(context, {
      frameworks,
      programmes,
      exchange,
      assessments: stores.assessments,
      users: stores.users,
      audit: auditLog,
      publications,
      programmeList: stores.programmes,
      plans,
      rounds,
      change,
      accounts,
      trainings,
      findings,
      incidents,
      surveys,
      // The demo's participants answer at once, with no need to even out how long each answer takes.
      checks: checkService(context, {
        trainings: stores.trainings,
        audit: auditLog,
        catalogue: trainingCatalogue,
        floorMs: 0,
      }),
      trainingCatalogue,
      reporting,
      openness,
    });
    const evidence = evidenceService(context, {
      evidence: stores.evidence,
      files: fileStore('evidence'),
      assessments: stores.assessments,
      programmes: stores.programmes,
      frameworks,
      audit: auditLog,
      rounds,
    });
    const sessions = sessionsService(context, { sessions: stores.sessions, audit: auditLog });
    // The handbook: read once at start from content/handbook, public; its PDF made once per language.
    const handbook = handbookService(handbookLibrary);
    const handbookPdfs = new Map<string, Promise<Uint8Array>>();
    const handbookPdf = (lang: string) => {
      let pdf = handbookPdfs.get(lang);
      if (!pdf) {
        pdf = renderer.handbook(handbook.book(lang));
        pdf.catch(() => handbookPdfs.delete(lang));
        handbookPdfs.set(lang, pdf);
      }
      return pdf;
    };
    const users = usersService(context, { users: stores.users, sessions: stores.sessions, audit: auditLog });
    // Reports (decision 5): jobs in this process on SQLite, on pg-boss (shared by every server process) on PostgreSQL.
    const reports = reportService(context, {
      reports: stores.reports,
      programmes: stores.programmes,
      assessments: stores.assessments,
      keys,
      frameworks,
      assessmentService: assessments,
      evidenceService: evidence,
      publications,
      recommendations: stores.recommendations,
      plans,
      trainings: impactOfTrainings,
      findings,
      incidents,
      audit: auditLog,
      change,
      files: fileStore('reports'),
      jobs:
        config.database.kind === 'postgres' ? pgBossJobs({ connectionString: config.database.url }) : inProcessJobs(),
      renderer,
    });
    const recommendations = recommendationService(context, {
      recommendations: stores.recommendations,
      // An index's review is of its policy paper's drafts; a programme's, of its report's.
      drafts: async (programmeId, locale) =>
        (await openness.paperDrafts(programmeId, locale)) ?? reports.drafts(programmeId, locale),
      audit: auditLog,
    });
    const services: Services = {
      ...auth,
      ...{
        frameworks,
        programmes,
        rounds,
        assessments,
        accounts,
        results,
        change,
        publications,
        exchange,
        audit,
        demo,
        evidence,
      },
      ...{ reports, recommendations, plans, findings, incidents, surveys, sessions, users },
      ...{ openness, opennessPublic: opennessPublished },
      ...{ trainings, trainingAnswers: answersOfTrainings, trainingImpact: impactOfTrainings, checks, reporting },
    };

    for (const file of SHIPPED_FRAMEWORKS) {
      const source = readFileSync(file, 'utf8');
      const shipped = loadFramework(source, { format: 'yaml', file });
      if (!shipped.ok) throw new Error(`${file}: the shipped framework does not load`);
      const stored = await stores.frameworks.version(shipped.value.id, shipped.value.version);
      if (!stored) await frameworks.importFramework(systemActor('startup'), { source, format: 'yaml' });
      // Read already: the first results or report of a programme on it need not parse it again.
      else if (stored.source === source) frameworks.remember(stored.id, shipped.value);
      // The same version with new translations: programmes on it read in the new languages.
      else await frameworks.takeTranslations(systemActor('startup'), stored.id, source, shipped.value);
    }

    const app = await buildApp({
      config,
      ping: async () => {
        await stores.settings.any();
      },
      ...(options.logStream && { logStream: options.logStream }),
      routes: [
        (a) =>
          installSessions(a, auth.signIn, {
            secureCookies: config.secureCookies,
            publicUrl: config.publicUrl,
            loopbackOrigins: config.loopbackOrigins,
          }),
        authRoutes(auth, { secureCookies: config.secureCookies, loadDemo: (managerId) => demo.load([managerId]) }),
        frameworkRoutes(frameworks, frameworkConversionService({ frameworks, store: stores.frameworks })),
        programmeRoutes(programmes),
        roundRoutes(rounds),
        assessmentRoutes(assessments),
        accountRoutes(accounts),
        resultsRoutes(results),
        changeRoutes(change),
        publicationRoutes(publications),
        exchangeRoutes(exchange),
        auditRoutes(audit),
        evidenceRoutes(evidence),
        sessionsRoutes(sessions, { secureCookies: config.secureCookies }),
        usersRoutes(users),
        reportRoutes(reports),
        recommendationRoutes(recommendations),
        planRoutes(plans),
        findingRoutes(findings),
        incidentRoutes(incidents),
        surveyRoutes(surveys),
        trainingRoutes({ sessions: trainings, answers: answersOfTrainings, impact: impactOfTrainings }),
        checkRoutes(checks),
        reportingRoutes(reporting),
        handbookRoutes(handbook, { pdf: handbookPdf }),
        opennessRoutes(openness),
        opennessPublicRoutes(opennessPublished),
        webApp({ secure: config.secureCookies }),
      ],
    });
    logged.to = app.log;
    // Closed reports past the instance's retention are deleted with their keys: at start, then every six hours.
    const sweepReports = () =>
      reporting.sweep(systemActor('reporting-sweep')).catch((e: unknown) => {
        app.log.warn({ code: (e as { code?: string }).code }, 'the reporting retention sweep failed');
      });
    await sweepReports();
    const sweeping = setInterval(() => void sweepReports(), 6 * 3_600_000);
    sweeping.unref();
    const setupToken = await auth.signIn.prepareSetup();
    return {
      app,
      database,
      stores,
      services,
      context,
      setupToken,
      close: async () => {
        clearInterval(sweeping);
        await app.close();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}

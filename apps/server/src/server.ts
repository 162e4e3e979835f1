import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadFramework } from '@kalaja/engine';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { loadKeyEncryptionKey } from './crypto/kek.js';
import { CommitBatcher } from './db/commit-batcher.js';
import { organisationKeyStore, vaultKeys, type OrganisationKeyStore } from './crypto/organisation-key-store.js';
import { Vault } from './crypto/vault.js';
import { migrate, openDatabase, type Database, type Db, type Dialect } from './db/database.js';
import { settingsStore } from './db/settings-store.js';
import { buildApp } from './http/app.js';
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
import { exchangeService } from './modules/exchange/exchange-service.js';
import { assessmentRoutes } from './modules/assessments/assessment-routes.js';
import { answerStore } from './modules/assessments/answer-store.js';
import { assessmentService } from './modules/assessments/assessment-service.js';
import { assessmentStore } from './modules/assessments/assessment-store.js';
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
import { frameworkStore } from './modules/frameworks/framework-store.js';
import { evidenceDirectory } from './modules/evidence/evidence-files.js';
import { evidenceStore } from './modules/evidence/evidence-store.js';
import { programmeRoutes } from './modules/programmes/programme-routes.js';
import { programmeService } from './modules/programmes/programme-service.js';
import { programmeStore } from './modules/programmes/programme-store.js';
import { inProcessJobs, pgBossJobs } from './modules/reports/report-jobs.js';
import { recommendationService } from './modules/reports/recommendation-service.js';
import { recommendationStore } from './modules/reports/recommendation-store.js';
import { recommendationRoutes, reportRoutes } from './modules/reports/report-routes.js';
import { reportService } from './modules/reports/report-service.js';
import { reportStore } from './modules/reports/report-store.js';
import { publicationRoutes } from './modules/publications/publication-routes.js';
import { publicationService } from './modules/publications/publication-service.js';
import { publicationStore } from './modules/publications/publication-store.js';
import { resultsRoutes } from './modules/results/results-routes.js';
import { resultsService } from './modules/results/results-service.js';
import { sessionsRoutes } from './modules/sessions/sessions-routes.js';
import { sessionStore } from './modules/sessions/session-store.js';
import { sessionsService } from './modules/sessions/sessions-service.js';
import { usersRoutes } from './modules/users/users-routes.js';
import { usersService } from './modules/users/users-service.js';
import { userStore } from './modules/users/user-store.js';

/** The frameworks Kalaja ships, imported into a new instance. */
export const DEFAULT_FRAMEWORK = fileURLToPath(new URL('../../../content/frameworks/cso-media.yaml', import.meta.url));
/**
 * Every framework version Kalaja ships, oldest first. Each is imported at start if this instance
 * lacks it: a programme pinned to 1.0.0 keeps loading it, and new programmes start on the newest.
 */
export const SHIPPED_FRAMEWORKS = [
  fileURLToPath(new URL('../../../content/frameworks/cso-media-1.0.0.yaml', import.meta.url)),
  DEFAULT_FRAMEWORK,
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
    users: userStore(db),
    assessments: assessmentStore(db, dialect),
    answers: answerStore(db, dialect),
    evidence: evidenceStore(db),
    reports: reportStore(db),
    publications: publicationStore(db),
    recommendations: recommendationStore(db),
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
  assessments: ReturnType<typeof assessmentService>;
  results: ReturnType<typeof resultsService>;
  publications: ReturnType<typeof publicationService>;
  exchange: ReturnType<typeof exchangeService>;
  audit: AuditService;
  demo: ReturnType<typeof demoService>;
  evidence: ReturnType<typeof evidenceService>;
  reports: ReturnType<typeof reportService>;
  recommendations: ReturnType<typeof recommendationService>;
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
  options: { database?: Database; logStream?: NodeJS.WritableStream; now?: () => number } = {},
): Promise<Kalaja> {
  const kek = loadKeyEncryptionKey(config.key);
  const database = options.database ?? openDatabase(config.database);
  try {
    await migrate(database);
    const now = options.now ?? Date.now;
    const stores = createStores(database.db, database.dialect);
    const vault = new Vault(kek, vaultKeys(stores.keys, now));
    await checkKey(stores.keys, vault);
    const context: Context = {
      db: database.db,
      dialect: database.dialect,
      vault,
      now,
      batcher: new CommitBatcher(database.db, { dialect: database.dialect, pipeline: database.pipeline }),
    };
    const frameworks = frameworkService(context, { frameworks: stores.frameworks, audit: stores.audit });
    const { audit: auditLog, keys } = stores;
    const programmes = programmeService(context, {
      programmes: stores.programmes,
      assessments: stores.assessments,
      users: stores.users,
      keys,
      frameworks,
      audit: auditLog,
    });
    const assessments = assessmentService(context, {
      assessments: stores.assessments,
      answers: stores.answers,
      programmes: stores.programmes,
      frameworks,
      audit: auditLog,
    });
    const publications = publicationService(context, {
      publications: stores.publications,
      settings: stores.settings,
      programmes: stores.programmes,
      assessments: stores.assessments,
      frameworks,
      assessmentService: assessments,
      audit: auditLog,
    });
    const results = resultsService({
      programmes: stores.programmes,
      assessments: stores.assessments,
      frameworks,
      assessmentService: assessments,
      publications,
    });
    const auth = authServices(context, stores, config.publicUrl);
    const exchange = exchangeService(context, {
      programmes: stores.programmes,
      assessments: stores.assessments,
      answers: stores.answers,
      frameworks,
      assessmentService: assessments,
      audit: auditLog,
    });
    const audit = auditService({ audit: auditLog });
    const demo = demoService(context, {
      frameworks,
      programmes,
      exchange,
      assessments: stores.assessments,
      users: stores.users,
      audit: auditLog,
      publications,
      programmeList: stores.programmes,
    });
    const evidence = evidenceService(context, {
      evidence: stores.evidence,
      files: evidenceDirectory(join(config.dataDir, 'evidence')),
      assessments: stores.assessments,
      programmes: stores.programmes,
      frameworks,
      audit: auditLog,
    });
    const sessions = sessionsService(context, { sessions: stores.sessions, audit: auditLog });
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
      audit: auditLog,
      files: evidenceDirectory(join(config.dataDir, 'reports')),
      jobs:
        config.database.kind === 'postgres' ? pgBossJobs({ connectionString: config.database.url }) : inProcessJobs(),
    });
    const recommendations = recommendationService(context, {
      recommendations: stores.recommendations,
      drafts: reports.drafts,
      audit: auditLog,
    });
    const services: Services = {
      ...auth,
      ...{ frameworks, programmes, assessments, results, publications, exchange, audit, demo, evidence },
      ...{ reports, recommendations, sessions, users },
    };

    for (const file of SHIPPED_FRAMEWORKS) {
      const source = readFileSync(file, 'utf8');
      const shipped = loadFramework(source, { format: 'yaml', file });
      if (!shipped.ok) throw new Error(`${file}: the shipped framework does not load`);
      if (!(await stores.frameworks.version(shipped.value.id, shipped.value.version)))
        await frameworks.importFramework(systemActor('startup'), { source, format: 'yaml' });
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
        frameworkRoutes(frameworks),
        programmeRoutes(programmes),
        assessmentRoutes(assessments),
        resultsRoutes(results),
        publicationRoutes(publications),
        exchangeRoutes(exchange),
        auditRoutes(audit),
        evidenceRoutes(evidence),
        sessionsRoutes(sessions, { secureCookies: config.secureCookies }),
        usersRoutes(users),
        reportRoutes(reports),
        recommendationRoutes(recommendations),
        webApp({ secure: config.secureCookies }),
      ],
    });
    const setupToken = await auth.signIn.prepareSetup();
    return {
      app,
      database,
      stores,
      services,
      context,
      setupToken,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}

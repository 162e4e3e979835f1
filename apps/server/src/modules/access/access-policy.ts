import { notFound } from '../../errors.js';
import type { Actor, Role } from './access-types.js';

/**
 * The authorisation rules, in one place. Each returns a boolean; services turn a `false`
 * into a 404 that cannot be told apart from a missing id (`denyAsMissing`).
 */
const has = (actor: Actor, role: Role, scope: { programmeId?: string; organisationId?: string }) =>
  actor.memberships.some(
    (m) =>
      m.role === role &&
      (scope.programmeId === undefined || m.programmeId === scope.programmeId) &&
      (scope.organisationId === undefined || m.organisationId === scope.organisationId),
  );

/** Work done by Kalaja itself from the command line (imports, the demo), never by a request. */
const isSystem = (a: Actor) => a.userId === 'system';

export const policy = {
  /** Listing accounts and disabling or enabling them: instance admins only (threat model, T1). */
  manageUsers: (a: Actor) => a.isInstanceAdmin,
  /** Creating programmes: instance admins and existing programme managers. */
  createProgramme: (a: Actor) => a.isInstanceAdmin || a.memberships.some((m) => m.role === 'programme_manager'),
  manageProgramme: (a: Actor, programmeId: string) => isSystem(a) || has(a, 'programme_manager', { programmeId }),
  /** Seeing a programme at all: any role in it, or an organisation that takes part (checked by the caller). */
  seeProgramme: (a: Actor, programmeId: string) => a.memberships.some((m) => m.programmeId === programmeId),
  /** Cohort figures with names: managers. Anonymised aggregates: managers and observers. */
  seeCohortNamed: (a: Actor, programmeId: string) => has(a, 'programme_manager', { programmeId }),
  seeCohortAnonymised: (a: Actor, programmeId: string) =>
    has(a, 'programme_manager', { programmeId }) || has(a, 'observer', { programmeId }),
  memberOf: (a: Actor, organisationId: string) =>
    has(a, 'org_admin', { organisationId }) || has(a, 'org_member', { organisationId }),
  adminOf: (a: Actor, organisationId: string) => has(a, 'org_admin', { organisationId }),
  assessorOf: (a: Actor, programmeId: string, organisationId: string) =>
    a.assignments.get(programmeId)?.has(organisationId) ?? false,
  /** Reading an assessment: its organisation, its assigned assessors, its programme's managers. */
  readAssessment: (a: Actor, s: { programmeId: string; organisationId: string }) =>
    policy.memberOf(a, s.organisationId) ||
    policy.assessorOf(a, s.programmeId, s.organisationId) ||
    policy.manageProgramme(a, s.programmeId),
  /** The organisation's own answers: its admins and members. */
  answerAssessment: (a: Actor, s: { organisationId: string }) => policy.memberOf(a, s.organisationId),
  /** Validated answers, interview notes, validation: assigned assessors and managers. */
  validateAssessment: (a: Actor, s: { programmeId: string; organisationId: string }) =>
    policy.assessorOf(a, s.programmeId, s.organisationId) || policy.manageProgramme(a, s.programmeId),
  /** Building an organisation's plan (items, owners, due dates): its assigned assessors and the programme's managers. */
  buildPlan: (a: Actor, s: { programmeId: string; organisationId: string }) =>
    policy.assessorOf(a, s.programmeId, s.organisationId) || policy.manageProgramme(a, s.programmeId),
  /**
   * Reading an organisation's plan and carrying it out (status, notes, evidence): the
   * organisation's admins and members, and whoever builds it. The caller checks that the
   * organisation takes part in the programme.
   */
  followPlan: (a: Actor, s: { programmeId: string; organisationId: string }) =>
    policy.memberOf(a, s.organisationId) || policy.buildPlan(a, s),
  /**
   * Running a programme's trainings (sessions, participants and their names, links, answers
   * from paper, the impact): its trainers and managers. A trainer may do nothing else.
   */
  runTrainings: (a: Actor, programmeId: string) =>
    isSystem(a) || has(a, 'trainer', { programmeId }) || has(a, 'programme_manager', { programmeId }),
  /**
   * The training catalogue: anyone with a role in the programme but its observers, who see the
   * k-anonymous report only.
   */
  seeTrainingCatalogue: (a: Actor) =>
    isSystem(a) || a.isInstanceAdmin || a.memberships.some((m) => m.role !== 'observer'),
} as const;

/** Throws the same 404 a missing object gets when the actor may not see it. */
export function denyAsMissing(allowed: boolean, what?: string): asserts allowed {
  if (!allowed) throw notFound(what);
}

/** Roles within a programme or an organisation. The instance admin is a flag on the user. */
export const ROLES = ['programme_manager', 'assessor', 'trainer', 'org_admin', 'org_member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export interface Membership {
  role: Role;
  programmeId: string | null;
  organisationId: string | null;
}

/**
 * Who is acting: the signed-in user with their memberships, loaded once per request. Every
 * service method takes an Actor and decides on its first line what this actor may see.
 */
export interface Actor {
  userId: string;
  sessionId: string;
  isInstanceAdmin: boolean;
  memberships: Membership[];
  /** Assessor assignments: programme id → organisation ids. */
  assignments: Map<string, Set<string>>;
  /**
   * When the session last entered its password and second factor (sign-in or step-up), for
   * the actions that need a recent one (see requireRecentSignIn in auth/step-up.ts); null when
   * there is no session behind the actor.
   */
  reauthAt: number | null;
  requestId: string;
}

/** The actor of work done by the system itself (migrations, demo loading, imports from the CLI). */
export function systemActor(requestId = 'system'): Actor {
  return {
    userId: 'system',
    sessionId: '',
    isInstanceAdmin: true,
    memberships: [],
    assignments: new Map(),
    reauthAt: null,
    requestId,
  };
}

/**
 * The actor of a change someone makes to their own sign-in (a factor added, a password
 * changed, an account set up or joined): who they are, before their roles are loaded.
 */
export function selfActor(userId: string, sessionId: string, requestId: string, isInstanceAdmin = false): Actor {
  return { userId, sessionId, isInstanceAdmin, memberships: [], assignments: new Map(), reauthAt: null, requestId };
}

/**
 * The actor of a participant's own submission through their check link (issue 14): no user and
 * no role, recorded in the audit log as the link (`link:<id>`, role `participant_link`).
 */
export function linkActor(linkId: string, requestId: string): Actor {
  return {
    userId: `link:${linkId}`,
    sessionId: '',
    isInstanceAdmin: false,
    memberships: [],
    assignments: new Map(),
    reauthAt: null,
    requestId,
  };
}

export const isLinkActor = (actor: Actor) => actor.userId.startsWith('link:');

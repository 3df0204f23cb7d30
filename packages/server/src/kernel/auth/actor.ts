export const PLATFORM_ROLES = [
  'operator',
  'security_officer',
  'exchange_operator',
  'auditor',
  'statistician',
] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const MEMBER_ROLES = ['admin', 'editor', 'member'] as const;
export type OrgRole = (typeof MEMBER_ROLES)[number];

export interface UserActor {
  kind: 'user';
  userId: string;
  username: string;
  platformRoles: readonly PlatformRole[];
  /** organisation id -> the user's role in it */
  memberships: ReadonlyMap<string, OrgRole>;
  /** How the request proved who it is; `client` is an institution's business system (OAuth 2.0). */
  via: 'session' | 'token' | 'client';
  /** For API tokens: the permissions the token was limited to. */
  scopes: readonly string[] | undefined;
  /** For business systems: the client's id (then also `userId`); its one membership is its institution. */
  clientId?: string;
  /**
   * For API tokens and business systems' tokens: the token's fingerprint (secretFingerprint), set when the
   * token is resolved so that what records each use need not hash the token again.
   */
  tokenFingerprint?: string;
}

export interface AnonymousActor {
  kind: 'anonymous';
}

/** The platform itself: demo seeding, jobs, migrations. */
export interface SystemActor {
  kind: 'system';
  name: string;
}

export type Actor = UserActor | AnonymousActor | SystemActor;

export const ANONYMOUS: AnonymousActor = { kind: 'anonymous' };

export function systemActor(name: string): SystemActor {
  return { kind: 'system', name };
}

/** How an actor is written into the transparency log: ids only, never names or contact details. */
export function actorRef(actor: Actor): { type: string; id: string } {
  switch (actor.kind) {
    case 'user':
      // The log tells a business system from a person.
      return actor.clientId === undefined
        ? { type: 'user', id: actor.userId }
        : { type: 'client', id: actor.clientId };
    case 'system':
      return { type: 'system', id: actor.name };
    default:
      return { type: 'anonymous', id: '-' };
  }
}

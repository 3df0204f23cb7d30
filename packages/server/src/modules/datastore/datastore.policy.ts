import type { Actor } from '../../kernel/auth/index.ts';
import type { EntryAccessFacts } from '../catalog/index.ts';

/**
 * Why a caller may read a table's rows, or `none`. The one place that decides it, from the catalog
 * entry's terms (Art. 17-18) and the caller's grants: its provider always reads; the big data centre and
 * security officers read for their duties; others read what is opened unconditionally, institutions what
 * is shared unconditionally, and holders of an active grant what is opened or shared on conditions, within
 * the grant's fields and operations. Core data is never opened or shared here.
 */
export type RowAccess = 'provider' | 'oversight' | 'open' | 'shared' | 'granted' | 'none';

/** What a grant lets its holder do with a table: page through rows, download it whole, aggregate it. */
export type GrantOperation = 'records' | 'download' | 'aggregate';

/** A grant of conditional access as the access module keeps it, whatever its state. */
export interface ReadGrant {
  id: string;
  /** `open`: conditional opening (Art. 18); `share`: conditional sharing between institutions (Art. 17). */
  kind: 'open' | 'share';
  /** Information item names: the table's columns of the same names. */
  fields: readonly string[];
  operations: readonly GrantOperation[];
  validFrom: Date;
  validUntil: Date;
  state: 'active' | 'expired' | 'revoked';
}

/** The caller's active grants for one entry, joined: what any of them allows. */
export interface GrantedScope {
  ids: string[];
  fields: ReadonlySet<string>;
  operations: ReadonlySet<GrantOperation>;
}

/** Why a caller whom the terms would let in with a grant reads nothing yet. */
export type GrantRefusal = 'grant-required' | 'grant-not-started' | 'grant-expired' | 'grant-revoked';

/**
 * Why a caller whom the terms let in reads nothing: the table is a de-identified derivation of personal
 * information whose re-identification risk has not passed the assessment for this use (Art. 46).
 */
export type ReleaseRefusal = 'release-not-cleared';

/** The use scenarios a de-identification is assessed for, loosest first. */
export const RELEASE_SCENARIOS = [
  'internal-sharing',
  'data-zone',
  'conditional-opening',
  'public-release',
] as const;
export type ReleaseScenario = (typeof RELEASE_SCENARIOS)[number];

export interface ReadDecision {
  access: RowAccess;
  /** With `granted`. */
  scope?: GrantedScope;
  /** With `none`, when the entry's terms allow access on conditions. */
  refusal?: GrantRefusal | ReleaseRefusal;
}

type Terms = Pick<EntryAccessFacts, 'organizationId' | 'published' | 'openType' | 'shareType' | 'grade'>;

/** Access without grants: the provider, oversight, unconditional opening and sharing. */
export function rowAccess(
  actor: Actor,
  entry: Terms,
  isInstitution: (organizationId: string) => boolean,
): RowAccess {
  if (actor.kind === 'system') return 'oversight';
  if (actor.kind === 'user') {
    if (actor.memberships.has(entry.organizationId)) return 'provider';
    if (actor.platformRoles.some((r) => r === 'operator' || r === 'security_officer')) return 'oversight';
  }
  if (!entry.published || entry.grade === 'core') return 'none';
  if (entry.openType === 'unconditional') return 'open';
  if (
    actor.kind === 'user' &&
    entry.shareType === 'unconditional' &&
    memberOfInstitution(actor, isInstitution)
  )
    return 'shared';
  return 'none';
}

function memberOfInstitution(actor: Actor, isInstitution: (organizationId: string) => boolean): boolean {
  return actor.kind === 'user' && [...actor.memberships.keys()].some(isInstitution);
}

/**
 * Which kinds of grant could let this caller in, when nothing else does: an entry opened on conditions
 * takes an opening grant; one shared on conditions takes a sharing grant, held by an institution's member.
 * Others do not learn that data shared between institutions exists.
 */
export function grantKinds(
  actor: Actor,
  entry: Terms,
  isInstitution: (organizationId: string) => boolean,
): ('open' | 'share')[] {
  if (!entry.published || entry.grade === 'core') return [];
  const kinds: ('open' | 'share')[] = [];
  if (entry.openType === 'conditional') kinds.push('open');
  if (entry.shareType === 'conditional' && memberOfInstitution(actor, isInstitution)) kinds.push('share');
  return kinds;
}

/** The decision for a caller with no access but by grant, from the grants they hold for the entry. */
export function grantDecision(
  kinds: readonly ('open' | 'share')[],
  grants: readonly ReadGrant[],
  now: Date,
): ReadDecision {
  const mine = grants.filter((g) => kinds.includes(g.kind));
  const at = now.getTime();
  const active = mine.filter(
    (g) => g.state === 'active' && g.validFrom.getTime() <= at && g.validUntil.getTime() > at,
  );
  if (active.length > 0)
    return {
      access: 'granted',
      scope: {
        ids: active.map((g) => g.id),
        fields: new Set(active.flatMap((g) => g.fields)),
        operations: new Set(active.flatMap((g) => g.operations)),
      },
    };
  // A revoked grant says more than an expired one: the provider ended it.
  if (mine.some((g) => g.state === 'active' && g.validUntil.getTime() > at))
    return { access: 'none', refusal: 'grant-not-started' };
  if (mine.some((g) => g.state === 'revoked')) return { access: 'none', refusal: 'grant-revoked' };
  if (mine.length > 0) return { access: 'none', refusal: 'grant-expired' };
  return { access: 'none', refusal: 'grant-required' };
}

/**
 * The scenario a read needs the table's de-identification to have passed: unconditional opening is a public
 * release; a grant to open is conditional opening; sharing between institutions is internal sharing. The
 * provider and oversight read what they hold, whatever the assessment.
 */
export function scenarioNeeded(
  decision: ReadDecision,
  kinds: readonly ('open' | 'share')[],
): ReleaseScenario | undefined {
  switch (decision.access) {
    case 'open':
      return 'public-release';
    case 'shared':
      return 'internal-sharing';
    case 'granted':
      return kinds.includes('share') ? 'internal-sharing' : 'conditional-opening';
    default:
      return undefined;
  }
}

/** Whether a table cleared for `clearance` (NULL: not a derivation of personal information) serves `needed`. */
export function releaseCleared(clearance: string | null, needed: ReleaseScenario | undefined): boolean {
  if (clearance === null || needed === undefined) return true;
  const passed = RELEASE_SCENARIOS.indexOf(clearance as ReleaseScenario);
  return passed >= RELEASE_SCENARIOS.indexOf(needed);
}

/** Reads by anyone but the provider go on the transparency log. */
export function logsReads(access: RowAccess): boolean {
  return access !== 'provider' && access !== 'none';
}

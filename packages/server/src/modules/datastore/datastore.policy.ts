import type { Actor } from '../../kernel/auth/index.ts';
import type { EntryAccessFacts } from '../catalog/index.ts';

/**
 * Why a caller may read a table's rows, or `none`. The one place that decides it, from the catalog
 * entry's terms (Art. 17-18): its provider always reads; the big data centre and security officers read
 * for their duties; others read what is opened unconditionally, and institutions what is shared
 * unconditionally. Core data is never opened or shared here, and conditional terms need a grant, which
 * this policy does not know yet: they read as `none`.
 */
export type RowAccess = 'provider' | 'oversight' | 'open' | 'shared' | 'none';

export function rowAccess(
  actor: Actor,
  entry: Pick<EntryAccessFacts, 'organizationId' | 'published' | 'openType' | 'shareType' | 'grade'>,
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
    [...actor.memberships.keys()].some(isInstitution)
  )
    return 'shared';
  return 'none';
}

/** Reads by anyone but the provider go on the transparency log. */
export function logsReads(access: RowAccess): boolean {
  return access !== 'provider' && access !== 'none';
}
